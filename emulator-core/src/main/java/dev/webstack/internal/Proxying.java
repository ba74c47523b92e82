package dev.webstack.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;

/** Builds the forwarding handlers of proxying nodes and the path headers every hop adds. */
public final class Proxying {

  /** The header an origin (application server, or web server for static files) names itself in. */
  public static final HttpString SERVED_BY = HttpString.tryFromString("X-Served-By");

  /** The header an application server names the database nodes a request used in, in first-use order. */
  public static final HttpString DATABASE = HttpString.tryFromString("X-Database");

  /** Set by a proxying node on each exchange: the server it forwarded to last, for the request journal. */
  public static final AttachmentKey<String> UPSTREAM = AttachmentKey.create(String.class);

  private Proxying() {}

  /**
   * A handler that forwards to {@code upstreams}, adding {@code Via: 1.1 <node>} to the request and to the
   * response (RFC 9110 §7.6.3, the node name as pseudonym). When no server can be reached it answers with {@code
   * failureStatus} and {@code failureBody}; when the server takes longer than {@code serverTimeout} to answer
   * (HAProxy's {@code timeout server}, nginx's {@code proxy_read_timeout}) it answers 504 with {@code timeoutBody},
   * the way the real server of the node's role does.
   *
   * <p>The timeout runs from the moment the node starts forwarding to the end of the upstream response, connect
   * included (Undertow's maximum request time); HAProxy's {@code timeout server} is an inactivity timeout, so a
   * response that streams slowly but steadily survives there and not here.
   */
  public static HttpHandler forwarding(String node, Upstreams upstreams, int failureStatus, String failureBody,
      String timeoutBody, java.time.Duration serverTimeout) {
    HttpHandler proxy =
        ProxyHandler.builder()
            .setProxyClient(upstreams)
            .setMaxConnectionRetries(0) // each target allows a retry per other server (Upstreams.Target)
            .setMaxRequestTime((int) Math.min(Integer.MAX_VALUE, serverTimeout.toMillis()))
            .setReuseXForwarded(true)
            .setNext(exchange -> exchange.setStatusCode(503).endExchange())
            .build();
    byte[] body = failureBody.getBytes(StandardCharsets.UTF_8);
    byte[] timeout = timeoutBody.getBytes(StandardCharsets.UTF_8);
    String via = "1.1 " + node;
    return exchange -> {
      exchange.getRequestHeaders().add(Headers.VIA, via);
      addVia(exchange, via);
      exchange.addDefaultResponseListener(ex -> answerFailure(ex, failureStatus, body, timeout));
      proxy.handleRequest(exchange);
    };
  }

  /** Appends a Via entry to the response when it is committed, after the upstream's own entries. */
  public static void addVia(HttpServerExchange exchange, String via) {
    exchange.addResponseCommitListener(ex -> ex.getResponseHeaders().add(Headers.VIA, via));
  }

  private static boolean answerFailure(HttpServerExchange exchange, int status, byte[] body, byte[] timeout) {
    if (exchange.isResponseStarted()) {
      return false;
    }
    if (exchange.getStatusCode() == 504) {
      body = timeout;
    } else if (exchange.getStatusCode() == 503) {
      exchange.setStatusCode(status);
    } else {
      return false;
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
    exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
    return true;
  }
}
