package dev.webstack.internal;

import dev.webstack.ComponentSpec;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.IoUtils;
import org.xnio.Options;

/**
 * A node that serves HTTP through Undertow on 127.0.0.1, sharing the stack's XNIO worker.
 *
 * <p>Undertow's {@code stop()} closes the listener but leaves established connections open, which a crashed
 * server would not. So the node tracks its connections and closes them when killed, and a request that still
 * arrives on one is answered by closing the connection, as a reset would.
 */
public abstract class HttpNode extends AbstractNode {

  private static final AttachmentKey<Boolean> TRACKED = AttachmentKey.create(Boolean.class);
  private static final int CLOSE_WAIT_SECONDS = 5;

  private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile boolean accepting;
  private Undertow server;
  private volatile int port;
  private HttpHandler handler;

  protected HttpNode(NodeContext context, ComponentSpec spec) {
    super(context, spec);
  }

  /** The node's own handler, built once at first start. */
  protected abstract HttpHandler handler();

  @Override
  protected final void up() {
    if (handler == null) {
      handler = handler();
    }
    HttpHandler guarded = this::guard;
    Undertow u =
        Undertow.builder()
            .setWorker(context.worker())
            .setByteBufferPool(context.buffers())
            .setSocketOption(Options.REUSE_ADDRESSES, true)
            .setSocketOption(Options.TCP_NODELAY, true)
            .addHttpListener(port, context.loopback().getHostAddress())
            .setHandler(guarded)
            .build();
    accepting = true;
    try {
      u.start();
    } catch (RuntimeException e) {
      accepting = false;
      throw e;
    }
    server = u;
    port = ((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
  }

  @Override
  protected final void down() {
    accepting = false;
    Undertow u = server;
    server = null;
    if (u != null) {
      u.stop();
    }
    closeConnections();
  }

  /**
   * Closes every tracked connection on its own I/O thread (Undertow runs a connection's close listeners, which
   * may return proxy connections to their pools, only there) and waits a bounded time for all of them.
   */
  private void closeConnections() {
    List<ServerConnection> open = new ArrayList<>(connections);
    connections.clear();
    CountDownLatch closed = new CountDownLatch(open.size());
    for (ServerConnection c : open) {
      try {
        c.getIoThread().execute(() -> {
          IoUtils.safeClose(c);
          closed.countDown();
        });
      } catch (RejectedExecutionException workerGone) {
        IoUtils.safeClose(c);
        closed.countDown();
      }
    }
    try {
      if (!closed.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("{}/{}: {} connections still open {} s after kill", context.stackName(), name(),
            closed.getCount(), CLOSE_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void guard(HttpServerExchange exchange) throws Exception {
    ServerConnection connection = exchange.getConnection();
    if (!accepting) {
      IoUtils.safeClose(connection);
      return;
    }
    if (connection.getAttachment(TRACKED) == null) {
      connection.putAttachment(TRACKED, Boolean.TRUE);
      connections.add(connection);
      connection.addCloseListener(connections::remove);
    }
    handler.handleRequest(exchange);
  }

  @Override
  public final InetSocketAddress address() {
    return new InetSocketAddress(context.loopback(), port);
  }

  /** The loopback port; 0 before the first start. */
  public final int port() {
    return port;
  }
}
