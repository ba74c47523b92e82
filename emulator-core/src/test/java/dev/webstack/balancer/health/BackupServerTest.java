package dev.webstack.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.HealthCheckSpec;
import dev.webstack.RequestPath;
import dev.webstack.StackSpec;
import dev.webstack.inspection.ServerStats;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** HAProxy's {@code backup} servers and {@code option allbackups}. */
class BackupServerTest {

  private static final Duration FALL = HealthCheckSpec.DEFAULT_INTER.multipliedBy(HealthCheckSpec.DEFAULT_FALL);

  /** web-1, web-2 active; the rest backups. */
  private static StackSpec spec(int webServers, boolean allBackups) {
    return StackSpec.distributed().toBuilder().manualClock()
        .webServers(webServers, web -> web.backup(!Set.of("web-1", "web-2").contains(web.name())))
        .loadBalancer(lb -> lb.allBackups(allBackups))
        .build();
  }

  @Test
  void backup_getsNoTrafficWhileAnActiveServerIsUp() {
    try (EmulatedStack stack = spec(3, false).start()) {
      stack.node("web-1").kill();
      stack.clock().advance(FALL);

      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("DOWN");
      assertThat(Traffic.webs(stack, 6)).containsOnly("web-2");
      ServerStats web3 = stack.backend("lb-1").server("web-3");
      assertThat(web3.backup()).isTrue();
      assertThat(web3.totalSessions()).isZero();
    }
  }

  @Test
  void firstBackupOnly_takesOverWhenEveryActiveServerIsDown() {
    try (EmulatedStack stack = spec(4, false).start()) {
      stack.node("web-1").kill();
      stack.node("web-2").kill();
      stack.clock().advance(FALL);

      assertThat(Traffic.webs(stack, 6)).containsOnly("web-3");
      assertThat(stack.events()).extracting(e -> e.detail())
          .anyMatch(d -> d.startsWith("web-2 is DOWN") && d.contains("0 active and 2 backup servers left."));
    }
  }

  @Test
  void allBackups_shareTheTrafficWhenEveryActiveServerIsDown() {
    try (EmulatedStack stack = spec(4, true).start()) {
      stack.node("web-1").kill();
      stack.node("web-2").kill();
      stack.clock().advance(FALL);

      assertThat(Traffic.webs(stack, 4)).containsExactly("web-3", "web-4", "web-3", "web-4");
    }
  }

  @Test
  void activeServerBack_takesTheTrafficFromTheBackup() {
    try (EmulatedStack stack = spec(3, false).start()) {
      stack.node("web-1").kill();
      stack.node("web-2").kill();
      stack.clock().advance(FALL);
      assertThat(Traffic.webs(stack, 2)).containsOnly("web-3");

      stack.node("web-2").restart();
      stack.clock().advance(HealthCheckSpec.DEFAULT_INTER.multipliedBy(HealthCheckSpec.DEFAULT_RISE));

      assertThat(Traffic.webs(stack, 3)).containsOnly("web-2");
    }
  }

  @Test
  void noServerLeft_balancerAnswers503WithHaproxysPage() {
    try (EmulatedStack stack = spec(3, false).start()) {
      stack.node("web-1").kill();
      stack.node("web-2").kill();
      stack.node("web-3").kill();
      stack.clock().advance(FALL);

      HttpResponse<String> r = Traffic.get(stack, "/");

      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("<html><body><h1>503 Service Unavailable</h1>\n"
          + "No server is available to handle this request.\n</body></html>\n");
      assertThat(RequestPath.of(r).hops()).containsExactly("lb-1");
      assertThat(stack.backend("lb-1").stats()).extracting(ServerStats::status).containsOnly("DOWN");
    }
  }

  @Test
  void backupUnderMaintenance_isSkippedForTheNextBackup() {
    try (EmulatedStack stack = spec(4, false).start()) {
      stack.backend("lb-1").disable("web-3");
      stack.node("web-1").kill();
      stack.node("web-2").kill();
      stack.clock().advance(FALL);

      assertThat(Traffic.webs(stack, 3)).containsOnly("web-4");
    }
  }
}
