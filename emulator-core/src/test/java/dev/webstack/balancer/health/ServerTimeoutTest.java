package dev.webstack.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.HealthCheckSpec;
import dev.webstack.RequestPath;
import dev.webstack.StackSpec;
import dev.webstack.app.AppHandler;
import dev.webstack.app.AppResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code timeout server} on the proxy hops, and what checks see of a server that accepts connections but never
 * answers. The hang is an application handler blocked on a latch the test releases at the end.
 */
class ServerTimeoutTest {

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicBoolean hanging = new AtomicBoolean(true);

  /** Hangs every request while {@link #hanging} is set, until the test ends. */
  private final AppHandler hangs = request -> {
    if (hanging.get() && !release.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test never released the hung handler");
    }
    return AppResponse.text("finally, from " + request.node());
  };

  @AfterEach
  void releaseHungHandlers() {
    release.countDown();
  }

  @Test
  void hungServer_balancerAnswers504WithHaproxysPage() {
    StackSpec spec = StackSpec.distributed().toBuilder()
        .loadBalancer(lb -> lb.serverTimeout(Duration.ofMillis(300)))
        .appServers(1, app -> app.handler(hangs))
        .build();
    try (EmulatedStack stack = spec.start()) {
      HttpResponse<String> r = Traffic.get(stack, "/api/anything");

      assertThat(r.statusCode()).isEqualTo(504);
      assertThat(r.body()).isEqualTo(
          "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n");
      assertThat(RequestPath.of(r).hops()).containsExactly("lb-1");
    }
  }

  @Test
  void hungAppServer_webServerAnswers504WithNginxsPage() {
    StackSpec spec = StackSpec.simpleWebStack().toBuilder()
        .webServers(1, web -> web.host("server-1").serverTimeout(Duration.ofMillis(300)))
        .appServers(1, app -> app.host("server-1").handler(hangs))
        .build();
    try (EmulatedStack stack = spec.start()) {
      HttpResponse<String> r = Traffic.get(stack, "/api/anything");

      assertThat(r.statusCode()).isEqualTo(504);
      assertThat(r.body()).contains("<title>504 Gateway Time-out</title>", "(nginx role)");
      assertThat(RequestPath.of(r).hops()).containsExactly("web-1");
    }
  }

  @Test
  void answerWithinTheTimeout_passes() {
    hanging.set(false);
    StackSpec spec = StackSpec.distributed().toBuilder()
        .loadBalancer(lb -> lb.serverTimeout(Duration.ofSeconds(10)))
        .appServers(1, app -> app.handler(hangs))
        .build();
    try (EmulatedStack stack = spec.start()) {
      HttpResponse<String> r = Traffic.get(stack, "/api/anything");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("finally, from app-1");
    }
  }

  @Test
  void hungServer_failsHttpChecksWithL7tout_butPassesTcpChecks() {
    Duration inter = Duration.ofMillis(200);
    StackSpec spec = StackSpec.simpleWebStack().toBuilder().manualClock()
        .appServers(2, app -> app.host("server-1").port(app.name().equals("app-1") ? 8000 : 8001)
            .handler(app.name().equals("app-1") ? hangs : request -> AppResponse.text("ok")))
        .webServers(1, web -> web.host("server-1")
            .healthCheck(HealthCheckSpec.builder().inter(inter).timeout(Duration.ofSeconds(1))
                .httpCheck("/api/health").build()))
        .build();
    try (EmulatedStack stack = spec.start()) {
      stack.clock().advance(inter);

      var app1 = stack.backend("web-1").server("app-1");
      var app2 = stack.backend("web-1").server("app-2");
      assertThat(app1.checkStatus()).isEqualTo("L7TOUT");
      assertThat(app1.status()).isEqualTo("UP 2/3");
      assertThat(app1.lastCheckDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
      assertThat(app2.checkStatus()).isEqualTo("L7OK");
      assertThat(app2.checkCode()).isEqualTo(200);
      assertThat(app2.checkInfo()).isEqualTo("OK");

      stack.clock().advance(inter.multipliedBy(2));
      assertThat(stack.backend("web-1").server("app-1").status()).isEqualTo("DOWN");
      hanging.set(false);
      release.countDown();
    }

    StackSpec tcp = spec.toBuilder()
        .webServers(1, web -> web.host("server-1").healthCheck(HealthCheckSpec.builder().inter(inter).build()))
        .build();
    try (EmulatedStack stack = tcp.start()) {
      stack.clock().advance(inter.multipliedBy(3));

      assertThat(stack.backend("web-1").server("app-1").checkStatus()).isEqualTo("L4OK");
      assertThat(stack.backend("web-1").server("app-1").status()).isEqualTo("UP");
    }
  }

  @Test
  void httpCheck_failsOnAnErrorStatus_withL7sts() {
    Duration inter = Duration.ofMillis(100);
    StackSpec spec = StackSpec.simpleWebStack().toBuilder().manualClock()
        .appServers(1, app -> app.host("server-1").handler(request -> AppResponse.status(500, "broken")))
        .webServers(1, web -> web.host("server-1")
            .healthCheck(HealthCheckSpec.builder().inter(inter).httpCheck("/api/health").build()))
        .build();
    try (EmulatedStack stack = spec.start()) {
      stack.clock().advance(inter);

      var app1 = stack.backend("web-1").server("app-1");
      assertThat(app1.checkStatus()).isEqualTo("L7STS");
      assertThat(app1.checkCode()).isEqualTo(500);
      assertThat(app1.toString()).contains("UP 2/3 L7STS/500 \"Internal Server Error\"");
    }
  }
}
