package dev.webstack.benchmarks.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The small pieces the report rests on: the event heap, the metrics, the JSON writer, the arguments. */
class SupportTest {

  @Test
  void completionQueueReturnsEventsInTimeOrderAndTiesInInsertionOrder() {
    CompletionQueue q = new CompletionQueue();
    SplittableRandom random = new SplittableRandom(1);
    List<double[]> added = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      double t = random.nextInt(100); // many ties
      q.add(t, i);
      added.add(new double[] {t, i});
    }
    added.sort((x, y) -> x[0] != y[0] ? Double.compare(x[0], y[0]) : Double.compare(x[1], y[1]));
    for (double[] expected : added) {
      assertThat(q.peekTime()).isEqualTo(expected[0]);
      assertThat(q.poll()).isEqualTo((int) expected[1]);
    }
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.peekTime()).isInfinite();
  }

  @Test
  void metricsFollowTheirDefinitions() {
    double[] loads = {1, 2, 3, 6};
    assertThat(Stats.maxOverMean(loads)).isEqualTo(2.0);
    assertThat(Stats.cv(loads)).isCloseTo(Math.sqrt(3.5) / 3, within(1e-12));
    double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(Stats.quantileOfSorted(sorted, 10, 0.99)).isEqualTo(10);
    assertThat(Stats.quantileOfSorted(sorted, 10, 0.5)).isEqualTo(5);
  }

  @Test
  void jsonIsWellFormedAndHasNoNaN() {
    String json = new Json().beginObject()
        .member("name", "a \"quoted\"\\path\n")
        .member("nan", Double.NaN)
        .member("ratio", 1.2)
        .member("big", 1.5e12)
        .member("list", new long[] {1, 2})
        .name("empty").beginArray().endArray()
        .endObject().toString();

    assertThat(json).isEqualTo("""
        {
          "name": "a \\"quoted\\"\\\\path\\n",
          "nan": null,
          "ratio": 1.2,
          "big": 1.5e12,
          "list": [
            1,
            2
          ],
          "empty": []
        }
        """);
  }

  @Test
  void optionsParseTheDocumentedCommandLine() {
    DistributionSimulation.Options none = DistributionSimulation.Options.parse();
    assertThat(none.quick()).isFalse();
    assertThat(none.output()).isEqualTo(DistributionSimulation.DEFAULT_OUTPUT);

    DistributionSimulation.Options all = DistributionSimulation.Options.parse("--quick", "--seed", "42", "x.json");
    assertThat(all.quick()).isTrue();
    assertThat(all.seed()).isEqualTo(42);
    assertThat(all.output()).isEqualTo(Path.of("x.json"));

    assertThatThrownBy(() -> DistributionSimulation.Options.parse("--fast"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
