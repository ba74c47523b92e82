package dev.webstack.internal;

import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.HashKey;
import dev.webstack.balancer.Picker;
import dev.webstack.balancer.ServerSet;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ConnectionPoolManager;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.AttachmentKey;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.concurrent.TimeUnit;

/**
 * The servers one proxying node forwards to (a balancer's web tier, a web server's application tier) and the
 * connections it keeps to each, as an Undertow {@link ProxyClient}.
 *
 * <p>Each pick goes through the algorithm's {@link Picker}, skipping servers this request already tried. A refused
 * connection is retried on the next server for any method, because nothing was sent (HAProxy's {@code retries}
 * with {@code option redispatch}); each server is tried at most once per request, as nginx's {@code
 * proxy_next_upstream} does. When every server failed, the node answers 503.
 *
 * <p>Without health checks nothing is remembered between requests: a dead server is tried again by the next
 * request whose turn it is, and costs it one refused connection.
 */
public final class Upstreams implements ProxyClient {

  private final AttachmentKey<Attempts> attempts = AttachmentKey.create(Attempts.class);
  private final List<HttpNode> servers;
  private final ServerSet set;
  private final Picker picker;
  private final HashKey hashKey;
  private final LinkPool[] pools;
  private final Target[] targets;

  /**
   * @param from the name of the node that forwards, for the links to its servers
   * @param servers the nodes to forward to, in configuration order; their ids in {@code set} are their positions
   * @param set the servers' weights and states, owned by the calling node
   */
  public Upstreams(NodeContext context, String from, List<? extends HttpNode> servers, ServerSet set,
      BalancingAlgorithm algorithm) {
    this.servers = List.copyOf(servers);
    this.set = set;
    this.picker = algorithm.newPicker(set, context.random().streamSeed(from + "/balancing"));
    this.hashKey = algorithm.hashKey();
    this.pools = new LinkPool[servers.size()];
    this.targets = new Target[servers.size()];
    for (int i = 0; i < pools.length; i++) {
      HttpNode server = this.servers.get(i);
      pools[i] = new LinkPool(context, context.links().link(from, server.name(), server::address));
      targets[i] = new Target(i, servers.size() - 1);
    }
  }

  /** What one exchange tried so far, and the server counted as serving it. */
  private final class Attempts implements ExchangeCompletionListener {
    final boolean[] tried = new boolean[servers.size()];
    final IntPredicate skip = i -> tried[i];
    int serving = -1;

    void serve(int index) {
      if (serving >= 0) {
        set.finished(serving);
      }
      serving = index;
      set.started(index);
    }

    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
      if (serving >= 0) {
        set.finished(serving);
        serving = -1;
      }
      next.proceed();
    }
  }

  @Override
  public ProxyTarget findTarget(HttpServerExchange exchange) {
    Attempts a = exchange.getAttachment(attempts);
    if (a == null) {
      a = new Attempts();
      exchange.putAttachment(attempts, a);
      exchange.addExchangeCompleteListener(a);
    }
    int index = picker.pick(key(exchange), a.skip);
    return index < 0 ? null : targets[index];
  }

  private long key(HttpServerExchange exchange) {
    switch (hashKey.source()) {
      case SOURCE_IP:
        java.net.InetSocketAddress source = exchange.getSourceAddress();
        return source == null ? 0 : HashKey.hash(source.getAddress().getHostAddress());
      case URI:
        String query = exchange.getQueryString();
        return HashKey.hash(query.isEmpty() ? exchange.getRequestURI() : exchange.getRequestURI() + "?" + query);
      case HEADER:
        String value = exchange.getRequestHeaders().getFirst(hashKey.header());
        return value == null ? 0 : HashKey.hash(value);
      default:
        return 0;
    }
  }

  @Override
  public void getConnection(ProxyTarget target, HttpServerExchange exchange, ProxyCallback<ProxyConnection> callback,
      long timeout, TimeUnit timeUnit) {
    int index = ((Target) target).index;
    Attempts a = exchange.getAttachment(attempts);
    a.tried[index] = true;
    a.serve(index);
    exchange.putAttachment(Proxying.UPSTREAM, servers.get(index).name());
    pools[index].connect(target, exchange, callback, timeout, timeUnit);
  }

  /** Closes the pooled connections; called when the owning node closes for good. */
  public void close() {
    for (LinkPool pool : pools) {
      pool.close();
    }
  }

  /** One server, allowing a retry on each of the others. */
  private record Target(int index, int maxRetries) implements MaxRetriesProxyTarget {
    @Override
    public int getMaxRetries() {
      return maxRetries;
    }
  }

  /**
   * Pool settings. A connection error does not mark the pool unavailable, and no background reconnect runs:
   * availability is the balancer's business (health checks), not the pool's.
   */
  static final class PoolSettings implements ConnectionPoolManager {
    @Override
    public int getProblemServerRetry() {
      return -1;
    }

    @Override
    public boolean isAvailable() {
      return true;
    }

    @Override
    public boolean handleError() {
      return true;
    }

    @Override
    public boolean clearError() {
      return true;
    }

    @Override
    public int getMaxConnections() {
      return 256;
    }

    @Override
    public int getMaxCachedConnections() {
      return 64;
    }

    @Override
    public int getSMaxConnections() {
      return 64;
    }

    @Override
    public long getTtl() {
      return -1;
    }

    @Override
    public int getMaxQueueSize() {
      return 1024;
    }
  }
}
