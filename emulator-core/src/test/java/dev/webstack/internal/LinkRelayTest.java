package dev.webstack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadFactory;
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

  private static String read(SocketChannel in, int bytes) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(bytes);
    while (b.hasRemaining() && in.read(b) >= 0) {
      // blocking reads until the bytes are there
    }
    return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
  }
}
