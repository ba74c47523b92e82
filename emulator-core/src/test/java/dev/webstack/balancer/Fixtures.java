package dev.webstack.balancer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/** Server sets, pick helpers and the list of every algorithm, shared by the balancer tests. */
final class Fixtures {

  /** Every algorithm this package offers, by a stable test name. */
  static final Map<String, BalancingAlgorithm> ALL = all();

  private Fixtures() {}

  private static Map<String, BalancingAlgorithm> all() {
    Map<String, BalancingAlgorithm> all = new LinkedHashMap<>();
    all.put("roundRobin", BalancingAlgorithm.roundRobin());
    all.put("nginxRoundRobin", BalancingAlgorithm.nginxRoundRobin());
    all.put("haproxyRoundRobin", BalancingAlgorithm.haproxyRoundRobin());
    all.put("staticRoundRobin", BalancingAlgorithm.staticRoundRobin());
    all.put("leastConnections", BalancingAlgorithm.leastConnections());
    all.put("random", BalancingAlgorithm.random());
    all.put("powerOfTwoChoices", BalancingAlgorithm.powerOfTwoChoices());
    all.put("first", BalancingAlgorithm.first());
    all.put("sourceHash", BalancingAlgorithm.sourceHash());
    all.put("consistentHash", BalancingAlgorithm.consistentHash(HashKey.sourceIp()));
    all.put("maglev", BalancingAlgorithm.maglev(HashKey.sourceIp(), 4099));
    all.put("boundedHash", BalancingAlgorithm.boundedLoad(BalancingAlgorithm.uriHash(), 150));
    all.put("boundedConsistentHash",
        BalancingAlgorithm.boundedLoad(BalancingAlgorithm.consistentHash(HashKey.uri()), 125));
    all.put("boundedMaglev", BalancingAlgorithm.boundedLoad(BalancingAlgorithm.maglev(HashKey.uri(), 4099), 150));
    return all;
  }

  /** Servers named a, b, c... with these weights. */
  static ServerSet servers(int... weights) {
    return servers(System::nanoTime, weights);
  }

  static ServerSet servers(LongSupplier clock, int... weights) {
    ServerSet set = new ServerSet(clock);
    for (int weight : weights) {
      set.add(name(set.size()), weight);
    }
    return set;
  }

  static String name(int id) {
    return id < 26 ? String.valueOf((char) ('a' + id)) : "s" + id;
  }

  /** The names of {@code n} picks without a key, space separated. */
  static String sequence(Picker picker, ServerSet servers, int n) {
    StringJoiner names = new StringJoiner(" ");
    for (int i = 0; i < n; i++) {
      int id = picker.pick(0, Picker.SKIP_NONE);
      names.add(id < 0 ? "-" : servers.name(id));
    }
    return names.toString();
  }

  /** {@code pattern} repeated {@code times}, space separated. */
  static String repeat(String pattern, int times) {
    StringJoiner all = new StringJoiner(" ");
    for (int i = 0; i < times; i++) {
      all.add(pattern);
    }
    return all.toString();
  }

  /** Picks per server over {@code n} picks without a key. */
  static int[] counts(Picker picker, int servers, int n) {
    int[] counts = new int[servers];
    for (int i = 0; i < n; i++) {
      counts[picker.pick(0, Picker.SKIP_NONE)]++;
    }
    return counts;
  }

  /** A stable, well-spread request key. */
  static long key(int i) {
    return HashKey.hash("client-" + i);
  }

  static IntPredicate skipping(int... ids) {
    return id -> {
      for (int skipped : ids) {
        if (skipped == id) {
          return true;
        }
      }
      return false;
    };
  }

  /**
   * Sends requests that stay in flight until {@code window} newer ones started, so load-aware algorithms see
   * load and weight-aware ones see their weights; returns picks per server.
   */
  static int[] run(Picker picker, ServerSet servers, int requests, int window, int firstKey) {
    int[] counts = new int[servers.size()];
    int[] inFlight = new int[window];
    Arrays.fill(inFlight, -1);
    for (int i = 0; i < requests; i++) {
      int slot = i % window;
      if (inFlight[slot] >= 0) {
        servers.finished(inFlight[slot]);
      }
      int id = picker.pick(key(firstKey + i), Picker.SKIP_NONE);
      inFlight[slot] = id;
      if (id >= 0) {
        servers.started(id);
        if (id >= counts.length) {
          counts = Arrays.copyOf(counts, id + 1);
        }
        counts[id]++;
      }
    }
    for (int id : inFlight) {
      if (id >= 0) {
        servers.finished(id);
      }
    }
    return counts;
  }

  /** A nano clock a test moves by hand. */
  static final class FakeClock implements LongSupplier {
    private long nanos = 1_000_000_000L;

    @Override
    public long getAsLong() {
      return nanos;
    }

    void advanceMillis(long millis) {
      nanos += millis * 1_000_000L;
    }
  }
}
