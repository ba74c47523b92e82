package dev.webstack.balancer;

import static dev.webstack.balancer.Fixtures.sequence;
import static dev.webstack.balancer.Fixtures.servers;
import static dev.webstack.balancer.Fixtures.skipping;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** HAProxy's leastconn: key (inFlight + 1) × 4096 ÷ (weight × 16), 0 when idle; equal keys rotate. */
class LeastConnectionsTest {

  private static Picker picker(ServerSet servers) {
    return BalancingAlgorithm.leastConnections().newPicker(servers);
  }

  private static void inFlight(ServerSet servers, int id, int requests) {
    for (int i = 0; i < requests; i++) {
      servers.started(id);
    }
  }

  @Test
  void pick_allIdle_rotatesAbcIgnoringWeights() {
    ServerSet servers = servers(5, 1, 1);

    assertThat(sequence(picker(servers), servers, 9)).isEqualTo("a b c a b c a b c");
  }

  @Test
  void pick_requestsOneAtATime_rotatesAbc() {
    ServerSet servers = servers(5, 1, 1);
    Picker picker = picker(servers);
    StringBuilder picks = new StringBuilder();

    for (int i = 0; i < 6; i++) {
      int id = picker.pick(0, Picker.SKIP_NONE);
      servers.started(id);
      servers.finished(id);
      picks.append(servers.name(id));
    }

    assertThat(picks).hasToString("abcabc");
  }

  @Test
  void pick_differentLoads_takesLowestKey() {
    ServerSet servers = servers(1, 1, 2);
    inFlight(servers, 0, 2); // (2 + 1) × 256 = 768
    inFlight(servers, 1, 1); // (1 + 1) × 256 = 512
    inFlight(servers, 2, 2); // (2 + 1) × 128 = 384

    assertThat(picker(servers).pick(0, Picker.SKIP_NONE)).isEqualTo(2);
  }

  @Test
  void pick_idleServer_beatsAnyLoadedOneWhateverTheWeights() {
    ServerSet servers = servers(256, 1);
    inFlight(servers, 0, 1); // key (1 + 1) × 4096 ÷ 4096 = 2, yet above an idle server's 0

    assertThat(picker(servers).pick(0, Picker.SKIP_NONE)).isEqualTo(1);
  }

  @Test
  void pick_equalKeys_rotateRoundRobin() {
    ServerSet servers = servers(1, 1, 1);
    for (int id = 0; id < 3; id++) {
      inFlight(servers, id, 1);
    }

    assertThat(sequence(picker(servers), servers, 6)).isEqualTo("a b c a b c");
  }

  @Test
  void pick_serverJustFinished_queuesBehindIdleEquals() {
    ServerSet servers = servers(1, 1, 1);
    Picker picker = picker(servers);
    servers.started(picker.pick(0, Picker.SKIP_NONE)); // a
    servers.started(picker.pick(0, Picker.SKIP_NONE)); // b
    servers.finished(0); // a is idle again, but repositioned after c, as HAProxy does when its load changes

    assertThat(picker.pick(0, Picker.SKIP_NONE)).isEqualTo(2);
    assertThat(picker.pick(0, Picker.SKIP_NONE)).isEqualTo(0);
  }

  @Test
  void pick_longRequestFinishing_queuesItsServerBehindServersThatFinishedEarlier() {
    ServerSet servers = servers(1, 1, 1);
    Picker picker = picker(servers);
    servers.started(picker.pick(0, Picker.SKIP_NONE)); // a: a long request
    for (int i = 0; i < 2; i++) {
      int id = picker.pick(0, Picker.SKIP_NONE); // b, then c: short ones
      servers.started(id);
      servers.finished(id);
    }
    servers.finished(0);

    // All idle again; HAProxy repositions each server when its load changes, so a, which finished last, is last.
    assertThat(sequence(picker, servers, 3)).isEqualTo("b c a");
  }

  @Test
  void pick_serverAddedIdle_takesRequestsUntilAsLoadedAsTheOthers() {
    ServerSet servers = servers(1, 1);
    Picker picker = picker(servers);
    inFlight(servers, 0, 3);
    inFlight(servers, 1, 3);
    picker.pick(0, Picker.SKIP_NONE);
    int c = servers.add("c", 1);
    StringBuilder picks = new StringBuilder();

    for (int i = 0; i < 4; i++) {
      int id = picker.pick(0, Picker.SKIP_NONE);
      servers.started(id);
      picks.append(servers.name(id));
    }

    assertThat(c).isEqualTo(2);
    assertThat(picks.substring(0, 3)).isEqualTo("ccc");
  }

  @Test
  void pick_downOrSkippedServers_areLeftOut() {
    ServerSet servers = servers(1, 1, 1);
    servers.markDown(0);

    assertThat(picker(servers).pick(0, skipping(1))).isEqualTo(2);
    assertThat(picker(servers).pick(0, skipping(1, 2))).isEqualTo(-1);
  }
}
