package dev.webstack.junit.jqwik;

import dev.webstack.EmulatedStack;
import dev.webstack.Node;
import dev.webstack.junit.jqwik.StackState.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a request had a healthy path through the stack when it was sent: the model {@link
 * StackInvariants#availability(HealthyPath)} checks responses against. The built-in model reads node states;
 * once the core's topology audit lands, a model reading it plugs in here.
 */
@FunctionalInterface
public interface HealthyPath {

  /**
   * A healthy path the request could take, as node names from the entry point inward, or empty when there was
   * none.
   */
  Optional<List<String>> find(StackState state, Step request);

  /**
   * The model from node states, partitioned links and the proxies' health views, for the presets' layout: the
   * entry point (the balancer, or the first web server without one) must run and be reachable from the client;
   * behind a balancer, some web server must run, over a link not cut, and not be marked unavailable by the
   * balancer (DOWN, MAINT, weight 0); a path under the web tier's dynamic prefix (default {@code /api/}) needs
   * an application server reachable from that web server the same way; a path starting with one of {@code
   * databasePaths} also needs the database.
   */
  static HealthyPath fromNodeStates(String... databasePaths) {
    List<String> dbPaths = List.of(databasePaths);
    return (state, request) -> {
      EmulatedStack stack = state.stack();
      Set<String> up = request.runningNodes();
      Set<String> cut = request.cutLinks();
      Set<String> unavailable = request.unavailableServers();
      String path = request.exchange().uri().getPath();
      List<String> hops = new ArrayList<>();
      Optional<Node> balancer = stack.balancer();
      String web;
      if (balancer.isPresent()) {
        String lb = balancer.get().name();
        if (!up.contains(lb) || cut.contains("client->" + lb)) {
          return Optional.empty();
        }
        hops.add(lb);
        Optional<String> reachable = firstReachable(lb, stack.webServers(), up, cut, unavailable);
        if (reachable.isEmpty()) {
          return Optional.empty();
        }
        web = reachable.get();
      } else {
        web = stack.webServers().get(0).name();
        if (!up.contains(web) || cut.contains("client->" + web)) {
          return Optional.empty();
        }
      }
      hops.add(web);
      String prefix = stack.spec().webServers().get(0).dynamicPrefix().orElse(null);
      if (prefix != null && path.startsWith(prefix)) {
        Optional<String> app = firstReachable(web, stack.appServers(), up, cut, unavailable);
        if (app.isEmpty()) {
          return Optional.empty();
        }
        hops.add(app.get());
        if (dbPaths.stream().anyMatch(path::startsWith) && stack.spec().database().isPresent()) {
          String db = stack.database().name();
          if (!up.contains(db) || cut.contains(app.get() + "->" + db)) {
            return Optional.empty();
          }
          hops.add(db);
        }
      }
      return Optional.of(List.copyOf(hops));
    };
  }

  /** {@link #fromNodeStates(String...)} for the demo application: {@code /api/posts} uses the database. */
  static HealthyPath demoApplication() {
    return fromNodeStates("/api/posts");
  }

  /**
   * The first of {@code servers} that {@code proxy} can send a request to: running, over a link not cut, and not
   * taken out by the proxy's health checks, maintenance or a zero weight.
   */
  private static Optional<String> firstReachable(String proxy, List<Node> servers, Set<String> up, Set<String> cut,
      Set<String> unavailable) {
    return servers.stream().map(Node::name)
        .filter(up::contains)
        .filter(s -> !cut.contains(proxy + "->" + s))
        .filter(s -> !unavailable.contains(proxy + "/" + s))
        .findFirst();
  }
}
