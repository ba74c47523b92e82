package dev.webstack.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.server.handlers.proxy.ProxyConnectionPool;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.xnio.OptionMap;
import org.xnio.Options;

/**
 * The pooled HTTP connections over one {@link Link}. When the link starts routing through a relay (or stops),
 * the pool is replaced and the old one closed, so no kept-alive connection bypasses a fault.
 */
public final class LinkPool {

  private final NodeContext context;
  private final Link link;
  private ProxyConnectionPool pool;
  private int version = -1;
  private boolean closed;

  public LinkPool(NodeContext context, Link link) {
    this.context = context;
    this.link = link;
  }

  public Link link() {
    return link;
  }

  /** Hands {@code callback} a connection over the link, opening one if none is idle. */
  public void connect(ProxyClient.ProxyTarget target, HttpServerExchange exchange,
      ProxyCallback<ProxyConnection> callback, long timeout, TimeUnit unit) {
    current().connect(target, exchange, callback, timeout, unit, false);
  }

  private synchronized ProxyConnectionPool current() {
    int v = link.version();
    if (pool == null || v != version || closed) {
      ProxyConnectionPool old = pool;
      InetSocketAddress address = link.connectAddress();
      pool = new ProxyConnectionPool(new Upstreams.PoolSettings(),
          URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort()),
          context.client(), OptionMap.create(Options.TCP_NODELAY, true));
      version = v;
      if (old != null) {
        old.close();
      }
      if (closed) {
        pool.close();
      }
    }
    return pool;
  }

  /** Closes the idle connections and makes returned ones close; called when the owning node closes for good. */
  public synchronized void close() {
    closed = true;
    if (pool != null) {
      pool.close();
    }
  }
}
