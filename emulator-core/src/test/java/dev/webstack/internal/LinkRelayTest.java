package dev.webstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LinkRelayTest {

  private static final LinkRelay.Settings CUT = new LinkRelay.Settings(true, true, 0, 0, false, 0);

  @Test
  @Timeout(20)
  void healingAfterThePortWasTakenAnyway_listensOnANewPortThatStillReachesTheTarget() throws Exception {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    try (ServerSocketChannel target = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0))) {
      InetSocketAddress targetAddress = (InetSocketAddress) target.getLocalAddress();
      Link link = new Link("a", "b", () -> targetAddress);
      ThreadFactory threads = r -> {
        Thread t = new Thread(r, "link-relay-test");
        t.setDaemon(true);
        return t;
      };
      LinkRelay relay = new LinkRelay(link, threads, new SplittableRandom(1));
      try {
        InetSocketAddress before = relay.address();
        relay.apply(CUT);
        // The hold keeps the port while partitioned; should the port be taken all the same (here: the hold given
        // up, a stranger binding it), healing must not fail.
        Field hold = LinkRelay.class.getDeclaredField("portHold");
        hold.setAccessible(true);
        ((SocketChannel) hold.get(relay)).close();
        try (ServerSocketChannel stranger = ServerSocketChannel.open().bind(before)) {
          relay.apply(LinkRelay.Settings.CLEAN);
          assertThat(relay.address()).isNotEqualTo(before);
          assertThat(relay.address().getAddress()).isEqualTo(loopback);
          try (SocketChannel client = SocketChannel.open(relay.address());
              SocketChannel served = target.accept()) {
            client.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
            assertThat(read(served, 4)).isEqualTo("ping");
          }
        }
      } finally {
        relay.close(5_000);
      }
    }
  }

  /**
   * A partition (and a node going down) closes the relay's listener while its accept thread is blocked in {@code
   * accept()}. The JDK's close then only swaps the descriptor and signals that thread: the listening socket lives on
   * until the thread wakes, and a connection that reaches it meanwhile is accepted and relayed, then held by the
   * partition, so a balancer's connect succeeded where it should have been refused (a 504 after the server timeout
   * instead of a redispatch). Each round catches the accept thread in {@code accept()}; on the old code about one
   * round in five accepted the connection opened after {@code apply} returned.
   */
  @Test
  @Timeout(60)
  void partition_refusesAConnectionOpenedOnceApplyReturned_evenWithTheAcceptThreadBlockedInAccept()
      throws Exception {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    try (ServerSocketChannel target = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0))) {
      InetSocketAddress targetAddress = (InetSocketAddress) target.getLocalAddress();
      Link link = new Link("a", "b", () -> targetAddress);
      for (int round = 0; round < 200; round++) {
        AtomicReference<Thread> acceptor = new AtomicReference<>();
        ThreadFactory threads = r -> {
          Thread t = new Thread(r, "link-relay-test");
          t.setDaemon(true);
          acceptor.compareAndSet(null, t); // the relay's first thread is its accept loop
          return t;
        };
        LinkRelay relay = new LinkRelay(link, threads, new SplittableRandom(round));
        try {
          awaitBlockedInAccept(acceptor.get());
          relay.apply(CUT);
          Throwable outcome = catchThrowable(() -> SocketChannel.open(relay.address()).close());
          assertThat(outcome).as("round %s: a connection opened after the partition applied", round)
              .isInstanceOf(ConnectException.class);
        } finally {
          relay.close(5_000);
        }
      }
    }
  }

  /** Waits until {@code thread} runs the native accept (of {@code sun.nio.ch.Net}), where a close must wake it. */
  private static void awaitBlockedInAccept(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      StackTraceElement[] stack = thread.getStackTrace();
      if (stack.length > 0 && stack[0].isNativeMethod() && stack[0].getMethodName().contains("accept")) {
        return;
      }
      Thread.onSpinWait();
    }
    fail("the relay's accept thread did not block in accept() within 10 s");
  }

  private static String read(SocketChannel in, int bytes) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(bytes);
    while (b.hasRemaining() && in.read(b) >= 0) {
      // blocking reads until the bytes are there
    }
    return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
  }
}
