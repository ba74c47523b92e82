package dev.webstack.junit.jqwik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.webstack.junit.jqwik.fixtures.AsyncDatabaseProperties;
import dev.webstack.junit.jqwik.fixtures.OnlyInEngineTestKit;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The semi-sync property's schedules against an asynchronous replica that lags: {@code noAcknowledgedWriteLost}
 * catches the writes a failover lost, and jqwik shrinks the schedule to its core: a write, a kill of the primary
 * and a failover.
 */
class DatabaseShrinkingTest {

  private static final Pattern ACTIONS = Pattern.compile("failed after the following actions: \\[(.*?)\\]",
      Pattern.DOTALL);

  @Test
  void asyncFailover_losesAcknowledgedWrites_isCaught_andShrunkToWriteKillFailover() {
    AsyncDatabaseProperties.SCHEDULES.clear();
    EngineExecutionResults results;
    System.setProperty(OnlyInEngineTestKit.ENABLED, "true");
    try {
      results = EngineTestKit.engine("jqwik")
          .configurationParameter("jqwik.reporting.usejunitplatform", "true")
          .configurationParameter("jqwik.database", "target/jqwik-fixtures-database")
          .selectors(selectClass(AsyncDatabaseProperties.class))
          .execute();
    } finally {
      System.clearProperty(OnlyInEngineTestKit.ENABLED);
    }

    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    Throwable failure = results.testEvents().failed().stream()
        .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
        .findFirst().orElseThrow();
    assertThat(failure).hasMessageContaining("Invariant 'noAcknowledgedWriteLost' failed")
        .hasMessageContaining("1 acknowledged write(s) missing from the primary db-2 (ASYNC replication)");

    Matcher m = ACTIONS.matcher(failure.getMessage());
    assertThat(m.find()).as("actions in %s", failure.getMessage()).isTrue();
    List<String> shrunk = Arrays.stream(m.group(1).split("\n")).map(String::strip).filter(s -> !s.isEmpty())
        .toList();
    assertThat(shrunk).as("shrunk schedule").hasSize(3);
    assertThat(shrunk.get(0)).matches("write k[123]");
    assertThat(shrunk.subList(1, 3)).containsExactly("kill primary while others run", "failover");
    assertThat(AsyncDatabaseProperties.SCHEDULES).as("shrinking re-ran the property").hasSizeGreaterThan(2);
  }
}
