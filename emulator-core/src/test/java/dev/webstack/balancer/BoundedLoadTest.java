package dev.webstack.balancer;

import static dev.webstack.balancer.Fixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Bounded-load hashing (HAProxy's hash-balance-factor). */
class BoundedLoadTest {

  @Test
  void boundedLoad_factorOf100OrLess_isRejectedNamingTheValue() {
    assertThatThrownBy(() -> BalancingAlgorithm.boundedLoad(BalancingAlgorithm.sourceHash(), 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("balanceFactorPercent (100) must be above 100, e.g. 150 for 1.5 × the average load");
  }

  @Test
  void boundedLoad_algorithmThatDoesNotWalkATable_isRejectedNamingIt() {
    assertThatThrownBy(() -> BalancingAlgorithm.boundedLoad(BalancingAlgorithm.roundRobin(), 150))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bounded load needs a table-walking hash algorithm (hash, consistentHash or maglev), "
            + "got roundrobin");
  }

  @Test
  void boundedLoad_staticRoundRobin_isRejectedNamingIt() {
    // static-rr walks HAProxy's map too, but in turn: it is not one of the hashing algorithms the Javadoc accepts.
    assertThatThrownBy(() -> BalancingAlgorithm.boundedLoad(BalancingAlgorithm.staticRoundRobin(), 150))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bounded load needs a table-walking hash algorithm (hash, consistentHash or maglev), "
            + "got static-rr");
  }

  @Test
  void boundedLoad_nameAndKey_extendTheHashingAlgorithms() {
    BalancingAlgorithm bounded = BalancingAlgorithm.boundedLoad(BalancingAlgorithm.consistentHash(HashKey.sourceIp()),
        150);

    assertThat(bounded.name()).isEqualTo("source consistent hash-balance-factor 150");
    assertThat(bounded.hashKey()).isEqualTo(HashKey.sourceIp());
  }

  @Test
  void boundedLoad_oneHotKey_spillsOverOnceItsServerIsFull() {
    ServerSet servers = Fixtures.servers(1, 1, 1, 1);
    Picker picker = BalancingAlgorithm.boundedLoad(BalancingAlgorithm.consistentHash(HashKey.uri()), 125)
        .newPicker(servers);

    for (int i = 0; i < 100; i++) {
      servers.started(picker.pick(key(7), Picker.SKIP_NONE));
    }

    // 100 requests × 1.25 = 125 slots, 32 or 31 per server.
    for (int id = 0; id < 4; id++) {
      assertThat(servers.inFlight(id)).isBetween(1, 32);
    }
  }

  @Test
  void boundedLoad_idleServers_leaveKeysWhereTheHashPutsThem() {
    ServerSet servers = Fixtures.servers(1, 2, 3);
    Picker plain = BalancingAlgorithm.maglev(HashKey.uri()).newPicker(servers);
    Picker bounded = BalancingAlgorithm.boundedLoad(BalancingAlgorithm.maglev(HashKey.uri()), 110).newPicker(servers);

    for (int i = 0; i < 200; i++) {
      assertThat(bounded.pick(key(i), Picker.SKIP_NONE)).isEqualTo(plain.pick(key(i), Picker.SKIP_NONE));
    }
  }

  @Provide
  Arbitrary<String> hashing() {
    return Arbitraries.of("hash", "consistentHash", "maglev");
  }

  @Property(tries = 200)
  void boundedLoad_requestsThatNeverFinish_neverPutAServerAboveCeilFactorTimesAverage(
      @ForAll("hashing") String hashing,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 20) Integer> weights,
      @ForAll @IntRange(min = 101, max = 300) int factor,
      @ForAll @IntRange(min = 1, max = 300) int requests,
      @ForAll @IntRange(min = 1, max = 50) int distinctKeys) {
    BalancingAlgorithm base = switch (hashing) {
      case "hash" -> BalancingAlgorithm.uriHash();
      case "consistentHash" -> BalancingAlgorithm.consistentHash(HashKey.uri());
      default -> BalancingAlgorithm.maglev(HashKey.uri(), 2003);
    };
    ServerSet servers = Fixtures.servers(weights.stream().mapToInt(Integer::intValue).toArray());
    Picker picker = BalancingAlgorithm.boundedLoad(base, factor).newPicker(servers);
    long totalWeight = weights.stream().mapToLong(Integer::longValue).sum();

    for (int i = 1; i <= requests; i++) {
      servers.started(picker.pick(key(i % distinctKeys), Picker.SKIP_NONE));

      long slots = (i * (long) factor + 99) / 100; // ceil(in flight × factor ÷ 100)
      for (int id = 0; id < weights.size(); id++) {
        long bound = Math.max(1, (weights.get(id) * slots + totalWeight - 1) / totalWeight);
        assertThat((long) servers.inFlight(id)).as("server %s after %s requests", id, i).isLessThanOrEqualTo(bound);
      }
    }
  }
}
