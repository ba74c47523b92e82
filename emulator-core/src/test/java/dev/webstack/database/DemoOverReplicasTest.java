package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The tour's database step, as a test: the distributed preset's demo application over a lagging replica. */
class DemoOverReplicasTest {

  @Test
  void lagStaleReadFailoverAndTheLostWrite() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock()
        .database(db -> db.replicas(1).shipDelay(Duration.ofSeconds(2))).build().start()) {
      DatabaseCluster db = stack.databaseCluster();
      HttpResponse<String> created = KvApp.send(stack, HttpRequest.newBuilder(
          URI.create("http://www.foobar.com/api/posts")).POST(HttpRequest.BodyPublishers.ofString("hello")).build());
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(created.body()).contains("\"id\":3");
      HttpResponse<String> stale = KvApp.send(stack, "GET", "/api/posts/3", "");
      assertThat(stale.statusCode()).isEqualTo(404); // db-2 has not even received it
      assertThat(db.status("db-2").receiveLag()).isPositive();

      stack.node("db-1").kill();
      FailoverReport report = db.failover();
      assertThat(report.newPrimary()).isEqualTo("db-2");
      assertThat(report.lostKeys("posts")).containsExactly("3");
      assertThat(report.toString()).contains("db-1 -> db-2", "lost 1 acknowledged transaction(s)");
      assertThat(KvApp.send(stack, "GET", "/api/posts/3", "").statusCode()).isEqualTo(404); // the acknowledged post is gone
      HttpResponse<String> again = KvApp.send(stack, HttpRequest.newBuilder(
          URI.create("http://www.foobar.com/api/posts")).POST(HttpRequest.BodyPublishers.ofString("again")).build());
      assertThat(again.statusCode()).isEqualTo(201);
      assertThat(again.body()).contains("\"id\":3"); // db-2 hands out the lost post's id again
    }
  }
}
