package dev.webstack.internal;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The database nodes one application request used, collected on the thread that runs the user's handler: the
 * application server opens the collection before the handler and reads it after, and each JDBC round trip across
 * the app's link notes the node that ran it. That is how a response names the database nodes in its path.
 */
public final class DatabaseHops {

  private static final ThreadLocal<Set<String>> CURRENT = new ThreadLocal<>();

  private DatabaseHops() {}

  /** Starts collecting for the request this thread is about to handle. */
  public static void begin() {
    CURRENT.set(new LinkedHashSet<>());
  }

  /** Notes that {@code node} ran a statement for the current request, if one is being collected. */
  static void note(String node) {
    Set<String> hops = CURRENT.get();
    if (hops != null) {
      hops.add(node);
    }
  }

  /** Stops collecting and returns the nodes used, in first-use order. */
  public static Set<String> end() {
    Set<String> hops = CURRENT.get();
    CURRENT.remove();
    return hops == null ? Set.of() : hops;
  }
}
