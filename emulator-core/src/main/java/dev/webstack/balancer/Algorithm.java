package dev.webstack.balancer;

import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link BalancingAlgorithm} made of a name, the request attribute it hashes and a picker factory: the shape
 * every algorithm of this package shares, so each one only writes its picker.
 */
record Algorithm(String name, HashKey hashKey, Function<ServerSet, ? extends Picker> pickers)
    implements BalancingAlgorithm {

  Algorithm {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hashKey, "hashKey");
    Objects.requireNonNull(pickers, "pickers");
  }

  /** An algorithm that does not hash. */
  Algorithm(String name, Function<ServerSet, ? extends Picker> pickers) {
    this(name, HashKey.none(), pickers);
  }

  @Override
  public Picker newPicker(ServerSet servers) {
    return pickers.apply(Objects.requireNonNull(servers, "servers"));
  }

  @Override
  public String toString() {
    return name;
  }

  /**
   * The attribute as HAProxy's {@code balance} line names it: {@code source}, {@code uri}, {@code uri whole},
   * {@code hdr(host)}.
   */
  static String keyName(HashKey key) {
    switch (key.source()) {
      case SOURCE_IP:
        return "source";
      case URI:
        return "uri";
      case WHOLE_URI:
        return "uri whole";
      case HEADER:
        return "hdr(" + key.header() + ")";
      default:
        return "none";
    }
  }
}
