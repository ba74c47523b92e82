package dev.webstack.internal;

import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.HashKey;
import dev.webstack.balancer.ProxyBackend;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ConnectionPoolManager;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.AttachmentKey;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The servers one proxying node forwards to (a balancer's web tier, a web server's application tier) and the
 * connections it keeps to each, as an Undertow {@link ProxyClient}.
 *
 * <p>Each pick goes through the node's {@link ProxyBackend}: its algorithm's {@link dev.webstack.balancer.Picker}
 * over the servers that are up, skipping servers this request already tried, then backups when no active server
 * is up. A refused connection is retried on the next server for any method, because nothing was sent (HAProxy's
 * {@code retries} with {@code option redispatch}); each server is tried at most once per request, as nginx's
 * {@code proxy_next_upstream} does. When every server failed, the node answers 503 (502 for nginx). A request that
 * reached a server which then failed it is sent to the next server only by a web server, and only when idempotent
 * (nginx's {@code proxy_next_upstream error}); the balancer answers 502 (HAProxy's default {@code retry-on
 * conn-failure}), see {@link #reachedServer} and {@link Proxying#forwarding}. Connection
 * outcomes are reported to the backend, which marks a server down on refused connections when it observes layer
 * 4 ({@code observe layer4}).
 *
 * <p>Every connection goes over the {@link Link} from the node to the server, through a {@link LinkPool}.
 */
public final class Upstreams implements ProxyClient {

  /** Set once a connection to a server is handed over for the request: from then on the server may have it. */
  private static final AttachmentKey<Boolean> REACHED = AttachmentKey.create(Boolean.class);
  private static final AttachmentKey<Boolean> REUSED = AttachmentKey.create(Boolean.class);
  /** The upstream connections a request went out on already: the next request on one is on a kept-alive one. */
  private final java.util.Set<io.undertow.client.ClientConnection> used =
      java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

  private final AttachmentKey<Attempts> attempts = AttachmentKey.create(Attempts.class);
  private final ProxyBackend backend;
  private final HashKey hashKey;
  private final LinkPool[] pools;
  private final Target[] targets;

  /**
   * @param from the name of the node that forwards, for the links to its servers
   * @param servers the nodes to forward to, in configuration order; their indexes in {@code backend} are their
   *     positions
   * @param backend the servers' weights, health and states, owned by the calling node
   */
  public Upstreams(NodeContext context, String from, List<? extends HttpNode> servers, ProxyBackend backend,
      BalancingAlgorithm algorithm) {
    this.backend = backend;
    this.hashKey = algorithm.hashKey();
    this.pools = new LinkPool[servers.size()];
    this.targets = new Target[servers.size()];
    for (int i = 0; i < pools.length; i++) {
      pools[i] = new LinkPool(context, link(context, from, servers.get(i)));
      targets[i] = new Target(i, servers.size() - 1);
    }
  }

  /**
   * Whether the request of {@code exchange} went out to a server: a connection was obtained for it (fresh or
   * kept alive), so its bytes were sent or being sent. A failure after that is the server's (HAProxy's 502, "invalid
   * or incomplete response"), not a lack of servers (503).
   */
  public static boolean reachedServer(HttpServerExchange exchange) {
    return exchange.getAttachment(REACHED) != null;
  }

  /** Whether the request of {@code exchange} went out on a kept-alive connection that carried a request before. */
  public static boolean sentOnReusedConnection(HttpServerExchange exchange) {
    return exchange.getAttachment(REUSED) != null;
  }

  /** The link from {@code from} to {@code server}, the one its traffic and its health checks share. */
  public static Link link(NodeContext context, String from, HttpNode server) {
    return context.links().link(from, server.name(), server::address);
  }

  /** What one exchange tried so far, and the server counted as serving it. */
  private final class Attempts implements ExchangeCompletionListener {
    final ProxyBackend.Attempt attempt = backend.newAttempt();
    int serving = -1;

    void serve(int index) {
      release();
      serving = index;
      backend.started(index);
    }

    /** The server no longer serves this exchange (it ended, or the connection to the server failed). */
    void release() {
      if (serving >= 0) {
        backend.finished(serving);
        serving = -1;
      }
    }

    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
      release();
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
    int index = backend.pick(key(exchange), a.attempt);
    return index < 0 ? null : targets[index];
  }

  private long key(HttpServerExchange exchange) {
    switch (hashKey.source()) {
      case SOURCE_IP:
        java.net.InetSocketAddress source = exchange.getSourceAddress();
        return source == null ? 0 : HashKey.hash(source.getAddress().getHostAddress());
      case URI: // HAProxy's balance uri: the part left of '?'
        return HashKey.hash(exchange.getRequestURI());
      case WHOLE_URI: // balance uri whole
        String query = exchange.getQueryString();
        return HashKey.hash(query.isEmpty() ? exchange.getRequestURI() : exchange.getRequestURI() + "?" + query);
      case HEADER:
        // HAProxy's get_server_hh: "if the header is not found or empty, let's fallback to round robin".
        String value = exchange.getRequestHeaders().getFirst(hashKey.header());
        return value == null || value.isEmpty() ? 0 : HashKey.hash(value);
      default:
        return 0;
    }
  }

  @Override
  public void getConnection(ProxyTarget target, HttpServerExchange exchange, ProxyCallback<ProxyConnection> callback,
      long timeout, TimeUnit timeUnit) {
    int index = ((Target) target).index;
    Attempts a = exchange.getAttachment(attempts);
    a.attempt.tried(index);
    a.serve(index);
    exchange.putAttachment(Proxying.UPSTREAM, backend.serverName(index));
    pools[index].connect(target, exchange, new Observed(index, a, callback), timeout, timeUnit);
  }

  /** Tells the backend how a connection attempt ended (HAProxy's {@code observe layer4}), then carries on. */
  private final class Observed implements ProxyCallback<ProxyConnection> {
    private final int index;
    private final Attempts attempts;
    private final ProxyCallback<ProxyConnection> next;

    Observed(int index, Attempts attempts, ProxyCallback<ProxyConnection> next) {
      this.index = index;
      this.attempts = attempts;
      this.next = next;
    }

    @Override
    public void completed(HttpServerExchange exchange, ProxyConnection result) {
      backend.connected(index);
      exchange.putAttachment(REACHED, Boolean.TRUE); // the request goes out on this connection now
      if (!used.add(result.getConnection())) {
        exchange.putAttachment(REUSED, Boolean.TRUE);
      }
      next.completed(exchange, result);
    }

    @Override
    public void failed(HttpServerExchange exchange) {
      attempts.release(); // no session on a server that refused the connection
      backend.connectFailed(index);
      next.failed(exchange);
    }

    @Override
    public void couldNotResolveBackend(HttpServerExchange exchange) {
      next.couldNotResolveBackend(exchange);
    }

    @Override
    public void queuedRequestFailed(HttpServerExchange exchange) {
      next.queuedRequestFailed(exchange);
    }
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
   *
   * <p>Undertow's pool caps connections per server and I/O thread, which HAProxy does not without a server {@code
   * maxconn}; the cap is HAProxy's default frontend {@code maxconn} (2,000), so only as many concurrent requests as
   * a default HAProxy would accept reach it. Beyond it Undertow queues up to {@link #getMaxQueueSize()} requests
   * for a free connection, with no {@code timeout queue}, then sends the request to another server.
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
      return 2000;
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
