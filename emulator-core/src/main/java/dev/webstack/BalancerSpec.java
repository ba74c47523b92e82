package dev.webstack;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.balancer.BalancingAlgorithm;
import java.time.Duration;
import java.util.Objects;

/**
 * The load balancer (HAProxy's role): a reverse proxy in front of every web server, checking their health
 * ({@link HealthCheckSpec}, on by default). Immutable.
 */
public final class BalancerSpec extends ComponentSpec {

  /**
   * HAProxy's {@code timeout server} unless set: Debian's shipped 50 s divided by 10, so that a hung web server
   * yields a 504 before the usual 10 s client timeouts of tests.
   */
  public static final Duration DEFAULT_SERVER_TIMEOUT = Duration.ofSeconds(5);

  private final BalancingAlgorithm algorithm;
  private final HealthCheckSpec healthCheck;
  private final Duration serverTimeout;
  private final boolean allBackups;

  private BalancerSpec(Builder b) {
    super(b);
    this.algorithm = b.algorithm;
    this.healthCheck = b.healthCheck;
    this.serverTimeout = b.serverTimeout;
    this.allBackups = b.allBackups;
  }

  /** How the balancer checks its web servers; {@link HealthCheckSpec#defaults()} unless set. */
  public HealthCheckSpec healthCheck() {
    return healthCheck;
  }

  /** HAProxy's {@code timeout server}: how long a web server may take to answer before the balancer sends 504. */
  public Duration serverTimeout() {
    return serverTimeout;
  }

  /** HAProxy's {@code option allbackups}: balance over every backup server, not only the first. */
  public boolean allBackups() {
    return allBackups;
  }

  /** How the balancer picks a web server; round robin unless set. */
  public BalancingAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public ComponentKind kind() {
    return ComponentKind.BALANCER;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String toString() {
    return name() + " on " + host() + ":" + port() + " (" + algorithm.name() + ", " + healthCheck
        + ", timeout server " + serverTimeout.toMillis() + "ms" + (allBackups ? ", option allbackups" : "") + ")";
  }

  /** Configures the balancer; obtained from {@link StackSpec.Builder#loadBalancer}. */
  public static final class Builder extends AbstractBuilder<Builder> {
    private BalancingAlgorithm algorithm = BalancingAlgorithm.roundRobin();
    private HealthCheckSpec healthCheck = HealthCheckSpec.defaults();
    private Duration serverTimeout = DEFAULT_SERVER_TIMEOUT;
    private boolean allBackups;

    Builder() {
      super("lb-1", ComponentKind.BALANCER.defaultPort());
    }

    private Builder(BalancerSpec spec) {
      super(spec);
      this.algorithm = spec.algorithm;
      this.healthCheck = spec.healthCheck;
      this.serverTimeout = spec.serverTimeout;
      this.allBackups = spec.allBackups;
    }

    public Builder algorithm(BalancingAlgorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    /**
     * How the balancer checks its web servers (HAProxy's {@code check} and friends); {@link
     * HealthCheckSpec#disabled()} switches checks off.
     */
    public Builder healthCheck(HealthCheckSpec healthCheck) {
      this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
      return this;
    }

    /** HAProxy's {@code timeout server}, 1 ms to 1 h; {@link #DEFAULT_SERVER_TIMEOUT} unless set. */
    public Builder serverTimeout(Duration serverTimeout) {
      this.serverTimeout = checkTimeout("serverTimeout", name, serverTimeout);
      return this;
    }

    /** HAProxy's {@code option allbackups}: when every active server is down, use all backups, not the first. */
    public Builder allBackups(boolean allBackups) {
      this.allBackups = allBackups;
      return this;
    }

    BalancerSpec build() {
      return new BalancerSpec(this);
    }
  }

  static Duration checkTimeout(String field, String component, Duration d) {
    checkArgument(d != null && d.compareTo(Duration.ofMillis(1)) >= 0 && d.compareTo(Duration.ofHours(1)) <= 0,
        "%s (%s) of %s must be between 1 ms and 1 h", field, d, component);
    return d;
  }
}
