package dev.webstack.internal;

import dev.webstack.dns.DnsNames;
import dev.webstack.dns.DnsResponse;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The modeled internet between clients and the stack, as an HTTP forward proxy on loopback. {@code
 * stack.httpClient()} sends every request here (absolute-form, as to any proxy); the gateway resolves the
 * request's host through the stack's DNS, finds the node at that modeled address and port, and forwards the
 * request unchanged, Host header included. This is how a plain {@code java.net.http.HttpClient} reaches {@code
 * http://www.foobar.com/} on JDK 17, which has no resolver SPI.
 *
 * <p>The gateway is the network, not a proxy of the design: it adds no {@code Via} entry. It reports failures
 * the way forward proxies report them to their clients, with the reason in the body and in an {@code
 * X-Webstack-Error} header:
 *
 * <ul>
 *   <li>a name that does not resolve (NXDOMAIN, SERVFAIL): 503, as Squid ({@code ERR_DNS_FAIL}) and Envoy ("DNS
 *       resolution failure") answer; the header carries the error a client's resolver gives, such as {@code
 *       www.foobar.com: Temporary failure in name resolution (...)};
 *   <li>a destination that refuses the connection (nothing listens, the node or its host is down): 502.
 * </ul>
 *
 * <p>Names resolve through {@link ModeledNetwork}'s cache, which honours each answer's TTL on the stack's clock.
 * A slow answer is waited for without blocking the I/O thread.
 */
public final class Gateway {

  /** The header carrying why the gateway could not reach the destination. */
  public static final HttpString ERROR = HttpString.tryFromString("X-Webstack-Error");

  /** The name clients go by in links: {@code client->lb-1} is the internet path to the balancer. */
  public static final String CLIENT = "client";

  private final AttachmentKey<HttpNode> target = AttachmentKey.create(HttpNode.class);
  private final NodeContext context;
  private final ModeledNetwork network;
  private final Map<HttpNode, LinkPool> pools = new ConcurrentHashMap<>();
  private HttpListener server;

  public Gateway(NodeContext context, ModeledNetwork network) {
    this.context = context;
    this.network = network;
  }

  public void start() {
    HttpHandler proxy =
        ProxyHandler.builder()
            .setProxyClient(new Client())
            .setMaxConnectionRetries(0)
            .setReuseXForwarded(true)
            .setNext(exchange -> exchange.setStatusCode(503).endExchange())
            .build();
    HttpHandler root = exchange -> {
      String host = exchange.getHostName();
      if (DnsNames.isIpv4(host)) {
        forward(exchange, proxy, null);
        return;
      }
      DnsResponse cached = network.cached(host);
      if (cached != null) {
        forward(exchange, proxy, cached);
        return;
      }
      DnsResponse fresh = network.query(host);
      if (fresh.delay().isZero()) {
        network.remember(fresh);
        forward(exchange, proxy, fresh);
        return;
      }
      // A slow answer: wait for it without holding the I/O thread, then carry on where we left off.
      exchange.dispatch(SameThreadExecutor.INSTANCE, () -> IoTimers.executeAfter(exchange.getIoThread(), () -> {
        network.remember(fresh);
        Connectors.executeRootHandler(ex -> forward(ex, proxy, fresh), exchange);
      }, fresh.delay().toNanos(), TimeUnit.NANOSECONDS));
    };
    server = HttpListener.open(context, context.loopback(), 0, root, HttpListener.GATEWAY_MAX_HEADER_BYTES);
  }

  /** Routes the exchange by its host ({@code dns} answered it; null for an address literal) and forwards it. */
  private void forward(HttpServerExchange exchange, HttpHandler proxy, DnsResponse dns) throws Exception {
    HttpNode node;
    try {
      node = dns == null
          ? network.route(exchange.getHostName(), exchange.getHostPort())
          : network.route(dns, exchange.getHostName(), exchange.getHostPort());
    } catch (ModeledNetwork.Unreachable e) {
      if (e.isDnsFailure()) {
        dnsFailure(exchange, e.getMessage());
      } else {
        fail(exchange, e.getMessage());
      }
      return;
    }
    exchange.putAttachment(target, node);
    exchange.addDefaultResponseListener(ex -> {
      if (ex.isResponseStarted() || ex.getStatusCode() != 503) {
        return false;
      }
      fail(ex, exchange.getHostName() + ": connection to " + node.name() + " failed");
      return true;
    });
    proxy.handleRequest(exchange);
  }

  /**
   * The name did not resolve: 503, as Squid answers with its {@code ERR_DNS_FAIL} page and Envoy's dynamic
   * forward proxy with "DNS resolution failure"; the reason is the client resolver's error (glibc wording, the
   * zone's reason in parentheses).
   */
  private static void dnsFailure(HttpServerExchange exchange, String reason) {
    exchange.setStatusCode(503);
    exchange.getResponseHeaders().put(ERROR, reason.replace('\n', ' '));
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
    exchange.getResponseSender().send(ByteBuffer.wrap(
        ("503 Service Unavailable (ERR_DNS_FAIL): unable to determine the IP address of "
            + exchange.getHostName() + ": " + reason + "\n").getBytes(StandardCharsets.UTF_8)));
  }

  private static void fail(HttpServerExchange exchange, String reason) {
    exchange.setStatusCode(502);
    exchange.getResponseHeaders().put(ERROR, reason.replace('\n', ' '));
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
    exchange.getResponseSender().send(ByteBuffer.wrap(
        ("502 Bad Gateway: " + reason + "\n").getBytes(StandardCharsets.UTF_8)));
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(context.loopback(), server.port());
  }

  public void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
    pools.values().forEach(LinkPool::close);
    pools.clear();
  }

  /** Connects to the node the root handler routed the exchange to. */
  private final class Client implements ProxyClient {
    private final ProxyTarget single = new ProxyTarget() {};

    @Override
    public ProxyTarget findTarget(HttpServerExchange exchange) {
      return exchange.getAttachment(target) == null ? null : single;
    }

    @Override
    public void getConnection(ProxyTarget proxyTarget, HttpServerExchange exchange,
        ProxyCallback<ProxyConnection> callback, long timeout, TimeUnit timeUnit) {
      HttpNode node = exchange.getAttachment(target);
      LinkPool pool = pools.computeIfAbsent(node,
          n -> new LinkPool(context, context.links().link(CLIENT, n.name(), n::address)));
      pool.connect(proxyTarget, exchange, callback, timeout, timeUnit);
    }
  }
}
