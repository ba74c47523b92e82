package dev.webstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.StackClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  private final ManualClock clock = new ManualClock();
  private final List<String> ran = new ArrayList<>();

  @Test
  void advance_runsDueTasksInDueOrder_tiesInSchedulingOrder() {
    clock.schedule(Duration.ofMillis(30), () -> ran.add("c@" + clock.nanoTime() / 1_000_000));
    clock.schedule(Duration.ofMillis(10), () -> ran.add("a@" + clock.nanoTime() / 1_000_000));
    clock.schedule(Duration.ofMillis(10), () -> ran.add("b@" + clock.nanoTime() / 1_000_000));
    clock.advance(Duration.ofMillis(29));
    assertThat(ran).containsExactly("a@10", "b@10");
    assertThat(clock.instant()).isEqualTo(ManualClock.EPOCH.plusMillis(29));
    clock.advance(Duration.ofMillis(1));
    assertThat(ran).containsExactly("a@10", "b@10", "c@30");
  }

  @Test
  void tasksScheduledByTasks_runWhenTheyFallDueWithinTheStep() {
    Runnable[] tick = new Runnable[1];
    tick[0] = () -> {
      ran.add("tick@" + clock.nanoTime() / 1_000_000);
      clock.schedule(Duration.ofMillis(100), tick[0]);
    };
    clock.schedule(Duration.ofMillis(100), tick[0]);
    clock.advance(Duration.ofMillis(350));
    assertThat(ran).containsExactly("tick@100", "tick@200", "tick@300");
    assertThat(clock.pending()).isEqualTo(1);
  }

  @Test
  void cancel_keepsATaskFromRunning() {
    StackClock.Scheduled s = clock.schedule(Duration.ofMillis(5), () -> ran.add("x"));
    s.cancel();
    clock.advance(Duration.ofSeconds(1));
    assertThat(ran).isEmpty();
  }

  @Test
  void advanceFromATask_isRefused() {
    clock.schedule(Duration.ZERO, () -> clock.advance(Duration.ofMillis(1)));
    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("advance from the test only");
  }

  @Test
  void closedClock_refusesToMove() {
    clock.close();
    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(1))).hasMessageContaining("closed");
    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1))).hasMessageContaining("step (PT-0.001S)");
  }
}
