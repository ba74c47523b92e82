package dev.webstack.junit.internal;

import dev.webstack.StackSpec;
import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.HashKey;
import dev.webstack.junit.WebStack;
import java.lang.reflect.Constructor;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The declarative configuration shared by {@code @WebStack} and {@code @WebStackProperty}, turned into a {@link
 * StackSpec}. Not API: its shape follows the annotations.
 *
 * @param where where the configuration was declared, for messages ({@code @WebStack on OrdersTest})
 */
public record StackConfig(String where, WebStack.Preset preset, Class<? extends Supplier<StackSpec>> specClass,
    int webServers, int appServers, WebStack.Algorithm algorithm, long[] seed, boolean manualClock, String schema,
    int replicas, WebStack.Replication replication) {

  /** Thrown for a configuration that cannot make a stack; callers wrap it in their framework's exception. */
  public static final class InvalidConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidConfigurationException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static StackConfig of(WebStack annotation, String where) {
    return new StackConfig(where, annotation.preset(), annotation.spec(), annotation.webServers(),
        annotation.appServers(), annotation.algorithm(), annotation.seed(), annotation.manualClock(),
        annotation.schema(), annotation.replicas(), annotation.replication());
  }

  /** The seed the configuration fixes, if any: the annotation's {@code seed}, else the {@code spec} class's. */
  public OptionalLong fixedSeed() {
    check(seed.length <= 1, "seed holds %s values; give at most one, as in seed = 1234", seed.length);
    return seed.length == 1 ? OptionalLong.of(seed[0]) : baseSpec().seed();
  }

  /**
   * The spec these attributes describe, with {@code seed} fixed.
   *
   * @throws InvalidConfigurationException naming the attribute that cannot make a stack
   */
  public StackSpec toSpec(long seed) {
    check(webServers >= -1, "webServers (%s) must be -1 (keep the preset's) or a count", webServers);
    check(appServers >= -1, "appServers (%s) must be -1 (keep the preset's) or a count", appServers);
    check(replicas >= -1, "replicas (%s) must be -1 (keep the preset's) or a count", replicas);
    StackSpec base = baseSpec();
    try {
      StackSpec.Builder b = base.toBuilder().seed(seed);
      if (manualClock) {
        b.manualClock();
      }
      if (webServers >= 0) {
        b.webServers(webServers);
      }
      if (appServers >= 0) {
        b.appServers(appServers);
      }
      if (!schema.isEmpty()) {
        b.database(db -> db.schema(schema));
      }
      if (replicas >= 0) {
        b.database(db -> db.replicas(replicas));
      }
      if (replication == WebStack.Replication.ASYNC) {
        b.database(db -> db.async());
      } else if (replication == WebStack.Replication.SEMI_SYNC) {
        b.database(db -> db.semiSync());
      }
      if (algorithm != WebStack.Algorithm.PRESET) {
        check(base.balancer().isPresent(), "algorithm (%s) needs a balancer, but the %s has none", algorithm,
            specClass == WebStack.PresetSpec.class ? "preset " + preset : "spec of " + specClass.getName());
        BalancingAlgorithm chosen = algorithm(algorithm, seed);
        b.loadBalancer(lb -> lb.algorithm(chosen));
      }
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidConfigurationException(where + ": " + e.getMessage(), e);
    }
  }

  private StackSpec baseSpec() {
    if (specClass == WebStack.PresetSpec.class) {
      return preset == WebStack.Preset.SIMPLE ? StackSpec.simpleWebStack() : StackSpec.distributed();
    }
    Supplier<StackSpec> supplier;
    try {
      Constructor<? extends Supplier<StackSpec>> c = specClass.getDeclaredConstructor();
      c.setAccessible(true);
      supplier = c.newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new InvalidConfigurationException(String.format(Locale.US,
          "%s: spec (%s) needs a no-argument constructor: %s", where, specClass.getName(), e), e);
    }
    StackSpec spec = supplier.get();
    check(spec != null, "spec (%s) supplied null", specClass.getName());
    return spec;
  }

  /** The factory an enum constant names; random algorithms draw from a stream derived from the stack's seed. */
  static BalancingAlgorithm algorithm(WebStack.Algorithm algorithm, long seed) {
    long algorithmSeed = HashKey.mix(seed ^ 0x616c676f726974L);
    switch (algorithm) {
      case ROUND_ROBIN:
        return BalancingAlgorithm.roundRobin();
      case NGINX_ROUND_ROBIN:
        return BalancingAlgorithm.nginxRoundRobin();
      case HAPROXY_ROUND_ROBIN:
        return BalancingAlgorithm.haproxyRoundRobin();
      case STATIC_ROUND_ROBIN:
        return BalancingAlgorithm.staticRoundRobin();
      case LEAST_CONNECTIONS:
        return BalancingAlgorithm.leastConnections();
      case RANDOM:
        return BalancingAlgorithm.random(algorithmSeed);
      case POWER_OF_TWO_CHOICES:
        return BalancingAlgorithm.powerOfTwoChoices(algorithmSeed);
      case FIRST:
        return BalancingAlgorithm.first();
      case SOURCE_HASH:
        return BalancingAlgorithm.sourceHash();
      case URI_HASH:
        return BalancingAlgorithm.uriHash();
      case CONSISTENT_URI_HASH:
        return BalancingAlgorithm.consistentHash(HashKey.uri());
      case MAGLEV_URI_HASH:
        return BalancingAlgorithm.maglev(HashKey.uri());
      default:
        throw new AssertionError("no factory for " + algorithm + " (PRESET keeps the spec's)");
    }
  }

  private void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new InvalidConfigurationException(where + ": " + String.format(Locale.US, format, args), null);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StackConfig other && where.equals(other.where) && preset == other.preset
        && specClass == other.specClass && webServers == other.webServers && appServers == other.appServers
        && algorithm == other.algorithm && java.util.Arrays.equals(seed, other.seed)
        && manualClock == other.manualClock && schema.equals(other.schema) && replicas == other.replicas
        && replication == other.replication;
  }

  /** Over every component, as {@link #equals} (overridden only to compare {@code seed} by content). */
  @Override
  public int hashCode() {
    return java.util.Objects.hash(where, preset, specClass, webServers, appServers, algorithm,
        java.util.Arrays.hashCode(seed), manualClock, schema, replicas, replication);
  }

  @Override
  public String toString() {
    return where;
  }
}
