package dev.webstack.internal;

import io.undertow.server.AbstractServerConnection;
import io.undertow.server.ServerConnection;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.StreamConnection;

/**
 * Marks a server connection for an abortive close ({@code SO_LINGER} 0: the close sends a reset, not a FIN), used
 * when a whole stack shuts down.
 *
 * <p>Why: a connection closed the ordinary way leaves a socket in TIME_WAIT for 60 s, on loopback as anywhere; a
 * stack leaves about three, and a suite that creates thousands of stacks a minute fills the ephemeral port range
 * with them until {@code bind(0)}, which every listener of every stack does, takes milliseconds to find a port. A
 * reset leaves none on either side. A test's client that still holds a connection to a closed stack sees
 * "connection reset" instead of end-of-stream, which is what a dead server looks like anyway. Kills and restarts
 * keep the ordinary close.
 *
 * <p>XNIO has no {@code SO_LINGER} option, so the socket is reached through the NIO connection's package-private
 * {@code getChannel()} (XNIO is on the class path, so reflection needs no {@code --add-opens}); should that ever
 * fail, connections close the ordinary way.
 */
final class AbortiveClose {

  private static final Logger LOG = LoggerFactory.getLogger(AbortiveClose.class);
  private static final Method SOCKET = socketAccessor();

  private AbortiveClose() {}

  /** Sets {@code SO_LINGER} 0 on the connection's socket, when it can be reached; the close happens later. */
  static void onClose(ServerConnection connection) {
    if (SOCKET == null || !(connection instanceof AbstractServerConnection c)) {
      return;
    }
    StreamConnection stream = c.getChannel();
    if (stream == null || !SOCKET.getDeclaringClass().isInstance(stream)) {
      return;
    }
    try {
      SocketChannel socket = (SocketChannel) SOCKET.invoke(stream);
      if (socket.isOpen()) {
        socket.setOption(StandardSocketOptions.SO_LINGER, 0);
      }
    } catch (IOException | ReflectiveOperationException | RuntimeException e) {
      LOG.debug("could not set SO_LINGER 0 on {}; it closes the ordinary way", connection, e);
    }
  }

  private static Method socketAccessor() {
    try {
      Method m = Class.forName("org.xnio.nio.NioSocketStreamConnection").getDeclaredMethod("getChannel");
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("XNIO's socket channel is out of reach; stacks close their connections the ordinary way", e);
      return null;
    }
  }
}
