package dev.webstack.junit.jqwik;

import dev.webstack.StackSpec;
import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.HashKey;
import dev.webstack.balancer.Picker;
import dev.webstack.balancer.ServerSet;
import java.util.function.Supplier;

/**
 * A deliberately broken balancer, plugged in through the public API: URI hashing that ignores health. Each URI
 * keeps going to the server its hash names, even after that server was killed, and a retry goes back to the
 * same server (it ignores the caller's skip set and the servers' availability), so requests for that URI fail
 * although other web servers run. The property suite must catch it and shrink the schedule that shows it to a
 * kill and one request.
 */
public final class HealthBlindHash implements BalancingAlgorithm {

  @Override
  public String name() {
    return "broken-health-blind-hash";
  }

  @Override
  public HashKey hashKey() {
    return HashKey.uri();
  }

  @Override
  public Picker newPicker(ServerSet servers) {
    return (key, skip) -> (int) Long.remainderUnsigned(key, servers.size());
  }

  /**
   * A balancer and three web servers serving static pages, behind the broken algorithm: no application tier or
   * database, so that a try (and each shrinking step) costs little.
   */
  public static final class Spec implements Supplier<StackSpec> {
    @Override
    public StackSpec get() {
      return StackSpec.builder("foobar.com")
          .host("lb-1", "8.8.8.8")
          .loadBalancer(lb -> lb.host("lb-1").algorithm(new HealthBlindHash()))
          .webServers(3)
          .build();
    }
  }

  /** Pages of the static site whose URIs hash differently. */
  public static final java.util.List<String> PAGES = java.util.List.of("/", "/?page=2", "/?page=3", "/?page=4");
}
