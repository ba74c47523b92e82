package dev.webstack.internal;

import io.undertow.server.DefaultResponseListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
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
            .setNext(new Unavailable())
            .build();
    return new Forwarding(proxy, "1.1 " + node, new FailureAnswer(failureStatus,
        failureBody.getBytes(StandardCharsets.UTF_8), timeoutBody.getBytes(StandardCharsets.UTF_8)));
  }

  // Handlers and listeners are classes rather than lambdas: a cold JVM links each lambda on its first request, and
  // a stack's first request is part of its cold time. The listeners hold nothing per request, so one of each
  // serves every exchange of the node.

  /** Adds the Via entries, arms the failure answer and forwards. */
  private static final class Forwarding implements HttpHandler {
    private final HttpHandler proxy;
    private final String via;
    private final ResponseCommitListener addVia;
    private final DefaultResponseListener failureAnswer;

    Forwarding(HttpHandler proxy, String via, DefaultResponseListener failureAnswer) {
      this.proxy = proxy;
      this.via = via;
      this.addVia = new AddVia(via);
      this.failureAnswer = failureAnswer;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
      exchange.getRequestHeaders().add(Headers.VIA, via);
      exchange.addResponseCommitListener(addVia); // after the upstream's own entries
      exchange.addDefaultResponseListener(failureAnswer);
      proxy.handleRequest(exchange);
    }
  }

  /** Appends a Via entry to the response when it is committed. */
  private static final class AddVia implements ResponseCommitListener {
    private final String via;

    AddVia(String via) {
      this.via = via;
    }

    @Override
    public void beforeCommit(HttpServerExchange exchange) {
      exchange.getResponseHeaders().add(Headers.VIA, via);
    }
  }

  /** What the proxy handler falls back to when it has no target: 503, which {@link FailureAnswer} words. */
  private static final class Unavailable implements HttpHandler {
    @Override
    public void handleRequest(HttpServerExchange exchange) {
      exchange.setStatusCode(503).endExchange();
    }
  }

  /** Answers a 503 (no server reached) or 504 (server timeout) that has no response yet in the node's words. */
  private static final class FailureAnswer implements DefaultResponseListener {
    private final int status;
    private final byte[] body;
    private final byte[] timeout;

    FailureAnswer(int status, byte[] body, byte[] timeout) {
      this.status = status;
      this.body = body;
      this.timeout = timeout;
    }

    @Override
    public boolean handleDefaultResponse(HttpServerExchange exchange) {
      return answerFailure(exchange, status, body, timeout);
    }
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
