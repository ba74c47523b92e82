package dev.webstack.web;

import dev.webstack.WebServerSpec;
import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.ServerSet;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A web server (Nginx's role): requests under the dynamic prefix go to the application tier, round robin, path
 * unchanged; everything else is a static file. When no application server can be reached it answers 502, as nginx
 * does.
 */
public final class WebServerNode extends HttpNode {

  static final String NGINX_502 =
      "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n"
          + "<hr><center>webstack-emulator (nginx role)</center>\n</body>\n</html>\n";

  private static final byte[] NOT_FOUND =
      ("<html>\n<head><title>404 Not Found</title></head>\n<body>\n<center><h1>404 Not Found</h1></center>\n"
              + "<hr><center>webstack-emulator (nginx role)</center>\n</body>\n</html>\n")
          .getBytes(StandardCharsets.UTF_8);

  private final WebServerSpec spec;
  private final List<? extends HttpNode> appServers;
  private Upstreams upstreams;
  private ResourceManager resources;

  public WebServerNode(NodeContext context, WebServerSpec spec, List<? extends HttpNode> appServers) {
    super(context, spec);
    this.spec = spec;
    this.appServers = List.copyOf(appServers);
  }

  @Override
  protected HttpHandler handler() {
    resources = resourceManager(spec.staticContent());
    HttpHandler notFound = WebServerNode::notFound;
    HttpHandler files = new ResourceHandler(resources, notFound).setWelcomeFiles("index.html");
    String servedBy = name();
    HttpHandler staticFiles = exchange -> {
      exchange.getResponseHeaders().put(Proxying.SERVED_BY, servedBy);
      files.handleRequest(exchange);
    };
    if (spec.dynamicPrefix().isEmpty() || appServers.isEmpty()) {
      return staticFiles;
    }
    String prefix = spec.dynamicPrefix().get();
    ServerSet set = new ServerSet();
    appServers.forEach(app -> set.add(app.name(), 1));
    upstreams = new Upstreams(context, name(), appServers, set, BalancingAlgorithm.roundRobin());
    HttpHandler dynamic = Proxying.forwarding(name(), upstreams, 502, NGINX_502);
    return exchange -> {
      if (exchange.getRelativePath().startsWith(prefix)) {
        dynamic.handleRequest(exchange);
      } else {
        staticFiles.handleRequest(exchange);
      }
    };
  }

  private static void notFound(HttpServerExchange exchange) {
    exchange.setStatusCode(404);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html");
    exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(NOT_FOUND));
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

  @Override
  protected void release() throws IOException {
    if (upstreams != null) {
      upstreams.close();
    }
    if (resources != null) {
      resources.close();
    }
  }
}
