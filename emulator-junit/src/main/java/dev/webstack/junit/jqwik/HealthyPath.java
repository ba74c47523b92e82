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
   * The model from node states, for the presets' layout: the entry point (the balancer, or the first web server
   * without one) must run; behind a balancer, some web server must run; a path under the web tier's dynamic
   * prefix (default {@code /api/}) needs a running application server; a path starting with one of {@code
   * databasePaths} also needs the database.
   */
  static HealthyPath fromNodeStates(String... databasePaths) {
    List<String> dbPaths = List.of(databasePaths);
    return (state, request) -> {
      EmulatedStack stack = state.stack();
      Set<String> up = request.runningNodes();
      String path = request.exchange().uri().getPath();
      List<String> hops = new ArrayList<>();
      Optional<Node> balancer = stack.balancer();
      if (balancer.isPresent()) {
        if (!up.contains(balancer.get().name())) {
          return Optional.empty();
        }
        hops.add(balancer.get().name());
        Optional<String> web = firstUp(stack.webServers(), up);
        if (web.isEmpty()) {
          return Optional.empty();
        }
        hops.add(web.get());
      } else {
        String entry = stack.webServers().get(0).name();
        if (!up.contains(entry)) {
          return Optional.empty();
        }
        hops.add(entry);
      }
      String prefix = stack.spec().webServers().get(0).dynamicPrefix().orElse(null);
      if (prefix != null && path.startsWith(prefix)) {
        Optional<String> app = firstUp(stack.appServers(), up);
        if (app.isEmpty()) {
          return Optional.empty();
        }
        hops.add(app.get());
        if (dbPaths.stream().anyMatch(path::startsWith) && stack.spec().database().isPresent()) {
          String db = stack.database().name();
          if (!up.contains(db)) {
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

  private static Optional<String> firstUp(List<Node> nodes, Set<String> up) {
    return nodes.stream().map(Node::name).filter(up::contains).findFirst();
  }
}
