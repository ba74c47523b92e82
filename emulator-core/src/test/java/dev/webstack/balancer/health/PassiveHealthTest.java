package dev.webstack.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.HealthCheckSpec;
import dev.webstack.RequestPath;
import dev.webstack.StackSpec;
import dev.webstack.inspection.ServerStats;
import dev.webstack.inspection.StackEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** HAProxy's {@code observe layer4} + {@code on-error mark-down}, with {@code option redispatch}. */
class PassiveHealthTest {

  private static final Duration INTER = HealthCheckSpec.DEFAULT_INTER;
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static StackSpec observing(boolean manualClock) {
    StackSpec.Builder b = StackSpec.distributed().toBuilder()
        .loadBalancer(lb -> lb.healthCheck(HealthCheckSpec.builder().observeLayer4(true).build()));
    return (manualClock ? b.manualClock() : b).build();
  }

  @Test
  void refusedConnection_marksTheServerDownAtOnce_andTheRequestIsRedispatched() {
    try (EmulatedStack stack = observing(true).start()) {
      stack.node("web-1").kill();

      HttpResponse<String> r = Traffic.get(stack, "/");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(RequestPath.of(r).first("web")).hasValue("web-2");
      ServerStats web1 = stack.backend("lb-1").server("web-1");
      assertThat(web1.status()).isEqualTo("DOWN");
      assertThat(web1.checkStatus()).isEqualTo("HANA");
      assertThat(web1.checkDowns()).isEqualTo(1);
      assertThat(stack.events()).filteredOn(e -> e.component().equals("lb-1/web-1")).extracting(StackEvent::detail)
          .containsExactly("web-1 is DOWN, reason: Health analyze, info: \"Detected 1 consecutive errors, last one"
              + " was: L4 unsuccessful connection\", check duration: 0ms. 1 active and 0 backup servers left."
              + " 0 sessions active, 0 requeued, 0 remaining in queue.");
    }
  }

  @Test
  void withoutObservation_aRefusedConnectionLeavesTheServerUp() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      stack.node("web-1").kill();

      assertThat(Traffic.webs(stack, 2)).containsOnly("web-2");
      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("UP");
    }
  }

  @Test
  void errorLimit_marksDownOnlyAfterThatManyConsecutiveRefusals() {
    StackSpec spec = StackSpec.distributed().toBuilder().manualClock()
        .loadBalancer(lb -> lb.healthCheck(HealthCheckSpec.builder().observeLayer4(true).errorLimit(3).build()))
        .build();
    try (EmulatedStack stack = spec.start()) {
      stack.node("web-1").kill();

      for (int i = 0; i < 10 && stack.backend("lb-1").server("web-1").status().startsWith("UP"); i++) {
        ServerStats web1 = stack.backend("lb-1").server("web-1");
        assertThat(web1.totalSessions()).as("refused connections so far, while %s", web1.status()).isLessThan(3);
        assertThat(Traffic.webs(stack, 1)).containsOnly("web-2");
      }
      ServerStats web1 = stack.backend("lb-1").server("web-1");
      assertThat(web1.status()).isEqualTo("DOWN");
      assertThat(web1.totalSessions()).as("refused connections").isEqualTo(3);
      assertThat(web1.checkInfo()).isEqualTo("Detected 3 consecutive errors, last one was: L4 unsuccessful connection");
    }
  }

  @Test
  void serverMarkedDownByTraffic_comesBackAfterRiseChecks() {
    try (EmulatedStack stack = observing(true).start()) {
      stack.node("web-1").kill();
      Traffic.get(stack, "/");
      stack.node("web-1").restart();

      stack.clock().advance(INTER);
      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("DOWN 1/2");
      assertThat(Traffic.webs(stack, 2)).containsOnly("web-2");
      stack.clock().advance(INTER);
      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("UP");
      assertThat(Traffic.webs(stack, 2)).containsExactlyInAnyOrder("web-1", "web-2");
    }
  }

  /**
   * HAProxy's {@code on-error mark-down} leaves the check already planned where it is (it only ever brings it
   * forward, to {@code fastinter} from now when that is sooner): a server marked down 60 ms into a 100 ms
   * interval is checked again at 100 ms, not one interval after the mark-down.
   */
  @Test
  void serverMarkedDownByTrafficMidInterval_isCheckedAtTheAlreadyPlannedTime() {
    try (EmulatedStack stack = observing(true).start()) {
      stack.clock().advance(Duration.ofMillis(60));
      stack.node("web-1").kill();
      Traffic.get(stack, "/");
      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("DOWN");
      stack.node("web-1").restart();

      stack.clock().advance(Duration.ofMillis(40)); // t = 100 ms: the check planned at start is due

      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("DOWN 1/2");
      stack.clock().advance(INTER);
      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("UP");
    }
  }

  @Test
  void steadyTraffic_losesNoRequest_whileAWebServerIsKilledAndRestarted() throws Exception {
    try (EmulatedStack stack = observing(false).start()) {
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger served = new AtomicInteger();
      List<String> failures = new CopyOnWriteArrayList<>();
      Set<String> webs = ConcurrentHashMap.newKeySet();
      Thread client = new Thread(() -> {
        while (running.get()) {
          try {
            HttpResponse<String> r = Traffic.get(stack, "/api/posts");
            if (r.statusCode() == 200) {
              served.incrementAndGet();
              webs.add(RequestPath.of(r).first("web").orElseThrow());
            } else {
              failures.add(r.statusCode() + " " + r.body());
            }
          } catch (RuntimeException e) {
            failures.add(e.toString());
          }
        }
      }, "test-steady-traffic");
      client.start();
      try {
        stack.await("traffic flows through both web servers", DEADLINE, () -> webs.size() == 2);
        stack.node("web-1").kill();
        stack.await("lb-1 sees web-1 DOWN", DEADLINE,
            () -> stack.backend("lb-1").server("web-1").status().equals("DOWN"));
        int before = served.get();
        stack.await("requests are served while web-1 is down", DEADLINE, () -> served.get() > before + 20);

        stack.node("web-1").restart();
        stack.await("lb-1 sees web-1 UP again", DEADLINE,
            () -> stack.backend("lb-1").server("web-1").status().equals("UP"));
        long web1Sessions = stack.backend("lb-1").server("web-1").totalSessions();
        stack.await("web-1 serves again", DEADLINE,
            () -> stack.backend("lb-1").server("web-1").totalSessions() > web1Sessions + 5);
      } finally {
        running.set(false);
        client.join(Duration.ofSeconds(30).toMillis());
      }

      assertThat(client.isAlive()).isFalse();
      assertThat(failures).isEmpty();
      assertThat(served.get()).isGreaterThan(30);
    }
  }
}
