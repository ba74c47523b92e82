package dev.webstack.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.webstack.junit.fixtures.Fixture;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs fixture classes through the real Jupiter engine and reads back what happened. */
final class Engine {

  private Engine() {}

  static EngineExecutionResults run(Class<?> fixture) {
    return run(fixture, Map.of());
  }

  static EngineExecutionResults run(Class<?> fixture, Map<String, String> configuration) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter(Fixture.ENABLED, "true")
        .configurationParameters(configuration)
        .selectors(selectClass(fixture))
        .execute();
  }

  /** The throwables of every failed test or container, in order. */
  static List<Throwable> failures(EngineExecutionResults results) {
    return results.allEvents().failed().stream()
        .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
        .toList();
  }

  /** Every report entry published, as key/value maps. */
  static List<Map<String, String>> reportEntries(EngineExecutionResults results) {
    return results.allEvents().reportingEntryPublished().stream()
        .map(Event::getPayload)
        .map(p -> p.orElseThrow())
        .map(ReportEntry.class::cast)
        .map(ReportEntry::getKeyValuePairs)
        .toList();
  }
}
