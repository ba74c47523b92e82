package dev.webstack.web;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A killed node holds its port with a bound socket so that no other listener is given it; closing the stack must
 * let go of that hold. A web server used to keep it (its {@code release()} skipped {@code HttpNode}'s), so the
 * port stayed taken after the stack had closed.
 */
class WebServerPortTest {

  @Test
  void killedWebServer_givesItsPortBackWhenTheStackCloses() {
    assertPortFreeAfterKillAndClose("web-1");
  }

  /** The other roles, which always released their hold, as controls. */
  @ParameterizedTest
  @ValueSource(strings = {"lb-1", "app-1"})
  void killedNodeOfAnotherRole_givesItsPortBackWhenTheStackCloses(String node) {
    assertPortFreeAfterKillAndClose(node);
  }

  private static void assertPortFreeAfterKillAndClose(String node) {
    InetSocketAddress address;
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      address = stack.node(node).address();
      stack.node(node).kill();
    }
    assertThatCode(() -> {
      try (ServerSocketChannel socket = ServerSocketChannel.open()) {
        socket.bind(address);
      }
    }).as("binding %s's address %s after the stack closed", node, address).doesNotThrowAnyException();
  }
}
