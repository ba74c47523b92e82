package dev.webstack;

import dev.webstack.balancer.BalancingAlgorithm;
import java.util.Objects;

/** The load balancer (HAProxy's role): a reverse proxy in front of every web server. Immutable. */
public final class BalancerSpec extends ComponentSpec {

  private final BalancingAlgorithm algorithm;

  private BalancerSpec(Builder b) {
    super(b);
    this.algorithm = b.algorithm;
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
    return name() + " on " + host() + ":" + port() + " (" + algorithm.name() + ")";
  }

  /** Configures the balancer; obtained from {@link StackSpec.Builder#loadBalancer}. */
  public static final class Builder extends AbstractBuilder<Builder> {
    private BalancingAlgorithm algorithm = BalancingAlgorithm.roundRobin();

    Builder() {
      super("lb-1", ComponentKind.BALANCER.defaultPort());
    }

    private Builder(BalancerSpec spec) {
      super(spec);
      this.algorithm = spec.algorithm;
    }

    public Builder algorithm(BalancingAlgorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    BalancerSpec build() {
      return new BalancerSpec(this);
    }
  }
}
