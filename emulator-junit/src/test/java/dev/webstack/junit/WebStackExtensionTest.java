package dev.webstack.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.junit.fixtures.JupiterFixtures;
import dev.webstack.junit.fixtures.JupiterFixtures.Parallel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The extension as JUnit runs it: each test runs fixture classes through the engine and checks the outcome. */
class WebStackExtensionTest {

  private static final List<EmulatedStack> SEEN = JupiterFixtures.SEEN;

  @BeforeEach
  void clear() {
    SEEN.clear();
  }

  @Test
  void perMethod_eachTestGetsItsOwnStack_injectedByType_closedAfterIt() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.PerMethod.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
    assertClosed(SEEN);
  }

  @Test
  void perClass_oneStackForTheClass_itsNestedClasses_andBeforeAll_closedAfterTheClass() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.PerClass.class);

    results.testEvents().assertStatistics(s -> s.started(3).succeeded(3));
    assertThat(SEEN).hasSize(3).containsOnly(SEEN.get(0));
    assertClosed(SEEN);
  }

  @Test
  void perClass_underPerClassTestInstance_injectsIntoConstructorAndInstanceBeforeAll() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.PerClassInstance.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    assertThat(SEEN).hasSize(2).containsOnly(SEEN.get(0));
    assertClosed(SEEN);
  }

  @Test
  void perMethod_underPerClassTestInstance_stillOneStackPerTest() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.PerMethodUnderPerClassInstance.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
    assertClosed(SEEN);
  }

  @Test
  void attributes_configureCountsAlgorithmSeedAndClock() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.Configured.class);

    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    assertClosed(SEEN);
  }

  @Test
  void specClass_givesTheShapeAndSeed_attributesApplyOnTop() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.SpecClass.class);

    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    assertClosed(SEEN);
  }

  @Test
  void methodAnnotation_givesThatMethodItsOwnStack() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.MethodOverride.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
    assertClosed(SEEN);
  }

  @Test
  void seedProperty_fixesTheSeedOfEveryStack() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.PerMethod.class,
        Map.of(WebStackExtension.SEED_PROPERTY, "42"));

    results.testEvents().assertStatistics(s -> s.succeeded(2));
    assertThat(SEEN).extracting(EmulatedStack::seed).containsExactly(42L, 42L);
  }

  @Test
  void seedProperty_thatIsNotANumber_isAConfigurationError() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.PerMethod.class,
        Map.of(WebStackExtension.SEED_PROPERTY, "12ab"));

    assertThat(Engine.failures(results)).hasSize(2).allSatisfy(t -> assertThat(t)
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage("webstack.seed (12ab) must be a long, such as the seed a failed test reported"));
  }

  @Test
  void failingTest_closesItsStack_andReportsDumpSeedAndReplayLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    EngineExecutionResults results;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8)); // slf4j-simple writes to the current System.err
    try {
      results = Engine.run(JupiterFixtures.Failing.class);
    } finally {
      System.setErr(original);
    }

    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    assertClosed(SEEN);
    List<Map<String, String>> entries = Engine.reportEntries(results);
    assertThat(entries).hasSize(1);
    Map<String, String> entry = entries.get(0);
    assertThat(entry).containsEntry("webstack.seed", "1234")
        .containsEntry("webstack.replay", "@WebStack(..., seed = 1234L), or -Dwebstack.seed=1234");
    String stackName = SEEN.get(0).name();
    assertThat(entry.get("webstack.dump"))
        .startsWith("=== webstack dump of " + stackName)
        .contains("seed 1234", "web-1 [Nginx role] :80 -> 127.0.0.1:", "node web-1 [Nginx] DOWN", "backend of lb-1",
            "requests (1):\n  GET http://www.foobar.com/api/whoami -> 200 via lb-1 > web-2 > app-1")
        .containsPattern("#1 web-1 kill: web-1 is down");
    String log = err.toString(StandardCharsets.UTF_8);
    assertThat(log).contains(
        "WARN dev.webstack.junit.WebStackExtension - killsWebOneThenFails(EmulatedStack, Node, TrafficRecorder)",
        "failed on stack " + stackName + " (seed 1234)",
        "replay: @WebStack(..., seed = 1234L), or -Dwebstack.seed=1234",
        "#1 web-1 kill: web-1 is down");
  }

  @Test
  void failingStart_failsTheTest_closesTheStack_andReportsIt() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.FailingStart.class);

    results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    assertThat(SEEN).isEmpty(); // the test body never ran
    assertThat(Engine.failures(results)).singleElement().satisfies(t -> assertThat(t)
        .hasMessageEndingWith("failed to start")
        .cause().hasMessageStartingWith("schema classpath:fixtures/broken-schema.sql of db-1 failed"));
    Map<String, String> entry = Engine.reportEntries(results).get(0);
    assertThat(entry.get("webstack.dump"))
        .contains("(closed)", "events (0): none");
  }

  @Test
  void programmaticFailure_reportsTheSpecReplayLine() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.ProgrammaticFailing.class);

    results.testEvents().assertStatistics(s -> s.failed(1));
    long seed = SEEN.get(0).seed();
    assertThat(Engine.reportEntries(results)).singleElement().satisfies(e -> assertThat(e)
        .containsEntry("webstack.replay", "WebStackExtension.of(spec.toBuilder().seed(" + seed + "L).build()), or "
            + "-Dwebstack.seed=" + seed));
    assertClosed(SEEN);
  }

  @Test
  void programmaticStaticField_oneStackPerClass_accessorsWork() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.ProgrammaticStatic.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    assertThat(SEEN).hasSize(2).containsOnly(SEEN.get(0));
    assertClosed(SEEN);
    assertThat(JupiterFixtures.ProgrammaticStatic.stack).hasToString("WebStackExtension[foobar.com, 0 running]");
  }

  @Test
  void programmaticInstanceField_oneStackPerTest() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.ProgrammaticInstance.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
    assertClosed(SEEN);
  }

  @Test
  void accessor_withoutARunningStack_saysWhen() {
    WebStackExtension extension = WebStackExtension.of(dev.webstack.StackSpec.distributed());

    org.assertj.core.api.Assertions.assertThatThrownBy(extension::stack)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no stack of this WebStackExtension is running: the accessors work during a test for an "
            + "instance field, and from beforeAll to afterAll for a static field");
  }

  @Test
  void twoExtensionFields_accessorsWork_parametersAreRefusedWithAReason() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.TwoFields.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(1).failed(1));
    assertThat(Engine.failures(results)).singleElement().satisfies(t -> assertThat(t)
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessage("TwoFields has 2 WebStackExtension fields ([a, b]): a parameter of type EmulatedStack would be "
            + "ambiguous; use the fields' accessors, for example a.stack()"));
    assertClosed(SEEN);
  }

  @Test
  void annotationAndField_isAConfigurationErrorNamingTheField() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.Mixed.class);

    assertThat(Engine.failures(results)).singleElement().satisfies(t -> assertThat(t)
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage("field dev.webstack.junit.fixtures.JupiterFixtures$Mixed.extra registers a WebStackExtension, "
            + "but Mixed is also annotated @WebStack: which stack to inject would be ambiguous; keep the annotation "
            + "or the field"));
  }

  @Test
  void badAttributes_areConfigurationErrorsNamingTheAttribute() {
    assertThat(Engine.failures(Engine.run(JupiterFixtures.TwoSeeds.class))).singleElement()
        .satisfies(t -> assertThat(t).isInstanceOf(ExtensionConfigurationException.class)
            .hasMessage("@WebStack on dev.webstack.junit.fixtures.JupiterFixtures$TwoSeeds: seed holds 2 values; "
                + "give at most one, as in seed = 1234"));
    assertThat(Engine.failures(Engine.run(JupiterFixtures.AlgorithmWithoutBalancer.class))).singleElement()
        .satisfies(t -> assertThat(t).isInstanceOf(ExtensionConfigurationException.class)
            .hasMessage("@WebStack on dev.webstack.junit.fixtures.JupiterFixtures$AlgorithmWithoutBalancer: "
                + "algorithm (RANDOM) needs a balancer, but the preset SIMPLE has none"));
  }

  @Test
  void perMethodStack_isNotInjectedIntoBeforeAll_andTheMessageSaysWhatToDo() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.PerMethodIntoBeforeAll.class);

    assertThat(Engine.failures(results)).singleElement().satisfies(t -> assertThat(t)
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessageContaining("no stack runs for EmulatedStack parameter")
        .hasMessageContaining("use @WebStack(lifecycle = PER_CLASS) or a static WebStackExtension field"));
  }

  @Test
  void unknownNodeName_failsNamingTheNodesThereAre() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.UnknownNode.class);

    assertThat(Engine.failures(results)).singleElement().satisfies(t -> assertThat(t)
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessageStartingWith("no node named web-9 in stack foobar.com-")
        .hasMessageEndingWith("(nodes: [db-1, app-1, web-1, web-2, lb-1])"));
  }

  @Test
  void parallelExecution_runsFourStacksAtOnce() {
    Parallel.allRunning = new CyclicBarrier(Parallel.STACKS);
    EngineExecutionResults results = Engine.run(Parallel.class, Map.of(
        "junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"));

    results.testEvents().assertStatistics(s -> s.started(4).succeeded(4));
    assertThat(SEEN).hasSize(4).doesNotHaveDuplicates();
    assertThat(SEEN).extracting(EmulatedStack::name).doesNotHaveDuplicates();
    assertThat(SEEN).extracting(s -> s.spec().entryPoint().name()).containsOnly("lb-1");
    assertClosed(SEEN);
  }

  @Test
  void abortedTest_isNotReportedAsAFailure() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    EngineExecutionResults results;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      results = Engine.run(JupiterFixtures.Aborted.class);
    } finally {
      System.setErr(original);
    }

    results.testEvents().assertStatistics(s -> s.started(1).aborted(1).failed(0));
    assertThat(Engine.reportEntries(results)).as("report entries of a skipped test").isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("failed on stack");
    assertClosed(SEEN);
  }

  @Test
  void nestedClassWithItsOwnPerClassAnnotation_getsItsOwnStack_closedAfterIt() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.NestedPerClassOverride.class);

    results.testEvents().assertStatistics(s -> s.started(3).succeeded(3));
    assertThat(SEEN).hasSize(3);
    assertThat(SEEN.get(1)).isSameAs(SEEN.get(2)).isNotSameAs(SEEN.get(0));
    assertClosed(SEEN);
  }

  @Test
  void perClassStack_failureReportShowsOnlyTheFailingTestsRequests() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.PerClassFailing.class);

    results.testEvents().assertStatistics(s -> s.started(2).succeeded(1).failed(1));
    // The stack's own journals show both tests' requests; the report's list is the failing test's alone.
    assertThat(Engine.reportEntries(results)).singleElement().satisfies(e -> assertThat(e.get("webstack.dump"))
        .containsOnlyOnce("\nrequests (")
        .satisfies(dump -> assertThat(dump.substring(dump.indexOf("\nrequests (")))
            .matches("\nrequests \\(1\\):\n  GET http://www.foobar.com/ -> 200 via lb-1 > web-[12]")));
    assertClosed(SEEN);
  }

  @Test
  void annotationOnAMethodOrNestedClass_andAField_isAConfigurationErrorNamingTheField() {
    EngineExecutionResults results = Engine.run(JupiterFixtures.MixedOnMethod.class);

    assertThat(Engine.failures(results)).singleElement().satisfies(t -> assertThat(t)
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage("field dev.webstack.junit.fixtures.JupiterFixtures$MixedOnMethod.extra registers a "
            + "WebStackExtension, but neverRuns(EmulatedStack) is annotated @WebStack: which stack to inject would "
            + "be ambiguous; keep the annotation or the field"));
    assertThat(SEEN).isEmpty();

    assertThat(Engine.failures(Engine.run(JupiterFixtures.MixedOnNested.class))).singleElement()
        .satisfies(t -> assertThat(t).isInstanceOf(ExtensionConfigurationException.class)
            .hasMessage("field dev.webstack.junit.fixtures.JupiterFixtures$MixedOnNested.extra registers a "
                + "WebStackExtension, but dev.webstack.junit.fixtures.JupiterFixtures$MixedOnNested$Inner is "
                + "annotated @WebStack: which stack to inject would be ambiguous; keep the annotation or the field"));
    assertThat(SEEN).isEmpty();
  }

  /** Closed: not running, use rejected, and no thread of the stack left (close joins them, so none may linger). */
  static void assertClosed(List<EmulatedStack> stacks) {
    assertThat(stacks).isNotEmpty().allSatisfy(stack -> {
      assertThat(stack.isRunning()).as("%s running", stack.name()).isFalse();
      org.assertj.core.api.Assertions.assertThatThrownBy(stack::httpClient)
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
      assertThat(Thread.getAllStackTraces().keySet())
          .extracting(Thread::getName)
          .noneMatch(name -> name.startsWith("webstack-" + stack.name() + " ")
              || name.startsWith("webstack-" + stack.name() + "-"));
    });
  }
}
