package dev.webstack.junit.jqwik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.webstack.EmulatedStack;
import dev.webstack.junit.jqwik.fixtures.BrokenBalancerProperties;
import dev.webstack.junit.jqwik.fixtures.OnlyInEngineTestKit;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The property suite catches a deliberately broken balancer ({@link HealthBlindHash}) and jqwik shrinks the
 * failing schedule to its core, a kill and one request, each shrinking step on a fresh stack.
 */
class ShrinkingTest {

  private static final Pattern ACTIONS = Pattern.compile("failed after the following actions: \\[(.*?)\\]",
      Pattern.DOTALL);

  @Test
  void brokenBalancer_isCaught_andShrunkToAKillAndOneRequest_eachTryOnAFreshStack() {
    BrokenBalancerProperties.SEEN.clear();
    BrokenBalancerProperties.SCHEDULES.clear();
    EngineExecutionResults results;
    System.setProperty(OnlyInEngineTestKit.ENABLED, "true");
    try {
      results = EngineTestKit.engine("jqwik")
          .configurationParameter("jqwik.reporting.usejunitplatform", "true")
          .configurationParameter("jqwik.database", "target/jqwik-fixtures-database")
          .selectors(selectClass(BrokenBalancerProperties.class))
          .execute();
    } finally {
      System.clearProperty(OnlyInEngineTestKit.ENABLED);
    }

    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    Throwable failure = results.testEvents().failed().stream()
        .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
        .findFirst().orElseThrow();
    assertThat(failure).hasMessageContaining("Invariant 'availability' failed")
        .hasMessageContaining("although the healthy path lb-1 > web-");

    List<String> shrunk = actions(failure.getMessage());
    assertThat(shrunk).as("shrunk schedule").hasSize(2);
    assertThat(shrunk.get(0)).matches("kill web-[123]");
    assertThat(shrunk.get(1)).matches("GET /.*");

    List<List<String>> runs = BrokenBalancerProperties.SCHEDULES;
    List<String> original = runs.stream().filter(r -> r.stream().anyMatch(a -> a.startsWith("kill"))).findFirst()
        .orElseThrow();
    assertThat(original.size()).as("the first failing schedule %s, before shrinking", original).isGreaterThan(2);
    assertThat(runs).as("shrinking re-ran the property").hasSizeGreaterThan(2);

    List<EmulatedStack> stacks = BrokenBalancerProperties.SEEN;
    assertThat(stacks).hasSize(runs.size()).doesNotHaveDuplicates()
        .allSatisfy(stack -> assertThat(stack.isRunning()).as(stack.name()).isFalse());

    String report = results.allEvents().reportingEntryPublished().stream()
        .map(Event::getPayload).map(p -> p.orElseThrow()).map(ReportEntry.class::cast)
        .flatMap(r -> r.getKeyValuePairs().values().stream())
        .reduce("", String::concat);
    long seed = stacks.get(0).seed();
    assertThat(report).contains("Shrunk Sample", "webstack: stack foobar.com-",
        "replay: @WebStackProperty(..., seed = " + seed + "L) or -Dwebstack.seed=" + seed,
        "[Nginx role] :80 -> 127.0.0.1:", " down", "kill: web-", "requests (1):\n  GET http://www.foobar.com/");
  }

  private static List<String> actions(String message) {
    Matcher m = ACTIONS.matcher(message);
    assertThat(m.find()).as("actions in %s", message).isTrue();
    return Arrays.stream(m.group(1).split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
