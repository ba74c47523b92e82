package dev.webstack.app;

import dev.webstack.AppServerSpec;
import dev.webstack.internal.DatabaseHops;
import dev.webstack.internal.HttpNode;
import dev.webstack.internal.NodeContext;
import dev.webstack.internal.Proxying;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * An application server (Gunicorn's role): runs the user's {@link AppHandler} on the stack's worker threads, so
 * the handler may block on JDBC. A handler that throws gets its request answered with 500 and the exception
 * logged; the node keeps serving. That holds for an {@link Error} too (an {@link AssertionError} from a test's
 * assertion, a {@link StackOverflowError}), as gunicorn answers 500 for any exception of the application, Python's
 * {@code AssertionError} and {@code RecursionError} included.
 *
 * <p>A request whose connection closed while the handler ran (the node was killed, the stack closed, or the web
 * server gave up on it) still runs to its end; its answer is dropped, logged at debug, as gunicorn drops a write to
 * a client that has gone.
 */
public final class AppServerNode extends HttpNode {

  private static final byte[] ERROR_500 = "500 Internal Server Error".getBytes(StandardCharsets.UTF_8);

  private final AppServerSpec spec;
  private final DataSource dataSource;

  /**
   * @param dataSource the stack's database as this node reaches it, or null when the stack has none
   */
  public AppServerNode(NodeContext context, AppServerSpec spec, DataSource dataSource) {
    super(context, spec);
    this.spec = spec;
    this.dataSource = dataSource;
  }

  @Override
  protected HttpHandler handler() {
    return new BlockingHandler(new Serve());
  }

  /**
   * Runs the application on the task thread the blocking handler dispatched to (a class, not a lambda, which a cold
   * JVM would link on the first request).
   */
  private final class Serve implements HttpHandler {
    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
      serve(exchange);
    }
  }

  private void serve(HttpServerExchange exchange) throws Exception {
    String body = new String(exchange.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    AppResponse response;
    DatabaseHops.begin();
    try {
      response = spec.handler().handle(new Request(exchange, body));
      if (response == null) {
        throw new NullPointerException("the handler returned null instead of an AppResponse");
      }
    } catch (Exception | Error e) { // not Throwable: a checked Throwable of another kind cannot come from handle()
      if (connectionGone(exchange)) {
        DatabaseHops.end();
        log.debug("{} {} failed on {}/{} after its connection closed", exchange.getRequestMethod(),
            exchange.getRequestPath(), context.stackName(), name(), e);
        return;
      }
      addDatabaseHops(exchange);
      log.warn("{} {} failed on {}/{}; answering 500", exchange.getRequestMethod(), exchange.getRequestPath(),
          context.stackName(), name(), e);
      exchange.setStatusCode(500);
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
      exchange.getResponseHeaders().put(Proxying.SERVED_BY, name());
      exchange.getResponseSender().send(ByteBuffer.wrap(ERROR_500));
      return;
    }
    if (connectionGone(exchange)) {
      DatabaseHops.end();
      log.debug("{} {} on {}/{}: the connection closed before the answer ({}), which is dropped",
          exchange.getRequestMethod(), exchange.getRequestPath(), context.stackName(), name(), response.status());
      return;
    }
    addDatabaseHops(exchange);
    exchange.setStatusCode(response.status());
    for (Map.Entry<String, String> header : response.headers().entrySet()) {
      exchange.getResponseHeaders().put(HttpString.tryFromString(header.getKey()), header.getValue());
    }
    exchange.getResponseHeaders().put(Proxying.SERVED_BY, name());
    exchange.getResponseSender().send(ByteBuffer.wrap(response.bodyBytes()));
  }

  /**
   * Whether the exchange's connection closed under the handler: Undertow then ends the response itself, and
   * setting a status or sending threw "UT000002: The response has already been started".
   */
  private static boolean connectionGone(HttpServerExchange exchange) {
    return exchange.isResponseStarted() || !exchange.getConnection().isOpen();
  }

  /** Names the database nodes the request used in {@code X-Database}, the last hops of its path. */
  private static void addDatabaseHops(HttpServerExchange exchange) {
    Set<String> nodes = DatabaseHops.end();
    if (!nodes.isEmpty()) {
      exchange.getResponseHeaders().put(Proxying.DATABASE, String.join(", ", nodes));
    }
  }

  /** The request as the handler sees it. */
  private final class Request implements AppRequest {
    private final HttpServerExchange exchange;
    private final String body;

    Request(HttpServerExchange exchange, String body) {
      this.exchange = exchange;
      this.body = body;
    }

    @Override
    public String method() {
      return exchange.getRequestMethod().toString();
    }

    @Override
    public String path() {
      return exchange.getRequestPath();
    }

    @Override
    public Optional<String> pathParam(String name) {
      return Optional.empty();
    }

    @Override
    public Optional<String> queryParam(String name) {
      Deque<String> values = exchange.getQueryParameters().get(name);
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    @Override
    public Optional<String> header(String name) {
      return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    @Override
    public Map<String, List<String>> headers() {
      Map<String, List<String>> out = new LinkedHashMap<>();
      for (HeaderValues values : exchange.getRequestHeaders()) {
        out.put(values.getHeaderName().toString().toLowerCase(Locale.ROOT), List.copyOf(values));
      }
      return Collections.unmodifiableMap(out);
    }

    @Override
    public String body() {
      return body;
    }

    @Override
    public String node() {
      return name();
    }

    @Override
    public DataSource dataSource() {
      if (dataSource == null) {
        throw new IllegalStateException(
            "stack " + context.stackName() + " has no database; add one with StackSpec.Builder.database(..)");
      }
      return dataSource;
    }
  }
}
