package dev.webstack.app;

import static dev.webstack.internal.Checks.checkArgument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A small router: path patterns with {@code {name}} variables, matched segment by segment in the order added.
 * A path no pattern matches gets 404; a path matched only under other methods gets 405 with an {@code Allow}
 * header, as HTTP servers answer. A GET route answers HEAD too (the handler sees {@code HEAD}; the server sends
 * the head without the body), as every general-purpose server must (RFC 9110 §9.1) and as Flask and Django do.
 *
 * <pre>{@code
 * AppHandler orders = Routes.builder()
 *     .get("/api/orders/{id}", req -> AppResponse.json("{\"id\":" + req.pathParam("id").orElseThrow() + "}"))
 *     .post("/api/orders", req -> AppResponse.status(201, "created"))
 *     .build();
 * }</pre>
 */
public final class Routes implements AppHandler {

  private record Route(String method, String pattern, String[] segments, AppHandler handler) {}

  private final List<Route> routes;

  private Routes(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public AppResponse handle(AppRequest request) throws Exception {
    String[] path = split(request.path());
    TreeSet<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Map<String, String> vars = match(route.segments, path);
      if (vars == null) {
        continue;
      }
      if (!route.method.equals(request.method())
          && !(route.method.equals("GET") && request.method().equals("HEAD"))) {
        allowed.add(route.method);
        if (route.method.equals("GET")) {
          allowed.add("HEAD");
        }
        continue;
      }
      return route.handler.handle(new WithPathParams(request, vars));
    }
    if (!allowed.isEmpty()) {
      return AppResponse.status(405, "method " + request.method() + " not allowed on " + request.path())
          .header("Allow", String.join(", ", allowed));
    }
    return AppResponse.status(404, "no route for " + request.method() + " " + request.path());
  }

  private static Map<String, String> match(String[] pattern, String[] path) {
    if (pattern.length != path.length) {
      return null;
    }
    Map<String, String> vars = null;
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        if (path[i].isEmpty()) {
          return null;
        }
        if (vars == null) {
          vars = new HashMap<>();
        }
        vars.put(p.substring(1, p.length() - 1), path[i]);
      } else if (!p.equals(path[i])) {
        return null;
      }
    }
    return vars == null ? Map.of() : vars;
  }

  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.split("/", -1);
  }

  @Override
  public String toString() {
    List<String> lines = new ArrayList<>();
    routes.forEach(r -> lines.add(r.method + " " + r.pattern));
    return "Routes" + lines;
  }

  /** Collects routes; the first matching route wins. */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();

    private Builder() {}

    public Builder get(String pattern, AppHandler handler) {
      return route("GET", pattern, handler);
    }

    public Builder post(String pattern, AppHandler handler) {
      return route("POST", pattern, handler);
    }

    public Builder put(String pattern, AppHandler handler) {
      return route("PUT", pattern, handler);
    }

    public Builder delete(String pattern, AppHandler handler) {
      return route("DELETE", pattern, handler);
    }

    /** A route for any method. */
    public Builder route(String method, String pattern, AppHandler handler) {
      checkArgument(method != null && method.matches("[A-Za-z]+"), "method (%s) must be an HTTP token", method);
      checkArgument(pattern != null && pattern.startsWith("/"), "pattern (%s) must start with '/'", pattern);
      checkArgument(handler != null, "handler for %s %s must not be null", method, pattern);
      routes.add(new Route(method.toUpperCase(Locale.ROOT), pattern, split(pattern), handler));
      return this;
    }

    public Routes build() {
      return new Routes(routes);
    }
  }

  /** The request seen by one route, with that route's path variables. */
  private static final class WithPathParams extends ForwardingAppRequest {
    private final Map<String, String> vars;

    WithPathParams(AppRequest delegate, Map<String, String> vars) {
      super(delegate);
      this.vars = vars;
    }

    @Override
    public Optional<String> pathParam(String name) {
      return Optional.ofNullable(vars.get(name));
    }
  }
}
