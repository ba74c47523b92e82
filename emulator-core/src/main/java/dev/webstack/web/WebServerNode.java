package dev.webstack.web;

import dev.webstack.WebServerSpec;
import dev.webstack.balancer.Backend;
import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.ProxyBackend;
import dev.webstack.internal.HttpNode;
import dev.webstack.internal.NodeContext;
import dev.webstack.internal.Proxying;
import dev.webstack.internal.Resources;
import dev.webstack.internal.Upstreams;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.server.handlers.resource.ResourceManager;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A web server (Nginx's role): requests under the dynamic prefix go to the application tier, round robin, path
 * unchanged; everything else is a static file. When no application server can be reached it answers 502, as nginx
 * does, and 504 with nginx's page when one does not answer within its {@code proxy_read_timeout}.
 *
 * <p>It checks its application servers with the same machinery as the balancer ({@link ProxyBackend}, HAProxy's
 * semantics), visible as {@code stack.backend("web-1")}. nginx itself checks actively only in its commercial
 * edition; the open-source one marks a peer failed after {@code max_fails} errors for {@code fail_timeout}.
 */
public final class WebServerNode extends HttpNode {

  static final String NGINX_502 =
      "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n"
          + "<hr><center>webstack-emulator (nginx role)</center>\n</body>\n</html>\n";

  private static final byte[] NOT_FOUND =
      ("<html>\n<head><title>404 Not Found</title></head>\n<body>\n<center><h1>404 Not Found</h1></center>\n"
              + "<hr><center>webstack-emulator (nginx role)</center>\n</body>\n</html>\n")
          .getBytes(StandardCharsets.UTF_8);

  static final String NGINX_504 =
      "<html>\n<head><title>504 Gateway Time-out</title></head>\n<body>\n<center><h1>504 Gateway Time-out</h1>"
          + "</center>\n<hr><center>webstack-emulator (nginx role)</center>\n</body>\n</html>\n";

  private final WebServerSpec spec;
  private final List<? extends HttpNode> appServers;
  private final ProxyBackend backend; // null without an application tier
  private Upstreams upstreams;
  private ResourceManager resources;

  public WebServerNode(NodeContext context, WebServerSpec spec, List<? extends HttpNode> appServers) {
    super(context, spec);
    this.spec = spec;
    this.appServers = List.copyOf(appServers);
    if (spec.dynamicPrefix().isPresent() && !appServers.isEmpty()) {
      List<ProxyBackend.ServerConfig> configs = new ArrayList<>();
      for (HttpNode app : this.appServers) {
        configs.add(new ProxyBackend.ServerConfig(app.name(), 1, spec.backupAppServers().contains(app.name()),
            Upstreams.link(context, spec.name(), app)));
      }
      backend = new ProxyBackend(context, spec.name(), configs, BalancingAlgorithm.roundRobin(), spec.healthCheck(),
          true, this::isRunning);
    } else {
      backend = null;
    }
  }

  /** The spec this node runs. */
  public WebServerSpec spec() {
    return spec;
  }

  /** The application servers' statistics and run-time commands; empty when this node serves static files only. */
  public Optional<Backend> backend() {
    return Optional.ofNullable(backend);
  }

  @Override
  protected HttpHandler handler() {
    resources = resourceManager(spec.staticContent());
    HttpHandler files = new ResourceHandler(resources, new NotFound()).setWelcomeFiles("index.html");
    HttpHandler staticFiles = new StaticFiles(name(), files);
    if (backend == null) {
      return staticFiles;
    }
    String prefix = spec.dynamicPrefix().get();
    upstreams = new Upstreams(context, name(), appServers, backend, BalancingAlgorithm.roundRobin());
    backend.start();
    // nginx's proxy_next_upstream error: an idempotent request that reached an application server which then failed
    // it goes to the next one; others get the 502.
    HttpHandler dynamic = Proxying.forwarding(name(), upstreams,
        new Proxying.FailureAnswers(502, NGINX_502, NGINX_502, NGINX_504, true), spec.serverTimeout());
    return new ByPrefix(prefix, dynamic, staticFiles);
  }

  // Handlers are classes rather than lambdas: a cold JVM links each lambda on first use, and a stack's first
  // request is part of its cold time.

  /** Sends paths under the dynamic prefix to the application servers, the rest to the static files. */
  private static final class ByPrefix implements HttpHandler {
    private final String prefix;
    private final HttpHandler dynamic;
    private final HttpHandler staticFiles;

    ByPrefix(String prefix, HttpHandler dynamic, HttpHandler staticFiles) {
      this.prefix = prefix;
      this.dynamic = dynamic;
      this.staticFiles = staticFiles;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
      if (exchange.getRelativePath().startsWith(prefix)) {
        dynamic.handleRequest(exchange);
      } else {
        staticFiles.handleRequest(exchange);
      }
    }
  }

  /** Serves a static file, naming this node in {@code X-Served-By}. */
  private static final class StaticFiles implements HttpHandler {
    private final String servedBy;
    private final HttpHandler files;

    StaticFiles(String servedBy, HttpHandler files) {
      this.servedBy = servedBy;
      this.files = files;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
      exchange.getResponseHeaders().put(Proxying.SERVED_BY, servedBy);
      files.handleRequest(exchange);
    }
  }

  /** nginx's 404 page. */
  private static final class NotFound implements HttpHandler {
    @Override
    public void handleRequest(HttpServerExchange exchange) {
      exchange.setStatusCode(404);
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html");
      exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(NOT_FOUND));
    }
  }

  private static ResourceManager resourceManager(String location) {
    if (location.startsWith("classpath:")) {
      // The spec checked that the location exists; looking it up again would scan the classpath at every start.
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      return new ClassPathResourceManager(
          context == null ? WebServerNode.class.getClassLoader() : context, Resources.stripClasspath(location));
    }
    return new PathResourceManager(Path.of(location));
  }

  /**
   * Releases the port hold first ({@link HttpNode#release()}): a web server killed before its stack closes holds
   * its port with a bound socket, and without this call the port stayed taken after the stack had closed.
   */
  @Override
  protected void release() throws Exception {
    super.release();
    if (backend != null) {
      backend.close();
    }
    if (upstreams != null) {
      upstreams.close();
    }
    if (resources != null) {
      resources.close();
    }
  }
}
