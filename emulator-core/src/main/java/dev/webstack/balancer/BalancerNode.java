package dev.webstack.balancer;

import dev.webstack.BalancerSpec;
import dev.webstack.internal.HttpNode;
import dev.webstack.internal.NodeContext;
import dev.webstack.internal.Proxying;
import dev.webstack.internal.Upstreams;
import io.undertow.server.HttpHandler;
import java.util.List;

/**
 * The load balancer (HAProxy's role): a reverse proxy on its own loopback listener, choosing a web server per
 * request with the spec's {@link BalancingAlgorithm}. When no web server can be reached it answers 503 with
 * HAProxy's own page.
 *
 * <p>Differences from HAProxy, on purpose for now: no health checks (a dead server is found by a refused
 * connection and the request redispatched), HTTP/1.1 only, no connection limits ({@code maxconn}).
 */
public final class BalancerNode extends HttpNode {

  /** HAProxy's 503 page, byte for byte. */
  static final String HAPROXY_503 =
      "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n"
          + "</body></html>\n";

  private final BalancerSpec spec;
  private final List<? extends HttpNode> webServers;
  private final ServerSet servers = new ServerSet();
  private Upstreams upstreams;

  /**
   * @param weights the web servers' weights, in the same order
   */
  public BalancerNode(NodeContext context, BalancerSpec spec, List<? extends HttpNode> webServers,
      List<Integer> weights) {
    super(context, spec);
    this.spec = spec;
    this.webServers = List.copyOf(webServers);
    for (int i = 0; i < this.webServers.size(); i++) {
      servers.add(this.webServers.get(i).name(), weights.get(i));
    }
  }

  /** The web servers as this balancer sees them: weights, states, requests in flight. */
  public ServerSet servers() {
    return servers;
  }

  @Override
  protected HttpHandler handler() {
    upstreams = new Upstreams(context, name(), webServers, servers, spec.algorithm());
    return Proxying.forwarding(name(), upstreams, 503, HAPROXY_503);
  }

  @Override
  protected void release() {
    if (upstreams != null) {
      upstreams.close();
    }
  }
}
