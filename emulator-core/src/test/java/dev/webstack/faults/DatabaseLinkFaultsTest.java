package dev.webstack.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import dev.webstack.RequestPath;
import dev.webstack.StackSpec;
import dev.webstack.app.AppResponse;
import dev.webstack.app.DemoApplication;
import dev.webstack.faults.LinkFaults.Direction;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The link from an application server to the database acts on its JDBC round trips. */
class DatabaseLinkFaultsTest {

  private EmulatedStack stack;

  @AfterEach
  void close() {
    if (stack != null) {
      stack.close();
    }
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return sendAsync(method, path).get(20, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> sendAsync(String method, String path) {
    return stack.httpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://www.foobar.com" + path))
        .method(method, HttpRequest.BodyPublishers.ofString("written")).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private long rows() throws SQLException {
    try (Connection c = stack.database().dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM posts")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void partition_failsNewConnectionsWithCommunicationsLinkFailure_untilHealed() throws Exception {
    stack = StackSpec.distributed().start();
    HttpResponse<String> ok = send("GET", "/api/posts");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(RequestPath.databaseNodes(ok)).containsExactly("db-1");
    assertThat(RequestPath.databaseNodes(send("GET", "/api/whoami"))).isEmpty();
    try (Fault cut = stack.link("app-1", "db-1").partition()) {
      assertThat(send("GET", "/api/posts").statusCode()).isEqualTo(500);
      assertThat(stack.node("app-1").journal().count(500)).isEqualTo(1);
    }
    assertThat(send("GET", "/api/posts").statusCode()).isEqualTo(200);
  }

  @Test
  void latency_slowsEachRoundTrip() throws Exception {
    stack = StackSpec.distributed().start();
    send("GET", "/api/posts");
    stack.link("app-1", "db-1").latency(Duration.ofMillis(80));
    long start = System.nanoTime();
    assertThat(send("GET", "/api/posts").statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(160));
  }

  /** An application that keeps one connection open across requests, as a connection pool would. */
  private final AtomicInteger entered = new AtomicInteger();

  private StackSpec pooledWriter(AtomicReference<Connection> pooled) {
    return StackSpec.distributed().toBuilder()
        .appServers(1, app -> app.handler(req -> {
          entered.incrementAndGet();
          if (pooled.get() == null) {
            pooled.set(req.dataSource().getConnection());
          }
          try (Statement s = pooled.get().createStatement()) {
            s.executeUpdate("INSERT INTO posts(body) VALUES ('" + req.path() + "')");
          }
          return AppResponse.text("stored");
        }))
        .build();
  }

  @Test
  void backwardPartition_executesTheWriteButHoldsItsAnswer() throws Exception {
    AtomicReference<Connection> pooled = new AtomicReference<>();
    stack = pooledWriter(pooled).start();
    assertThat(send("POST", "/api/first").statusCode()).isEqualTo(200);
    long before = rows();
    Fault cut = stack.link("app-1", "db-1").partition(Direction.BACKWARD);
    CompletableFuture<HttpResponse<String>> held = sendAsync("POST", "/api/second");
    stack.await("the write to reach the database", Duration.ofSeconds(10), () -> {
      try {
        return rows() == before + 1;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(held).isNotDone();
    cut.undo();
    assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void forwardPartition_holdsTheWriteUntilHealed() throws Exception {
    AtomicReference<Connection> pooled = new AtomicReference<>();
    stack = pooledWriter(pooled).start();
    assertThat(send("POST", "/api/first").statusCode()).isEqualTo(200);
    long before = rows();
    Fault cut = stack.link("app-1", "db-1").partition(Direction.FORWARD);
    CompletableFuture<HttpResponse<String>> held = sendAsync("POST", "/api/second");
    stack.await("the request to reach app-1", Duration.ofSeconds(10), () -> entered.get() == 2);
    assertThat(held).isNotDone();
    assertThat(rows()).isEqualTo(before);
    cut.undo();
    assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(rows()).isEqualTo(before + 1);
  }

  @Test
  void reset_breaksOpenConnectionsWithSqlState08S01() throws Exception {
    AtomicReference<Connection> pooled = new AtomicReference<>();
    stack = pooledWriter(pooled).start();
    assertThat(send("POST", "/api/first").statusCode()).isEqualTo(200);
    try (Fault reset = stack.link("app-1", "db-1").reset()) {
      assertThatThrownBy(() -> {
        try (Statement s = pooled.get().createStatement()) {
          s.executeQuery("SELECT 1");
        }
      }).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08S01"))
          .hasMessageContaining("Connection reset");
      assertThat(pooled.get().isClosed()).isTrue();
    }
  }

  @Test
  void bandwidth_isRefusedOnAJdbcLink() {
    stack = StackSpec.distributed().start();
    assertThatThrownBy(() -> stack.link("app-1", "db-1").bandwidth(1000))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("latency(..)");
    assertThat(stack.linkNames()).contains("app-1->db-1");
    assertThat(DemoApplication.SCHEMA).isNotBlank();
  }

  @Test
  void undoAfter_endsAPartitionEvenWhileEveryHandlerThreadWaitsOnIt() throws Exception {
    // Sixteen handlers (the handlers' pool's bound) blocked on a partitioned connection: the stack's clock, which
    // ends the partition, must not wait for a handler thread.
    AtomicReference<Connection> shared = new AtomicReference<>();
    AtomicInteger entered = new AtomicInteger();
    stack = StackSpec.distributed().toBuilder()
        .appServers(1, app -> app.handler(req -> {
          entered.incrementAndGet();
          synchronized (shared) {
            if (shared.get() == null) {
              shared.set(req.dataSource().getConnection());
            }
          }
          try (Statement s = shared.get().createStatement()) {
            s.executeQuery("SELECT 1").close();
          }
          return AppResponse.text("ok");
        }))
        .build().start();
    assertThat(send("GET", "/api/x").statusCode()).isEqualTo(200);
    stack.link("app-1", "db-1").partition(Direction.FORWARD).undoAfter(Duration.ofMillis(300));
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      held.add(sendAsync("GET", "/api/x"));
    }
    stack.await("16 handlers waiting on the partition", Duration.ofSeconds(10), () -> entered.get() == 17);
    for (CompletableFuture<HttpResponse<String>> r : held) {
      assertThat(r.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    assertThat(stack.events()).anyMatch(e -> e.type().equals("undo"));
  }
}
