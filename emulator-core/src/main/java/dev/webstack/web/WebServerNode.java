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
import io.undertow.server.DefaultResponseListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.Resource;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.server.handlers.resource.ResourceManager;
import io.undertow.server.handlers.resource.ResourceSupplier;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
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
 *
 * <p>As nginx with {@code root <dir>; index index.html; location /api/ { proxy_pass http://app; }}: the prefix is
 * matched, and files looked up, on the normalized path ({@link NginxUri}: decoded, {@code %2F} included, slashes
 * merged, dot segments resolved), so {@code /api/../a.txt} is the file {@code a.txt} and {@code //api/x} goes to the
 * application tier, which receives the path as the client sent it; a path climbing above the root is 400. The
 * prefix without its final slash ({@code /api}) is redirected to it with 301. Static files answer GET and HEAD
 * (ranges, {@code If-Modified-Since}); POST to an existing file, and any other method, is 405 (with {@code Allow:
 * GET, HEAD}, which nginx omits); a directory without its slash is redirected with 301, one without an index file
 * is 403 (no listing). Error pages are nginx's, with this library's name in place of nginx's version.
 *
 * <p>Where proxying differs from nginx's defaults: requests go to the application server over HTTP/1.1 on kept-alive
 * connections (nginx's {@code proxy_http_version} is 1.0 with {@code Connection: close} unless set), with their
 * {@code Host} unchanged (nginx's default is the upstream's name; {@code proxy_set_header Host $host} keeps it) and
 * with the {@code X-Forwarded-For}, {@code -Proto}, {@code -Host}, {@code -Port} and {@code -Server} fields Undertow's
 * proxy adds (nginx adds none unless configured; the common configuration sets {@code X-Forwarded-For
 * $proxy_add_x_forwarded_for} and {@code X-Forwarded-Proto $scheme}). {@code X-Forwarded-For} appends the peer's
 * loopback address, {@code 127.0.0.1}, not its modeled one, to the client's list with {@code ","} (nginx: {@code ",
 * "}). Request bodies stream to the application server as they arrive, chunked ones still chunked (nginx buffers
 * the whole body first, {@code proxy_request_buffering on}, and sends its length), and no size limit applies:
 * nginx's default {@code client_max_body_size 1m} refuses a larger body with 413, which this node does not model.
 */
public final class WebServerNode extends HttpNode {

  static final String NGINX_502 =
      "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n"
          + "<hr><center>webstack-emulator (nginx role)</center>\n</body>\n</html>\n";

  private static final byte[] NOT_FOUND = page("404 Not Found");
  private static final byte[] BAD_REQUEST = page("400 Bad Request");
  private static final byte[] MOVED_PERMANENTLY = page("301 Moved Permanently");
  private static final byte[] FORBIDDEN = page("403 Forbidden");
  private static final byte[] NOT_ALLOWED = page("405 Not Allowed");

  static final String NGINX_504 =
      "<html>\n<head><title>504 Gateway Time-out</title></head>\n<body>\n<center><h1>504 Gateway Time-out</h1>"
          + "</center>\n<hr><center>webstack-emulator (nginx role)</center>\n</body>\n</html>\n";

  /** nginx's error page for a status line such as {@code 404 Not Found}. */
  private static byte[] page(String status) {
    return ("<html>\n<head><title>" + status + "</title></head>\n<body>\n<center><h1>" + status + "</h1></center>\n"
        + "<hr><center>webstack-emulator (nginx role)</center>\n</body>\n</html>\n").getBytes(StandardCharsets.UTF_8);
  }

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
    HttpHandler files = new ResourceHandler(new LookedUpFirst(resources), new NotFound()).setWelcomeFiles(INDEX);
    HttpHandler staticFiles = new StaticFiles(name(), resources, files);
    if (backend == null) {
      return new ByPrefix(null, null, staticFiles);
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

  /**
   * Sends paths under the dynamic prefix to the application servers, the rest to the static files, choosing on the
   * normalized path as nginx chooses its location; the static files are looked up by it too.
   */
  private static final class ByPrefix implements HttpHandler {
    private final String prefix; // null: static files only
    private final HttpHandler dynamic;
    private final HttpHandler staticFiles;

    ByPrefix(String prefix, HttpHandler dynamic, HttpHandler staticFiles) {
      this.prefix = prefix;
      this.dynamic = dynamic;
      this.staticFiles = staticFiles;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
      String path = NginxUri.normalizedPath(exchange);
      if (path == null) {
        exchange.setPersistent(false); // nginx closes the connection after a 400
        answer(exchange, StatusCodes.BAD_REQUEST, BAD_REQUEST);
      } else if (prefix != null && path.startsWith(prefix)) {
        dynamic.handleRequest(exchange); // the path as the client sent it (proxy_pass without a URI)
      } else if (prefix != null && path.length() == prefix.length() - 1 && prefix.startsWith(path)) {
        redirect(exchange, prefix); // nginx: a proxied prefix location asked for without its slash
      } else {
        exchange.setRelativePath(path);
        staticFiles.handleRequest(exchange);
      }
    }
  }

  /** Serves a static file as nginx's static module does, naming this node in {@code X-Served-By}. */
  private static final class StaticFiles implements HttpHandler {
    private final String servedBy;
    private final ResourceManager resources;
    private final HttpHandler files;

    StaticFiles(String servedBy, ResourceManager resources, HttpHandler files) {
      this.servedBy = servedBy;
      this.resources = resources;
      this.files = files;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
      exchange.getResponseHeaders().put(Proxying.SERVED_BY, servedBy);
      HttpString method = exchange.getRequestMethod();
      boolean read = method.equals(Methods.GET) || method.equals(Methods.HEAD);
      if (!read && !method.equals(Methods.POST)) {
        notAllowed(exchange);
        return;
      }
      String path = exchange.getRelativePath();
      if (!path.endsWith("/")) {
        Resource resource = resources.getResource(path);
        exchange.putAttachment(LOOKED_UP, new LookedUp(path, resource)); // the file handler reuses it
        if (resource == null) {
          answer(exchange, StatusCodes.NOT_FOUND, NOT_FOUND);
          return;
        }
        if (resource.isDirectory()) {
          redirect(exchange, path + "/");
          return;
        }
      } else if (!read) {
        Resource index = resources.getResource(path + INDEX);
        if (index == null || index.isDirectory()) {
          answer(exchange, StatusCodes.FORBIDDEN, FORBIDDEN);
          return;
        }
      }
      if (!read) { // nginx's static module reads no body: POST to a file it would serve is 405
        notAllowed(exchange);
        return;
      }
      exchange.addDefaultResponseListener(FORBIDDEN_PAGE); // Undertow answers a directory without index 403, empty
      files.handleRequest(exchange);
    }
  }

  /** A file looked up for a request, so that the file handler need not look it up again. */
  private record LookedUp(String path, Resource resource) {}

  private static final AttachmentKey<LookedUp> LOOKED_UP = AttachmentKey.create(LookedUp.class);

  /** The resources, answering first from the exchange's {@link LookedUp} file: one lookup per request, not two. */
  private static final class LookedUpFirst implements ResourceSupplier {
    private final ResourceManager resources;

    LookedUpFirst(ResourceManager resources) {
      this.resources = resources;
    }

    @Override
    public Resource getResource(HttpServerExchange exchange, String path) throws IOException {
      LookedUp found = exchange.getAttachment(LOOKED_UP);
      return found != null && found.path().equals(path) ? found.resource() : resources.getResource(path);
    }
  }

  private static void notAllowed(HttpServerExchange exchange) {
    exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
    answer(exchange, StatusCodes.METHOD_NOT_ALLOWED, NOT_ALLOWED);
  }

  /** nginx's 301 to {@code path} (normalized), with the query, absolute on the request's own host. */
  private static void redirect(HttpServerExchange exchange, String path) {
    String query = exchange.getQueryString();
    String location;
    try {
      location = new URI(null, null, path, null).toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("normalized path " + path + " is not a URI path", e);
    }
    exchange.getResponseHeaders().put(Headers.LOCATION, exchange.getRequestScheme() + "://"
        + exchange.getHostAndPort() + location + (query == null || query.isEmpty() ? "" : "?" + query));
    answer(exchange, StatusCodes.MOVED_PERMANENTLY, MOVED_PERMANENTLY);
  }

  private static void answer(HttpServerExchange exchange, int status, byte[] page) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html");
    exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(page));
  }

  private static final String INDEX = "index.html";

  /** nginx's 403 page for Undertow's empty 403 (a directory without an index file, listing off). */
  private static final DefaultResponseListener FORBIDDEN_PAGE = new ForbiddenPage();

  private static final class ForbiddenPage implements DefaultResponseListener {
    @Override
    public boolean handleDefaultResponse(HttpServerExchange exchange) {
      if (exchange.isResponseStarted() || exchange.getStatusCode() != StatusCodes.FORBIDDEN) {
        return false;
      }
      exchange.getResponseHeaders().remove(Headers.CONTENT_LENGTH);
      answer(exchange, StatusCodes.FORBIDDEN, FORBIDDEN);
      return true;
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
