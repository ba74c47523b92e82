package dev.webstack.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import dev.webstack.HealthCheckSpec;
import dev.webstack.StackSpec;
import dev.webstack.inspection.ServerStats;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A web server checks its application servers with the same machinery as the balancer. */
class AppTierHealthTest {

  private static final Duration INTER = HealthCheckSpec.DEFAULT_INTER;

  private static StackSpec twoAppServers() {
    return StackSpec.simpleWebStack().toBuilder().manualClock()
        .appServers(2, app -> app.host("server-1").port(app.name().equals("app-1") ? 8000 : 8001))
        .build();
  }

  @Test
  void killedAppServer_isDownInTheWebServersBackendAfterFallChecks() {
    try (EmulatedStack stack = twoAppServers().start()) {
      stack.node("app-1").kill();
      stack.clock().advance(INTER.multipliedBy(2));
      assertThat(stack.backend("web-1").server("app-1").status()).isEqualTo("UP 1/3");

      stack.clock().advance(INTER);

      ServerStats app1 = stack.backend("web-1").server("app-1");
      assertThat(app1.proxy()).isEqualTo("web-1");
      assertThat(app1.status()).isEqualTo("DOWN");
      assertThat(app1.checkStatus()).isEqualTo("L4CON");
      assertThat(Traffic.hops(stack, "/api/whoami", "app", 4)).containsOnly("app-2");
      assertThat(stack.events()).extracting(e -> e.component()).contains("web-1/app-1");
    }
  }

  @Test
  void restartedAppServer_servesAgainAfterRiseChecks() {
    try (EmulatedStack stack = twoAppServers().start()) {
      stack.node("app-1").kill();
      stack.clock().advance(INTER.multipliedBy(3));
      stack.node("app-1").restart();
      stack.clock().advance(INTER.multipliedBy(2));

      assertThat(stack.backend("web-1").server("app-1").status()).isEqualTo("UP");
      assertThat(Traffic.hops(stack, "/api/whoami", "app", 4)).containsExactlyInAnyOrder(
          "app-1", "app-2", "app-1", "app-2");
    }
  }

  @Test
  void everyAppServerDown_webServerAnswers502WithoutTryingThem() {
    try (EmulatedStack stack = twoAppServers().start()) {
      stack.node("app-1").kill();
      stack.node("app-2").kill();
      stack.clock().advance(INTER.multipliedBy(3));

      assertThat(Traffic.get(stack, "/api/whoami").statusCode()).isEqualTo(502);
      assertThat(stack.backend("web-1").stats()).extracting(ServerStats::totalSessions).containsOnly(0L);
    }
  }

  @Test
  void eachWebServer_checksTheAppTierOnItsOwn() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock()
        .webServers(2, web -> web.healthCheck(web.name().equals("web-2") ? HealthCheckSpec.disabled()
            : HealthCheckSpec.defaults()))
        .build().start()) {
      stack.node("app-1").kill();
      stack.clock().advance(INTER.multipliedBy(3));

      assertThat(stack.backend("web-1").server("app-1").status()).isEqualTo("DOWN");
      assertThat(stack.backend("web-2").server("app-1").status()).isEqualTo("no check");
    }
  }

  @Test
  void backupAppServer_servesOnlyWhenEveryOtherIsDown_asNginxBackup() {
    StackSpec spec = StackSpec.simpleWebStack().toBuilder().manualClock()
        .appServers(3, app -> app.host("server-1").port(8000 + Integer.parseInt(app.name().substring(4))))
        .webServers(1, web -> web.host("server-1").backupAppServers("app-2", "app-3"))
        .build();
    try (EmulatedStack stack = spec.start()) {
      assertThat(Traffic.hops(stack, "/api/whoami", "app", 3)).containsOnly("app-1");
      assertThat(stack.backend("web-1").server("app-2").backup()).isTrue();

      stack.node("app-1").kill();
      stack.clock().advance(INTER.multipliedBy(3));

      assertThat(Traffic.hops(stack, "/api/whoami", "app", 4)).containsExactly("app-2", "app-3", "app-2", "app-3");
    }
  }

  @Test
  void backupAppServers_mustNameApplicationServers() {
    assertThatThrownBy(() -> StackSpec.simpleWebStack().toBuilder()
        .webServers(1, web -> web.host("server-1").backupAppServers("app-9")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backupAppServers (app-9) of web-1 names no application server (appServers: [app-1])");
  }

  @Test
  void backendOfANodeThatForwardsNowhere_isRejected() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      assertThatThrownBy(() -> stack.backend("app-1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("app-1 forwards to no servers: only the balancer and web servers with an application tier"
              + " have a backend");
      assertThatThrownBy(() -> stack.backend("nope"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("no node named nope");
      assertThatThrownBy(() -> stack.backend("lb-1").server("web-9"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("no server named web-9 behind lb-1 (servers: [web-1, web-2])");
    }
  }
}
