package dev.webstack.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.HealthCheckSpec;
import dev.webstack.StackSpec;
import dev.webstack.balancer.Backend;
import dev.webstack.inspection.ServerStats;
import dev.webstack.inspection.StackEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Active checks on the manual clock: a dead server leaves after exactly {@code fall} checks, returns after {@code rise}. */
class KilledServerCheckTest {

  private static final Duration INTER = HealthCheckSpec.DEFAULT_INTER;

  private static EmulatedStack start() {
    return StackSpec.distributed().toBuilder().manualClock().build().start();
  }

  @Test
  void serversStartFullyUp_beforeTheirFirstCheck() {
    try (EmulatedStack stack = start()) {
      ServerStats web1 = stack.backend("lb-1").server("web-1");

      assertThat(web1.status()).isEqualTo("UP");
      assertThat(web1.checkStatus()).isEqualTo("INI");
      assertThat(web1.checkFailures()).isZero();
    }
  }

  @Test
  void killedWebServer_isStillUpAfterFallMinusOneChecks_andDownAfterFall() {
    try (EmulatedStack stack = start()) {
      Backend lb = stack.backend("lb-1");
      stack.clock().advance(INTER);
      assertThat(lb.server("web-1").checkStatus()).isEqualTo("L4OK");

      stack.node("web-1").kill();
      stack.clock().advance(INTER);
      assertThat(lb.server("web-1").status()).isEqualTo("UP 2/3");
      stack.clock().advance(INTER);
      ServerStats beforeFall = lb.server("web-1");
      assertThat(beforeFall.status()).isEqualTo("UP 1/3");
      assertThat(beforeFall.isUp()).isTrue();
      assertThat(beforeFall.checkStatus()).isEqualTo("L4CON");
      assertThat(beforeFall.checkInfo()).isEqualTo("Connection refused");
      assertThat(beforeFall.checkFailures()).isEqualTo(2);
      assertThat(beforeFall.checkDowns()).isZero();

      stack.clock().advance(INTER);
      ServerStats down = lb.server("web-1");
      assertThat(down.status()).isEqualTo("DOWN");
      assertThat(down.isUp()).isFalse();
      assertThat(down.checkFailures()).isEqualTo(3);
      assertThat(down.checkDowns()).isEqualTo(1);
      assertThat(down.lastStatusChange()).isEqualTo(stack.clock().instant());
      long tried = down.totalSessions();

      assertThat(Traffic.webs(stack, 6)).containsOnly("web-2");
      assertThat(lb.server("web-1").totalSessions()).as("no request even tries web-1").isEqualTo(tried);
    }
  }

  @Test
  void restartedWebServer_isBackAfterExactlyRiseChecks() {
    try (EmulatedStack stack = start()) {
      Backend lb = stack.backend("lb-1");
      stack.node("web-1").kill();
      stack.clock().advance(INTER.multipliedBy(3));
      assertThat(lb.server("web-1").status()).isEqualTo("DOWN");

      stack.node("web-1").restart();
      stack.clock().advance(INTER);
      assertThat(lb.server("web-1").status()).isEqualTo("DOWN 1/2");
      assertThat(lb.server("web-1").checkStatus()).isEqualTo("L4OK");
      assertThat(Traffic.webs(stack, 4)).containsOnly("web-2");

      stack.clock().advance(INTER);
      assertThat(lb.server("web-1").status()).isEqualTo("UP");
      assertThat(Traffic.webs(stack, 4)).containsExactly("web-1", "web-2", "web-1", "web-2");
    }
  }

  @Test
  void intervals_areInterWhenUp_fastinterInTransition_downinterWhenDown() {
    StackSpec spec = StackSpec.distributed().toBuilder().manualClock()
        .loadBalancer(lb -> lb.healthCheck(HealthCheckSpec.builder().inter(Duration.ofSeconds(1))
            .fastInter(Duration.ofMillis(100)).downInter(Duration.ofMillis(500)).build()))
        .build();
    try (EmulatedStack stack = spec.start()) {
      Backend lb = stack.backend("lb-1");
      stack.node("web-1").kill();
      stack.clock().advance(Duration.ofMillis(999));
      assertThat(lb.server("web-1").checkStatus()).as("first check after inter").isEqualTo("INI");
      stack.clock().advance(Duration.ofMillis(1));
      assertThat(lb.server("web-1").status()).isEqualTo("UP 2/3");
      stack.clock().advance(Duration.ofMillis(100));
      assertThat(lb.server("web-1").status()).as("fastinter while going down").isEqualTo("UP 1/3");
      stack.clock().advance(Duration.ofMillis(100));
      assertThat(lb.server("web-1").status()).isEqualTo("DOWN");

      stack.node("web-1").restart();
      stack.clock().advance(Duration.ofMillis(499));
      assertThat(lb.server("web-1").status()).as("no check before downinter").isEqualTo("DOWN");
      stack.clock().advance(Duration.ofMillis(1));
      assertThat(lb.server("web-1").status()).isEqualTo("DOWN 1/2");
      stack.clock().advance(Duration.ofMillis(100));
      assertThat(lb.server("web-1").status()).as("fastinter while going up").isEqualTo("UP");
    }
  }

  @Test
  void stateChanges_areEventsInHaproxysWords() {
    try (EmulatedStack stack = start()) {
      stack.node("web-1").kill();
      stack.clock().advance(INTER.multipliedBy(3));
      stack.node("web-1").restart();
      stack.clock().advance(INTER.multipliedBy(2));

      assertThat(stack.events().stream().filter(e -> e.type().equals("health")).map(StackEvent::component))
          .containsExactly("lb-1/web-1", "lb-1/web-1", "lb-1/web-1", "lb-1/web-1", "lb-1/web-1");
      assertThat(stack.events().stream().filter(e -> e.type().equals("health")).map(StackEvent::detail))
          .satisfiesExactly(
              d -> assertThat(d).matches("Health check for server web-1 failed, reason: Layer4 connection problem,"
                  + " info: \"Connection refused\", check duration: \\d+ms, status: 2/3 UP\\."),
              d -> assertThat(d).matches("Health check for server web-1 failed, .*, status: 1/3 UP\\."),
              d -> assertThat(d).matches("web-1 is DOWN, reason: Layer4 connection problem, info: \"Connection"
                  + " refused\", check duration: \\d+ms\\. 1 active and 0 backup servers left\\. 0 sessions active,"
                  + " 0 requeued, 0 remaining in queue\\."),
              d -> assertThat(d).matches("Health check for server web-1 succeeded, reason: Layer4 check passed,"
                  + " check duration: \\d+ms, status: 1/2 DOWN\\."),
              d -> assertThat(d).matches("web-1 is UP, reason: Layer4 check passed, check duration: \\d+ms\\. 2 active"
                  + " and 0 backup servers online\\. 0 sessions requeued, 0 total in queue\\."));
    }
  }

  @Test
  void everyWebServerDown_isLoggedAsABackendWithoutServers() {
    try (EmulatedStack stack = start()) {
      stack.node("web-1").kill();
      stack.node("web-2").kill();
      stack.clock().advance(INTER.multipliedBy(3));

      assertThat(stack.events()).filteredOn(e -> e.component().equals("lb-1"))
          .extracting(StackEvent::detail).containsExactly("backend lb-1 has no server available!");
      assertThat(Traffic.get(stack, "/").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void killedBalancer_checksNothing_andResumesOnRestart() {
    try (EmulatedStack stack = start()) {
      stack.node("lb-1").kill();
      stack.node("web-1").kill();
      stack.clock().advance(INTER.multipliedBy(5));
      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("UP");
      assertThat(stack.backend("lb-1").server("web-1").checkStatus()).isEqualTo("INI");

      stack.node("lb-1").restart();
      stack.clock().advance(INTER.multipliedBy(3));
      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("DOWN");
    }
  }

  @Test
  void onTheRealClock_checksRunInTheBackground_andFindADeadServer() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      stack.node("web-1").kill();
      stack.await("lb-1 sees web-1 DOWN", Duration.ofSeconds(30),
          () -> stack.backend("lb-1").server("web-1").status().equals("DOWN"));
      assertThat(stack.backend("lb-1").server("web-1").checkDowns()).isEqualTo(1);

      stack.node("web-1").restart();
      stack.await("lb-1 sees web-1 UP", Duration.ofSeconds(30),
          () -> stack.backend("lb-1").server("web-1").status().equals("UP"));
      assertThat(Traffic.webs(stack, 2)).containsExactlyInAnyOrder("web-1", "web-2");
    }
  }

  @Test
  void disabledChecks_keepADeadServerUp_asHaproxyWithoutCheck() {
    StackSpec spec = StackSpec.distributed().toBuilder().manualClock()
        .loadBalancer(lb -> lb.healthCheck(HealthCheckSpec.disabled())).build();
    try (EmulatedStack stack = spec.start()) {
      stack.node("web-1").kill();
      stack.clock().advance(INTER.multipliedBy(10));

      ServerStats web1 = stack.backend("lb-1").server("web-1");
      assertThat(web1.status()).isEqualTo("no check");
      assertThat(web1.checkStatus()).isEmpty();
      assertThat(Traffic.webs(stack, 4)).containsOnly("web-2");
      assertThat(stack.backend("lb-1").server("web-1").totalSessions()).as("requests still try web-1")
          .isPositive();
    }
  }
}
