package dev.webstack.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The snapshot and the text dump tell what happened, with immutable values. */
class SnapshotTest {

  @Test
  void snapshot_showsJournalsFaultsAndEvents() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().seed(99).manualClock().build().start()) {
      stack.node("web-2").faults().failWith(503);
      stack.link("lb-1", "web-1").latency(Duration.ofMillis(1));
      for (int i = 0; i < 4; i++) {
        stack.httpClient().send(HttpRequest.newBuilder(URI.create("http://www.foobar.com/api/posts")).build(),
            HttpResponse.BodyHandlers.ofString());
      }
      stack.node("app-1").kill();

      StackSnapshot snapshot = stack.snapshot();
      assertThat(snapshot.seed()).isEqualTo(99);
      assertThat(snapshot.node("app-1").running()).isFalse();
      assertThat(snapshot.node("web-2").faults()).containsExactly("web-2: failWith 503 for every request");
      NodeJournal lb = snapshot.node("lb-1").journal().orElseThrow();
      assertThat(lb.total()).isEqualTo(4);
      assertThat(lb.count(503)).isEqualTo(2);
      assertThat(lb.forwardedTo("web-1")).isEqualTo(2);
      assertThat(snapshot.node("db-1").journal()).isEmpty();
      assertThat(snapshot.linkFaults()).containsKey("lb-1->web-1");
      assertThat(snapshot.recentEvents()).extracting(StackEvent::type).contains("fault", "decision", "kill");

      String dump = stack.dump();
      assertThat(dump)
          .contains("webstack dump of " + stack.name(), "(seed 99)", "node app-1 [Gunicorn] DOWN",
              "fault web-2: failWith 503", "link lb-1->web-1: lb-1->web-1: latency 1 ms each way",
              "GET /api/posts -> 503", "via web-2", "seed(99L)");
      stack.node("web-1").faults().hang();
      assertThat(snapshot.node("web-1").faults()).as("a snapshot does not change afterwards").isEmpty();
    }
  }
}
