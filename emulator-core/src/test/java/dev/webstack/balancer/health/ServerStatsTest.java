package dev.webstack.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.HealthCheckSpec;
import dev.webstack.StackSpec;
import dev.webstack.inspection.ServerStats;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What {@code Backend.stats()} reports, on the manual clock so that times are exact. */
class ServerStatsTest {

  private static final Duration INTER = HealthCheckSpec.DEFAULT_INTER;

  @Test
  void downtimeAndLastChange_followTheStackClock() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      Instant start = stack.clock().instant();
      stack.node("web-1").kill();
      stack.clock().advance(INTER.multipliedBy(3));
      assertThat(stack.backend("lb-1").server("web-1").lastStatusChange()).isEqualTo(start.plus(INTER.multipliedBy(3)));
      stack.clock().advance(INTER.multipliedBy(4));
      assertThat(stack.backend("lb-1").server("web-1").downtime()).as("an ongoing outage counts")
          .isEqualTo(INTER.multipliedBy(4));

      stack.node("web-1").restart();
      stack.clock().advance(INTER.multipliedBy(2));
      stack.clock().advance(Duration.ofSeconds(5));

      ServerStats web1 = stack.backend("lb-1").server("web-1");
      assertThat(web1.lastStatusChange()).isEqualTo(start.plus(INTER.multipliedBy(9)));
      assertThat(web1.downtime()).isEqualTo(INTER.multipliedBy(6));
    }
  }

  @Test
  void sessions_countRequestsPerServer() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      Traffic.webs(stack, 5);
      // A session ends when the balancer has finished the exchange, which may be just after the client has read
      // the response.
      stack.await("every session to end", Duration.ofSeconds(10),
          () -> stack.backend("lb-1").stats().stream().allMatch(s -> s.currentSessions() == 0));

      assertThat(stack.backend("lb-1").stats()).extracting(ServerStats::name, ServerStats::totalSessions,
          ServerStats::currentSessions, ServerStats::weight, ServerStats::backup)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("web-1", 3L, 0, 1, false),
              org.assertj.core.groups.Tuple.tuple("web-2", 2L, 0, 1, false));
    }
  }

  @Test
  void text_readsLikeHaproxyStats() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      stack.node("web-1").kill();
      stack.clock().advance(INTER.multipliedBy(4));

      assertThat(stack.backend("lb-1").server("web-1").toString()).matches(
          "lb-1/web-1 DOWN L4CON \"Connection refused\" in \\d+ms, weight 1, scur 0, stot 0, chkfail 3, chkdown 1,"
              + " lastchg 2000-01-01T00:00:00.300Z, downtime PT0.1S");
      assertThat(stack.backend("lb-1").server("web-2").toString()).matches(
          "lb-1/web-2 UP L4OK in \\d+ms, weight 1, scur 0, stot 0, chkfail 0, chkdown 0,"
              + " lastchg 2000-01-01T00:00:00Z, downtime PT0S");
    }
  }

  @Test
  void dump_listsEachProxysBackend() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      stack.node("web-2").kill();
      stack.clock().advance(INTER.multipliedBy(3));

      assertThat(stack.dump()).contains("backend of lb-1\n  lb-1/web-1 UP L4OK", "\n  lb-1/web-2 DOWN L4CON",
          "backend of web-1\n  web-1/app-1 UP L4OK");
      assertThat(stack.snapshot().backends()).containsOnlyKeys("lb-1", "web-1", "web-2");
    }
  }

  @Test
  void noCheck_reportsNoCheckStatus() {
    StackSpec spec = StackSpec.distributed().toBuilder().manualClock()
        .loadBalancer(lb -> lb.healthCheck(HealthCheckSpec.disabled()))
        .webServers(3, web -> web.backup(web.name().equals("web-3"))).build();
    try (EmulatedStack stack = spec.start()) {
      assertThat(stack.backend("lb-1").server("web-3").toString()).isEqualTo(
          "lb-1/web-3 no check, backup, weight 1, scur 0, stot 0, chkfail 0, chkdown 0,"
              + " lastchg 2000-01-01T00:00:00Z, downtime PT0S");
    }
  }
}
