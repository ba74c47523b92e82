package dev.webstack.balancer;

import static dev.webstack.balancer.Fixtures.key;
import static dev.webstack.balancer.Fixtures.servers;
import static dev.webstack.balancer.Fixtures.skipping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Map-based hash, consistent hash and Maglev: lookups, missing keys, walks past skipped servers, parameters. */
class HashingTest {

  private static double share(BalancingAlgorithm algorithm, ServerSet servers, int id, int keys) {
    Picker picker = algorithm.newPicker(servers);
    int hits = 0;
    for (int i = 0; i < keys; i++) {
      if (picker.pick(key(i), Picker.SKIP_NONE) == id) {
        hits++;
      }
    }
    return hits / (double) keys;
  }

  @Test
  void hash_sameKey_goesToTheSameServerFromEveryPicker() {
    ServerSet servers = servers(1, 1, 1, 1);
    Picker one = BalancingAlgorithm.sourceHash().newPicker(servers);
    Picker other = BalancingAlgorithm.sourceHash().newPicker(servers);

    for (int i = 0; i < 100; i++) {
      int id = one.pick(key(i), Picker.SKIP_NONE);
      assertThat(one.pick(key(i), Picker.SKIP_NONE)).isEqualTo(id);
      assertThat(other.pick(key(i), Picker.SKIP_NONE)).isEqualTo(id);
    }
  }

  @Test
  void hash_manyKeys_spreadByWeight() {
    assertThat(share(BalancingAlgorithm.uriHash(), servers(1, 3), 1, 20_000)).isCloseTo(0.75, within(0.02));
  }

  @Test
  void hash_missingKey_goesRoundRobinOverTheMap() {
    ServerSet servers = servers(5, 1, 1);

    assertThat(Fixtures.sequence(BalancingAlgorithm.sourceHash().newPicker(servers), servers, 14))
        .isEqualTo("a a a b a a c a a a b a a c");
  }

  @Test
  void hash_noKeyAttribute_isRoundRobin() {
    ServerSet servers = servers(1, 1);
    BalancingAlgorithm none = BalancingAlgorithm.hash(HashKey.none());

    assertThat(Fixtures.sequence(none.newPicker(servers), servers, 4)).isEqualTo("a b a b");
    assertThat(none.name()).isEqualTo("none");
  }

  @Test
  void hash_skippedServer_walksOnToAnotherServerTheSameWayEachTime() {
    ServerSet servers = servers(1, 1, 1);
    Picker picker = BalancingAlgorithm.sourceHash().newPicker(servers);
    for (int i = 0; i < 50; i++) {
      int home = picker.pick(key(i), Picker.SKIP_NONE);

      int retry = picker.pick(key(i), skipping(home));

      assertThat(retry).isNotEqualTo(home).isNotNegative();
      assertThat(picker.pick(key(i), skipping(home))).isEqualTo(retry);
    }
  }

  @Test
  void consistentHash_keyBetweenTwoPoints_goesToTheNearestOneAndToTheEarlierOnATie() {
    ServerSet servers = servers(1, 1, 1, 1, 1, 1);
    ConsistentHashRing ring = new ConsistentHashRing(Weights.read(servers, true), 1);
    int[] owners = ring.order();
    int[] points = new int[owners.length];
    for (int i = 0; i < owners.length; i++) {
      points[i] = ConsistentHashRing.point(owners[i], 0);
    }
    int low = -1;
    for (int i = 0; i + 1 < points.length && low < 0; i++) {
      if ((Integer.toUnsignedLong(points[i + 1]) - Integer.toUnsignedLong(points[i])) % 2 == 0) {
        low = i;
      }
    }
    assertThat(low).as("two neighbouring points an even distance apart").isNotNegative();
    long from = Integer.toUnsignedLong(points[low]);
    long to = Integer.toUnsignedLong(points[low + 1]);
    long middle = from + (to - from) / 2;

    assertThat(owners[ring.start(keyAt(from + 1))]).isEqualTo(owners[low]);
    assertThat(owners[ring.start(keyAt(to - 1))]).isEqualTo(owners[low + 1]);
    assertThat(owners[ring.start(keyAt(middle))]).as("tie").isEqualTo(owners[low]);
    assertThat(owners[ring.start(keyAt(middle + 1))]).isEqualTo(owners[low + 1]);
  }

  @Test
  void consistentHash_keyBeforeTheFirstPoint_wrapsAroundToTheNearest() {
    ServerSet servers = servers(1, 1, 1);
    ConsistentHashRing ring = new ConsistentHashRing(Weights.read(servers, true), 1);
    int[] owners = ring.order();
    long first = Integer.toUnsignedLong(ConsistentHashRing.point(owners[0], 0));
    long last = Integer.toUnsignedLong(ConsistentHashRing.point(owners[owners.length - 1], 0));

    assertThat(owners[ring.start(keyAt(first - 1))]).isEqualTo(owners[0]);
    assertThat(owners[ring.start(keyAt(last + 1))]).isEqualTo(owners[owners.length - 1]);
  }

  /** A request key that lands on this 32-bit ring position. */
  private static long keyAt(long ringPosition) {
    return ringPosition << 32;
  }

  @Test
  void consistentHash_serverDown_movesOnlyItsKeysAndTheyComeBack() {
    ServerSet servers = servers(1, 1, 1, 1);
    Picker picker = BalancingAlgorithm.consistentHash(HashKey.sourceIp()).newPicker(servers);
    int[] before = new int[500];
    for (int i = 0; i < before.length; i++) {
      before[i] = picker.pick(key(i), Picker.SKIP_NONE);
    }

    servers.markDown(2);
    for (int i = 0; i < before.length; i++) {
      int now = picker.pick(key(i), Picker.SKIP_NONE);
      if (before[i] != 2) {
        assertThat(now).as("key %s", i).isEqualTo(before[i]);
      } else {
        assertThat(now).isNotEqualTo(2);
      }
    }
    servers.markUp(2);
    for (int i = 0; i < before.length; i++) {
      assertThat(picker.pick(key(i), Picker.SKIP_NONE)).isEqualTo(before[i]);
    }
  }

  @Test
  void consistentHash_missingKey_walksTheRingGivingEachServerItsPoints() {
    ServerSet servers = servers(3, 1);
    Picker picker = BalancingAlgorithm.consistentHash(HashKey.uri()).newPicker(servers);

    assertThat(Fixtures.counts(picker, 2, 4 * 16 * 5)).containsExactly(3 * 16 * 5, 16 * 5);
  }

  @Test
  void consistentHash_manyKeys_spreadRoughlyByWeight() {
    // 16 points per weight unit is "never very smooth" (HAProxy's words): a loose bound.
    assertThat(share(BalancingAlgorithm.consistentHash(HashKey.uri()), servers(1, 3), 1, 20_000))
        .isCloseTo(0.75, within(0.1));
    assertThat(share(BalancingAlgorithm.consistentHash(HashKey.uri(), 160), servers(1, 3), 1, 20_000))
        .isCloseTo(0.75, within(0.05));
  }

  @Test
  void consistentHash_pointsPerWeightOutOfRange_isRejectedNamingTheValue() {
    assertThatThrownBy(() -> BalancingAlgorithm.consistentHash(HashKey.uri(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pointsPerWeight (0) must be between 1 and 160 (HAProxy uses 16, nginx's ketama 160)");
    assertThatThrownBy(() -> BalancingAlgorithm.consistentHash(HashKey.uri(), 161))
        .hasMessageStartingWith("pointsPerWeight (161)");
  }

  @Test
  void maglev_weights1And2_fill21846And43691EntriesAsEnvoy() {
    ServerSet servers = servers(1, 2);

    int[] table = MaglevTable.build(Weights.read(servers, false), servers, 65_537);

    int[] entries = new int[2];
    for (int id : table) {
      entries[id]++;
    }
    assertThat(entries).containsExactly(21_846, 43_691);
  }

  @Test
  void maglev_lightServerAmongHeavyOnes_stillGetsAnEntry() {
    ServerSet servers = servers(256, 256, 1, 256);

    int[] table = MaglevTable.build(Weights.read(servers, false), servers, 211);

    assertThat(table).contains(2);
  }

  @Test
  void maglev_sameKey_sameServer_andSkippedServer_walksToTheNextEntry() {
    ServerSet servers = servers(1, 1, 1);
    Picker picker = BalancingAlgorithm.maglev(HashKey.sourceIp()).newPicker(servers);

    for (int i = 0; i < 50; i++) {
      int home = picker.pick(key(i), Picker.SKIP_NONE);
      assertThat(picker.pick(key(i), Picker.SKIP_NONE)).isEqualTo(home);
      assertThat(picker.pick(key(i), skipping(home))).isNotEqualTo(home).isNotNegative();
    }
  }

  @Test
  void maglev_tableSizeNotPrime_isRejectedNamingTheValue() {
    assertThatThrownBy(() -> BalancingAlgorithm.maglev(HashKey.uri(), 65_536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tableSize (65536) must be a prime between 2 and 5000011, e.g. 65537");
    assertThatThrownBy(() -> BalancingAlgorithm.maglev(HashKey.uri(), 5_000_111))
        .hasMessageStartingWith("tableSize (5000111)");
  }

  @Test
  void names_followHaproxyBalanceLines_andHashKeysArePassedOn() {
    assertThat(BalancingAlgorithm.sourceHash().name()).isEqualTo("source");
    assertThat(BalancingAlgorithm.uriHash().name()).isEqualTo("uri");
    assertThat(BalancingAlgorithm.consistentHash(HashKey.header("Host")).name()).isEqualTo("hdr(host) consistent");
    assertThat(BalancingAlgorithm.consistentHash(HashKey.uri(), 160).name()).isEqualTo("uri consistent points 160");
    assertThat(BalancingAlgorithm.maglev(HashKey.sourceIp()).name()).isEqualTo("maglev(source)");
    assertThat(BalancingAlgorithm.maglev(HashKey.uri()).hashKey()).isEqualTo(HashKey.uri());
    assertThat(BalancingAlgorithm.sourceHash().hashKey()).isEqualTo(HashKey.sourceIp());
    assertThat(BalancingAlgorithm.haproxyRoundRobin().hashKey()).isEqualTo(HashKey.none());
  }
}
