package dev.webstack.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.HealthCheckSpec;
import dev.webstack.StackSpec;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Health checks and {@code timeout server} against the node fault {@code hang()} (accepts, never answers). */
class HungNodeFaultTest {

  private static final Duration INTER = Duration.ofMillis(500);

  private static StackSpec spec(HealthCheckSpec checks) {
    return StackSpec.distributed().toBuilder().manualClock()
        .loadBalancer(lb -> lb.healthCheck(checks).serverTimeout(Duration.ofMillis(300)))
        .build();
  }

  @Test
  void hungWebServer_failsHttpChecks_andIsTakenOut() {
    try (EmulatedStack stack = spec(HealthCheckSpec.builder().inter(INTER).httpCheck("/").build()).start()) {
      stack.node("web-1").faults().hang();
      stack.clock().advance(INTER.multipliedBy(3));

      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("DOWN");
      assertThat(stack.backend("lb-1").server("web-1").checkStatus()).isEqualTo("L7TOUT");
      assertThat(Traffic.webs(stack, 3)).containsOnly("web-2");

      stack.node("web-1").faults().clear();
      stack.clock().advance(INTER.multipliedBy(2));
      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("UP");
    }
  }

  @Test
  void hungWebServer_passesTcpChecks_andItsRequestsTimeOutWith504() {
    try (EmulatedStack stack = spec(HealthCheckSpec.builder().inter(INTER).build()).start()) {
      stack.node("web-1").faults().hang();
      stack.clock().advance(INTER.multipliedBy(3));

      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("UP");
      assertThat(stack.backend("lb-1").server("web-1").checkStatus()).isEqualTo("L4OK");
      HttpResponse<String> first = Traffic.get(stack, "/");
      assertThat(first.statusCode()).as("round robin sends the first request to the hung web-1").isEqualTo(504);
      assertThat(first.body()).contains("504 Gateway Time-out");
      stack.node("web-1").faults().clear();
    }
  }
}
