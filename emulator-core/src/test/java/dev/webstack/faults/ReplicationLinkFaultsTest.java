package dev.webstack.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import dev.webstack.RequestPath;
import dev.webstack.StackSpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The link from the primary to a replica: a partition stops replication, healing resumes it. */
class ReplicationLinkFaultsTest {

  private static int post(EmulatedStack stack) throws Exception {
    return stack.httpClient().send(HttpRequest.newBuilder(URI.create("http://www.foobar.com/api/posts"))
        .POST(HttpRequest.BodyPublishers.ofString("during the partition")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void partition_stopsReplication_andHealConverges() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder()
        .database(db -> db.replicas(1)).build().start()) {
      assertThat(stack.linkNames()).contains("app-1->db-1", "db-1->db-2");
      stack.await("the replica to converge", Duration.ofSeconds(10), () -> stack.databaseCluster().isConverged());

      HttpResponse<String> read = stack.httpClient().send(
          HttpRequest.newBuilder(URI.create("http://www.foobar.com/api/posts")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(RequestPath.databaseNodes(read)).as("a plain read goes to the replica").containsExactly("db-2");

      Fault cut = stack.link("db-1", "db-2").partition();
      assertThat(post(stack)).isEqualTo(201);
      assertThat(stack.databaseCluster().isConverged()).isFalse();
      assertThat(stack.snapshot().linkFaults()).containsKey("db-1->db-2");

      cut.undo();
      stack.await("the replica to converge after the heal", Duration.ofSeconds(10),
          () -> stack.databaseCluster().isConverged());
      assertThat(stack.events()).extracting(e -> e.type()).contains("fault", "partition", "heal", "undo");
      assertThatThrownBy(() -> stack.link("db-1", "db-2").latency(Duration.ofMillis(5)))
          .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("shipDelay");
    }
  }

  @Test
  void undoingAPartitionAfterTheStackClosed_healsNothingInTheClosedStack() {
    EmulatedStack stack = StackSpec.distributed().toBuilder().database(db -> db.replicas(1)).build().start();
    Fault cut = stack.link("db-1", "db-2").partition();
    stack.close();
    int events = stack.events().size();
    cut.undo();
    assertThat(cut.isActive()).isFalse();
    assertThat(stack.events().subList(events, stack.events().size())).extracting(e -> e.type())
        .as("only the fault's undo, no replication heal of a closed cluster").containsExactly("undo");
  }

  @Test
  void aPartitionOnAClosedStacksReplicationLink_isRefused() {
    EmulatedStack stack = StackSpec.distributed().toBuilder().database(db -> db.replicas(1)).build().start();
    LinkFaults link = stack.link("db-1", "db-2");
    stack.close();
    int events = stack.events().size();
    assertThatThrownBy(link::partition).isInstanceOf(IllegalStateException.class)
        .hasMessage("link db-1->db-2 belongs to stack " + stack.name() + ", which is closed; start a new stack");
    assertThat(link.active()).isEmpty();
    assertThat(stack.events()).hasSize(events);
  }
}
