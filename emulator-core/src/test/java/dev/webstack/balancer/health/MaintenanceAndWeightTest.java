package dev.webstack.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import dev.webstack.RequestPath;
import dev.webstack.StackSpec;
import dev.webstack.app.AppResponse;
import dev.webstack.balancer.Backend;
import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.inspection.StackEvent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HAProxy's run-time commands: {@code disable server}, {@code enable server}, {@code set weight}. */
class MaintenanceAndWeightTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseHeldRequests() {
    release.countDown();
  }

  @Test
  void disable_drains_requestsInFlightFinish_newOnesGoElsewhere() throws Exception {
    StackSpec spec = StackSpec.distributed().toBuilder().manualClock()
        .appServers(1, app -> app.handler(request -> {
          if (request.path().equals("/api/slow") && !release.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
          }
          return AppResponse.text("done");
        }))
        .build();
    try (EmulatedStack stack = spec.start()) {
      Backend lb = stack.backend("lb-1");
      CompletableFuture<HttpResponse<String>> slow = stack.httpClient().sendAsync(
          HttpRequest.newBuilder(URI.create(Traffic.SITE + "/api/slow")).timeout(DEADLINE).build(),
          HttpResponse.BodyHandlers.ofString());
      stack.await("the slow request is in flight on web-1", DEADLINE,
          () -> lb.server("web-1").currentSessions() == 1);

      lb.disable("web-1");

      assertThat(lb.server("web-1").status()).isEqualTo("MAINT");
      assertThat(lb.server("web-1").currentSessions()).isEqualTo(1);
      assertThat(Traffic.webs(stack, 4)).containsOnly("web-2");
      release.countDown();
      HttpResponse<String> finished = slow.get(30, TimeUnit.SECONDS);
      assertThat(finished.statusCode()).isEqualTo(200);
      assertThat(RequestPath.of(finished).first("web")).hasValue("web-1");
      stack.await("web-1 has drained", DEADLINE, () -> lb.server("web-1").currentSessions() == 0);
      assertThat(stack.events()).filteredOn(e -> e.component().equals("lb-1/web-1")).extracting(StackEvent::detail)
          .containsExactly("web-1 is going DOWN for maintenance. 1 active and 0 backup servers left."
              + " 1 sessions active, 0 requeued, 0 remaining in queue.");
    }
  }

  @Test
  void enable_bringsTheServerBackAsHaproxyDoes_upButFallingAtTheFirstFailure() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      Backend lb = stack.backend("lb-1");
      lb.disable("web-1");
      lb.enable("web-1");

      assertThat(lb.server("web-1").status()).isEqualTo("UP 1/3");
      assertThat(stack.events()).extracting(StackEvent::detail)
          .contains("web-1 is UP (leaving forced maintenance). 2 active and 0 backup servers online."
              + " 0 sessions requeued, 0 total in queue.");
      stack.clock().advance(Duration.ZERO); // enable checks at once
      assertThat(lb.server("web-1").status()).isEqualTo("UP");
      assertThat(Traffic.webs(stack, 2)).containsExactlyInAnyOrder("web-1", "web-2");
    }
  }

  @Test
  void maintenance_pausesChecks_andADeadServerEnabledFallsAtItsFirstCheck() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      Backend lb = stack.backend("lb-1");
      lb.disable("web-1");
      stack.node("web-1").kill();
      stack.clock().advance(Duration.ofSeconds(1));
      assertThat(lb.server("web-1").status()).isEqualTo("MAINT");
      assertThat(lb.server("web-1").checkStatus()).isEqualTo("INI");

      lb.enable("web-1");
      stack.clock().advance(Duration.ZERO);

      assertThat(lb.server("web-1").status()).isEqualTo("DOWN");
      assertThat(lb.server("web-1").checkFailures()).isEqualTo(1);
    }
  }

  @Test
  void disableAndEnable_areIdempotent() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      Backend lb = stack.backend("lb-1");
      lb.disable("web-2");
      lb.disable("web-2");
      lb.enable("web-1");

      assertThat(stack.events()).filteredOn(e -> e.type().equals("health")).hasSize(1);
    }
  }

  @Test
  void weight_changesTheShareAtRunTime() {
    StackSpec spec = StackSpec.distributed().toBuilder().manualClock()
        .loadBalancer(lb -> lb.algorithm(BalancingAlgorithm.nginxRoundRobin())).build();
    try (EmulatedStack stack = spec.start()) {
      stack.backend("lb-1").weight("web-1", 3);

      assertThat(Traffic.webs(stack, 8)).containsExactly(
          "web-1", "web-1", "web-2", "web-1", "web-1", "web-1", "web-2", "web-1");
      assertThat(stack.backend("lb-1").server("web-1").weight()).isEqualTo(3);
      assertThat(stack.events()).extracting(StackEvent::detail).contains("web-1 weight changed from 1 to 3.");
    }
  }

  @Test
  void weightZero_drainsTheServer() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      stack.backend("lb-1").weight("web-2", 0);

      assertThat(stack.backend("lb-1").server("web-2").status()).isEqualTo("DRAIN");
      assertThat(stack.backend("lb-1").server("web-2").isAvailable()).isFalse();
      assertThat(Traffic.webs(stack, 3)).containsOnly("web-1");
    }
  }

  @Test
  void badWeight_isRejectedNamingServerAndValue() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      assertThatThrownBy(() -> stack.backend("lb-1").weight("web-1", 257))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("weight (257) of web-1 must be between 0 and 256");
    }
  }
}
