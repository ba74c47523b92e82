package dev.webstack.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.HealthCheckSpec;
import dev.webstack.StackSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The health-check spec: defaults, derived values, and validation messages naming field and value. */
class HealthCheckSpecTest {

  @Test
  void defaults_areHaproxysScaledDownForTests() {
    HealthCheckSpec d = HealthCheckSpec.defaults();

    assertThat(d.enabled()).isTrue();
    assertThat(d.inter()).isEqualTo(Duration.ofMillis(100));
    assertThat(d.fastInter()).isEqualTo(d.inter());
    assertThat(d.downInter()).isEqualTo(d.inter());
    assertThat(d.timeout()).isEqualTo(d.inter());
    assertThat(d.rise()).isEqualTo(2);
    assertThat(d.fall()).isEqualTo(3);
    assertThat(d.httpCheckPath()).isEmpty();
    assertThat(d.observeLayer4()).isFalse();
    assertThat(d.toString())
        .isEqualTo("check inter 100ms fastinter 100ms downinter 100ms rise 2 fall 3, timeout check 100ms");
  }

  @Test
  void stacks_checkByDefault() {
    StackSpec spec = StackSpec.distributed();

    assertThat(spec.balancer().orElseThrow().healthCheck()).isEqualTo(HealthCheckSpec.defaults());
    assertThat(spec.webServers().get(0).healthCheck()).isEqualTo(HealthCheckSpec.defaults());
    assertThat(spec.balancer().orElseThrow().serverTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(spec.webServers().get(0).serverTimeout()).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void intervalsAndTimeout_followInterUnlessSet() {
    HealthCheckSpec s = HealthCheckSpec.builder().inter(Duration.ofSeconds(2)).downInter(Duration.ofSeconds(5))
        .build();

    assertThat(s.fastInter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.downInter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.toBuilder().inter(Duration.ofSeconds(1)).build().timeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void toBuilder_roundTrips() {
    HealthCheckSpec s = HealthCheckSpec.builder().inter(Duration.ofMillis(50)).fastInter(Duration.ofMillis(10))
        .rise(4).fall(1).httpCheck("/health").observeLayer4(true).errorLimit(10).build();

    assertThat(s.toBuilder().build()).isEqualTo(s).hasSameHashCodeAs(s);
    assertThat(s.toString()).isEqualTo("check inter 50ms fastinter 10ms downinter 50ms rise 4 fall 1,"
        + " timeout check 50ms, option httpchk GET /health, observe layer4 error-limit 10 on-error mark-down");
    assertThat(HealthCheckSpec.disabled()).hasToString("no check");
  }

  @Test
  void badValues_failNamingFieldAndValue() {
    assertThatThrownBy(() -> HealthCheckSpec.builder().rise(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("rise (0) must be between 1 and 1000");
    assertThatThrownBy(() -> HealthCheckSpec.builder().fall(1001).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("fall (1001) must be between 1 and 1000");
    assertThatThrownBy(() -> HealthCheckSpec.builder().inter(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("inter (PT0S) must be between 1 ms and 1 h");
    assertThatThrownBy(() -> HealthCheckSpec.builder().fastInter(Duration.ofMillis(-5)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fastInter (PT-0.005S) must be between 1 ms and 1 h");
    assertThatThrownBy(() -> HealthCheckSpec.builder().downInter(Duration.ofHours(2)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("downInter (PT2H) must be between 1 ms and 1 h");
    assertThatThrownBy(() -> HealthCheckSpec.builder().timeout(null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout (null) must be between 1 ms and 1 h");
    assertThatThrownBy(() -> HealthCheckSpec.builder().errorLimit(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("errorLimit (0) must be between 1 and 1000");
    assertThatThrownBy(() -> HealthCheckSpec.builder().httpCheck("health").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("httpCheck path (health) must start with '/' and contain no spaces or control characters");
    assertThatThrownBy(() -> HealthCheckSpec.builder().httpCheck("/a b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("httpCheck path (/a b) must start with '/' and contain no spaces or control characters");
  }

  @Test
  void passiveHealthWithoutChecks_failsAtBuild() {
    assertThatThrownBy(() -> HealthCheckSpec.builder().enabled(false).observeLayer4(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("observeLayer4 (true) needs checks: only a successful check brings a server marked down back,"
            + " but enabled = false");
  }

  @Test
  void badServerTimeout_failsNamingComponentAndValue() {
    assertThatThrownBy(() -> StackSpec.distributed().toBuilder()
        .loadBalancer(lb -> lb.serverTimeout(Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serverTimeout (PT0S) of lb-1 must be between 1 ms and 1 h");
    assertThatThrownBy(() -> StackSpec.distributed().toBuilder()
        .webServers(1, web -> web.serverTimeout(Duration.ofDays(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serverTimeout (PT24H) of web-1 must be between 1 ms and 1 h");
    assertThatThrownBy(() -> StackSpec.distributed().toBuilder().loadBalancer(lb -> lb.healthCheck(null)))
        .isInstanceOf(NullPointerException.class).hasMessage("healthCheck");
  }
}
