package dev.webstack.balancer;

import dev.webstack.BalancerSpec;
import dev.webstack.internal.HttpNode;
import dev.webstack.internal.NodeContext;
import dev.webstack.internal.Proxying;
import dev.webstack.internal.Upstreams;
import dev.webstack.web.WebServerNode;
import io.undertow.server.HttpHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * The load balancer (HAProxy's role): a reverse proxy on its own loopback listener, choosing a web server per
 * request with the spec's {@link BalancingAlgorithm} among the servers its health checks see UP (backups only
 * when no active server is). When no web server can be reached it answers 503 with HAProxy's own page; when a web
 * server closes or resets the connection after it received the request it answers 502 with HAProxy's page and does
 * not send the request elsewhere, whatever its method (HAProxy's default {@code retry-on conn-failure}); and 504
 * with HAProxy's page when a web server does not answer within {@code timeout server}.
 *
 * <p>Its {@link Backend} ({@code stack.backend("lb-1")}) shows HAProxy's statistics and takes HAProxy's run-time
 * commands. Differences from HAProxy, on purpose for now: HTTP/1.1 only, no connection limits ({@code maxconn})
 * and no queues; see {@link ProxyBackend} for the differences in health checking.
 */
public final class BalancerNode extends HttpNode {

  /** HAProxy's 503 page, byte for byte. */
  static final String HAPROXY_503 =
      "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n"
          + "</body></html>\n";

  /**
   * HAProxy's 502 page, byte for byte: the answer when a server closed or reset the connection after it received
   * the request and before a complete response head.
   */
  static final String HAPROXY_502 =
      "<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n"
          + "</body></html>\n";

  /** HAProxy's 504 page, byte for byte. */
  static final String HAPROXY_504 =
      "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n";

  private final BalancerSpec spec;
  private final List<? extends HttpNode> webServers;
  private final ProxyBackend backend;
  private Upstreams upstreams;

  /**
   * @param weights the web servers' weights, in the same order
   */
  public BalancerNode(NodeContext context, BalancerSpec spec, List<? extends HttpNode> webServers,
      List<Integer> weights) {
    super(context, spec);
    this.spec = spec;
    this.webServers = List.copyOf(webServers);
    List<ProxyBackend.ServerConfig> configs = new ArrayList<>();
    for (int i = 0; i < this.webServers.size(); i++) {
      HttpNode web = this.webServers.get(i);
      boolean backup = web instanceof WebServerNode w && w.spec().backup();
      configs.add(new ProxyBackend.ServerConfig(web.name(), weights.get(i), backup,
          Upstreams.link(context, spec.name(), web)));
    }
    this.backend = new ProxyBackend(context, spec.name(), configs, spec.algorithm(), spec.healthCheck(),
        spec.allBackups(), this::isRunning);
  }

  /** The active (non-backup) web servers as this balancer sees them: weights, states, requests in flight. */
  public ServerSet servers() {
    return backend.actives();
  }

  /** The web servers' statistics and HAProxy's run-time commands. */
  public Backend backend() {
    return backend;
  }

  @Override
  protected HttpHandler handler() {
    upstreams = new Upstreams(context, name(), webServers, backend, spec.algorithm());
    backend.start();
    // HAProxy's default retry-on conn-failure: a request that reached a server is never sent again, even a GET.
    return Proxying.forwarding(name(), upstreams,
        new Proxying.FailureAnswers(503, HAPROXY_503, HAPROXY_502, HAPROXY_504, false), spec.serverTimeout());
  }

  @Override
  protected void release() throws Exception {
    super.release();
    backend.close();
    if (upstreams != null) {
      upstreams.close();
    }
  }
}
