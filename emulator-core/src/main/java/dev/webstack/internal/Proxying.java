package dev.webstack.internal;

import io.undertow.server.ConduitWrapper;
import io.undertow.server.DefaultResponseListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.AttachmentKey;
import io.undertow.util.ConduitFactory;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import org.xnio.conduits.StreamSinkConduit;

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
   * The answers a proxying node gives in its own words when forwarding fails, and whether it re-sends a request
   * that already reached a server.
   *
   * @param unavailableStatus the status when no server could be connected to: 503 for HAProxy ("no server is
   *     available"), 502 for nginx
   * @param unavailableBody the page for that status
   * @param brokenBody the 502 page for a request that reached a server which then closed or reset the connection
   *     without a complete response (HAProxy: "The server returned an invalid or incomplete response")
   * @param timeoutBody the 504 page for a server that did not answer within the node's server timeout
   * @param resendsIdempotent whether an idempotent request that reached a server which failed it is sent to the
   *     next server: nginx does ({@code proxy_next_upstream error}, never for POST, LOCK, PATCH once sent); HAProxy
   *     does not (its default {@code retry-on conn-failure} retries only what could not be sent)
   */
  public record FailureAnswers(int unavailableStatus, String unavailableBody, String brokenBody, String timeoutBody,
      boolean resendsIdempotent) {}

  /**
   * A handler that forwards to {@code upstreams}, adding {@code Via: 1.1 <node>} to the request and to the
   * response (RFC 9110 §7.6.3, the node name as pseudonym). When no server can be connected to it answers {@link
   * FailureAnswers#unavailableStatus}; when the request reached a server that then failed it (closed or reset the
   * connection before a complete response head) it answers 502 with {@link FailureAnswers#brokenBody}, unless
   * {@link FailureAnswers#resendsIdempotent} lets it send the request to the next server; when the server takes
   * longer than {@code serverTimeout} to answer (HAProxy's {@code timeout server}, nginx's {@code
   * proxy_read_timeout}) it answers 504 with {@link FailureAnswers#timeoutBody}, the way the real server of the
   * node's role does.
   *
   * <p>The timeout runs from the moment the node starts forwarding to the end of the upstream response, connect
   * included (Undertow's maximum request time); HAProxy's {@code timeout server} is an inactivity timeout, so a
   * response that streams slowly but steadily survives there and not here.
   *
   * <p>Difference from HAProxy: an idempotent request that failed on a kept-alive connection (one that carried a
   * request before, which the server may have closed meanwhile, as a killed server's are) is sent to the next
   * server here; HAProxy closes the client connection without an answer when the request was not the first on the
   * client's connection, so that the client retries it, as HTTP clients do for idempotent requests. The outcome for
   * the client is the same; a non-idempotent request gets the 502 here.
   */
  public static HttpHandler forwarding(String node, Upstreams upstreams, FailureAnswers answers,
      java.time.Duration serverTimeout) {
    ProxyHandler.Builder builder =
        ProxyHandler.builder()
            .setProxyClient(upstreams)
            .setMaxConnectionRetries(0) // each target allows a retry per other server (Upstreams.Target)
            .setMaxRequestTime((int) Math.min(Integer.MAX_VALUE, serverTimeout.toMillis()))
            .setReuseXForwarded(true)
            .setNext(new Unavailable());
    if (!answers.resendsIdempotent()) {
      // Undertow re-sends an idempotent request whose connection failed after it was sent; a refused connection is
      // still retried on the next server (ProxyHandler's connection retries, which this predicate does not govern).
      builder.setIdempotentRequestPredicate(new IdempotentOnReusedConnection());
    }
    return new Forwarding(builder.build(), "1.1 " + node, new FailureAnswer(answers.unavailableStatus(),
        bytes(answers.unavailableBody()), bytes(answers.brokenBody()), bytes(answers.timeoutBody())));
  }

  /** Re-sends only what a client would: an idempotent request whose kept-alive upstream connection failed. */
  private static final class IdempotentOnReusedConnection implements io.undertow.predicate.Predicate {
    @Override
    public boolean resolve(HttpServerExchange exchange) {
      return Upstreams.sentOnReusedConnection(exchange)
          && io.undertow.predicate.IdempotentPredicate.INSTANCE.resolve(exchange);
    }
  }

  private static byte[] bytes(String page) {
    return page.getBytes(StandardCharsets.UTF_8);
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
      HopByHop.fromRequest(exchange);
      exchange.getRequestHeaders().add(Headers.VIA, via);
      exchange.addResponseWrapper(HopByHop.RESPONSE);
      exchange.addResponseCommitListener(addVia); // after the upstream's own entries
      exchange.addDefaultResponseListener(failureAnswer);
      proxy.handleRequest(exchange);
    }
  }

  /**
   * Hop-by-hop fields (RFC 9110 §7.6.1): they describe one connection, so a proxy acts on them and removes them
   * instead of forwarding them, in both directions: {@code Connection} and every field it names, {@code
   * Keep-Alive}, {@code Proxy-Connection}, {@code TE}, {@code Upgrade} and, in responses, {@code Transfer-Encoding}
   * (the node frames the body it sends itself). Each node sets its own {@code Connection}: Undertow's client keeps
   * the upstream connection alive, and the client side answers {@code keep-alive} or {@code close}.
   *
   * <p>A {@code close} anywhere in the client's {@code Connection} list closes the client connection after the
   * response (RFC 9112 §9.6); Undertow honours only a field that is exactly {@code close}.
   *
   * <p>Kept on purpose: a request's {@code TE: trailers} goes on as {@code TE: trailers} (the node passes trailers
   * through), other transfer codings in it are dropped; an upgrade request ({@code Connection: upgrade} with an
   * {@code Upgrade} field) keeps both, so that Undertow can tunnel it, as HAProxy does for WebSocket; a 101
   * response keeps its fields. A request's {@code Transfer-Encoding} is left to Undertow's client, which frames
   * the forwarded body by it.
   *
   * <p>Differences: this follows the RFC rather than either server in the detail: the real HAProxy and nginx act on
   * the {@code close}, {@code keep-alive} and {@code upgrade} options of {@code Connection} and are not known to
   * remove other fields it names (not checked against the real binaries); nginx also drops {@code TE: trailers}
   * (its {@code proxy_set_header TE ""}) unless proxying gRPC.
   */
  static final class HopByHop implements ConduitWrapper<StreamSinkConduit> {
    static final HopByHop RESPONSE = new HopByHop();

    private static final HttpString KEEP_ALIVE = HttpString.tryFromString("Keep-Alive");
    private static final HttpString PROXY_CONNECTION = HttpString.tryFromString("Proxy-Connection");

    private HopByHop() {}

    /** Acts on the request's hop-by-hop fields and removes them before it is forwarded. */
    static void fromRequest(HttpServerExchange exchange) {
      HeaderMap headers = exchange.getRequestHeaders();
      boolean upgrade = false;
      // Before the Connection list is acted on: a compliant client names TE there (RFC 9110 §10.1.4).
      String te = teTrailers(headers.get(Headers.TE));
      HeaderValues connection = headers.get(Headers.CONNECTION);
      if (connection != null) {
        for (String value : connection) {
          for (String token : value.split(",")) {
            String option = token.trim();
            if (option.equalsIgnoreCase("close")) {
              exchange.setPersistent(false);
            } else if (option.equalsIgnoreCase("upgrade")) {
              upgrade = true;
            } else if (!option.isEmpty() && !option.equalsIgnoreCase("keep-alive")) {
              removeNamed(headers, option);
            }
          }
        }
      }
      remove(headers);
      if (te != null) {
        headers.put(Headers.TE, te);
      }
      if (upgrade && headers.contains(Headers.UPGRADE)) {
        headers.put(Headers.CONNECTION, "upgrade");
      } else {
        headers.remove(Headers.UPGRADE);
      }
    }

    /** {@code trailers} when the client's {@code TE} offers it, else null. */
    private static String teTrailers(HeaderValues te) {
      if (te != null) {
        for (String value : te) {
          for (String token : value.split(",")) {
            String coding = token.trim();
            int parameters = coding.indexOf(';');
            if ((parameters < 0 ? coding : coding.substring(0, parameters).trim()).equalsIgnoreCase("trailers")) {
              return "trailers";
            }
          }
        }
      }
      return null;
    }

    /**
     * Removes a field a {@code Connection} list names, except the ones that route the message and frame its body:
     * naming them there is an attempt to desynchronize the next hop, not a hop-by-hop option.
     */
    private static void removeNamed(HeaderMap headers, String name) {
      HttpString field = HttpString.tryFromString(name);
      if (!field.equals(Headers.HOST) && !field.equals(Headers.CONTENT_LENGTH)
          && !field.equals(Headers.TRANSFER_ENCODING)) {
        headers.remove(field);
      }
    }

    private static void remove(HeaderMap headers) {
      headers.remove(Headers.CONNECTION);
      headers.remove(KEEP_ALIVE);
      headers.remove(PROXY_CONNECTION);
      headers.remove(Headers.TE);
    }

    /**
     * Removes the upstream response's hop-by-hop fields when the response channel is created: before Undertow
     * chooses the framing and the {@code Connection} value from the response fields (a commit listener runs too
     * late for that), after the proxy handler copied the upstream's fields.
     */
    @Override
    public StreamSinkConduit wrap(ConduitFactory<StreamSinkConduit> factory, HttpServerExchange exchange) {
      if (exchange.getStatusCode() != 101) {
        HeaderMap headers = exchange.getResponseHeaders();
        HeaderValues connection = headers.get(Headers.CONNECTION);
        if (connection != null) {
          for (String value : connection) {
            for (String token : value.split(",")) {
              String option = token.trim();
              if (!option.isEmpty()) {
                removeNamed(headers, option);
              }
            }
          }
        }
        remove(headers);
        headers.remove(Headers.UPGRADE);
        headers.remove(Headers.TRANSFER_ENCODING);
      }
      return factory.create();
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

  /**
   * Answers, in the node's words, an exchange the proxy handler ended without a response: 504 (server timeout), or
   * 503, which Undertow sets both when no server could be connected to and when the request failed after it was
   * sent. The second is told apart by {@link Upstreams#reachedServer} and answered 502, as HAProxy and nginx do.
   * A 500 without a response is Undertow's answer to a failure while sending the request body to the server,
   * which also reached it.
   */
  private static final class FailureAnswer implements DefaultResponseListener {
    private final int status;
    private final byte[] body;
    private final byte[] broken;
    private final byte[] timeout;

    FailureAnswer(int status, byte[] body, byte[] broken, byte[] timeout) {
      this.status = status;
      this.body = body;
      this.broken = broken;
      this.timeout = timeout;
    }

    @Override
    public boolean handleDefaultResponse(HttpServerExchange exchange) {
      if (exchange.isResponseStarted()) {
        return false;
      }
      byte[] page;
      switch (exchange.getStatusCode()) {
        case 504:
          page = timeout;
          break;
        case 503:
        case 500:
          if (Upstreams.reachedServer(exchange)) {
            exchange.setStatusCode(502);
            page = broken;
          } else if (exchange.getStatusCode() == 503) {
            exchange.setStatusCode(status);
            page = body;
          } else {
            return false;
          }
          break;
        default:
          return false;
      }
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html");
      exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
      exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(page));
      return true;
    }
  }
}
