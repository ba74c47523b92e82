package dev.webstack.database;

import dev.webstack.EmulatedStack;
import dev.webstack.app.AppHandler;
import dev.webstack.app.AppRequest;
import dev.webstack.app.AppResponse;
import dev.webstack.app.Routes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The replication tests' application: a key-value store over JDBC through the application server's routing
 * DataSource. Every response names the database node that served it in {@code X-Db-Node}; a SQL error answers 503
 * with its SQLState and error code in {@code X-Sql-State} and {@code X-Sql-Code}.
 *
 * <ul>
 *   <li>{@code PUT /api/kv/{k}} body v: upsert in autocommit mode
 *   <li>{@code GET /api/kv/{k}}: the value, or 404
 *   <li>{@code POST /api/kv-tx/{k}} body v: a transaction that writes k, then the body {@code fail} makes it roll back
 *   <li>{@code GET /api/kv-locked/{k}}: SELECT ... FOR UPDATE inside a transaction
 *   <li>{@code PUT /api/kv-readonly/{k}}: an insert on a connection marked read-only
 * </ul>
 */
final class KvApp {

  static final String SCHEMA = "classpath:replication/kv.sql";

  private KvApp() {}

  static AppHandler handler() {
    return Routes.builder()
        .put("/api/kv/{k}", KvApp::put)
        .get("/api/kv/{k}", KvApp::get)
        .post("/api/kv-tx/{k}", KvApp::transaction)
        .get("/api/kv-locked/{k}", KvApp::locked)
        .put("/api/kv-readonly/{k}", KvApp::readOnlyWrite)
        .build();
  }

  private static AppResponse put(AppRequest req) {
    String k = req.pathParam("k").orElseThrow();
    try (Connection c = req.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO kv(k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = ?")) {
      ps.setString(1, k);
      ps.setString(2, req.body());
      ps.setString(3, req.body());
      ps.executeUpdate();
      return AppResponse.text("ok").header("X-Db-Node", node(c));
    } catch (SQLException e) {
      return error(e);
    }
  }

  private static AppResponse get(AppRequest req) {
    String k = req.pathParam("k").orElseThrow();
    try (Connection c = req.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
      ps.setString(1, k);
      try (ResultSet rs = ps.executeQuery()) {
        AppResponse r = rs.next() ? AppResponse.text(rs.getString(1)) : AppResponse.status(404, "");
        return r.header("X-Db-Node", node(c));
      }
    } catch (SQLException e) {
      return error(e);
    }
  }

  /** A write on a connection the application marked read-only (Spring's readOnly transactions do): a replica's. */
  private static AppResponse readOnlyWrite(AppRequest req) {
    String k = req.pathParam("k").orElseThrow();
    try (Connection c = req.dataSource().getConnection()) {
      c.setReadOnly(true);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv(k, v) VALUES (?, ?)")) {
        ps.setString(1, k);
        ps.setString(2, req.body());
        ps.executeUpdate();
        return AppResponse.text("ok").header("X-Db-Node", node(c));
      } catch (SQLException e) {
        return error(e).header("X-Db-Node", node(c));
      }
    } catch (SQLException e) {
      return error(e);
    }
  }

  private static AppResponse transaction(AppRequest req) {
    String k = req.pathParam("k").orElseThrow();
    try (Connection c = req.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO kv(k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = ?")) {
        ps.setString(1, k);
        ps.setString(2, req.body());
        ps.setString(3, req.body());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO events(note) VALUES (?)")) {
        ps.setString(1, "wrote " + k);
        ps.executeUpdate();
      }
      if (req.body().equals("fail")) {
        c.rollback();
        return AppResponse.text("rolled back").header("X-Db-Node", node(c));
      }
      c.commit();
      return AppResponse.text("committed").header("X-Db-Node", node(c));
    } catch (SQLException e) {
      return error(e);
    }
  }

  private static AppResponse locked(AppRequest req) {
    String k = req.pathParam("k").orElseThrow();
    try (Connection c = req.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("SELECT v FROM kv WHERE k = ? FOR UPDATE")) {
        ps.setString(1, k);
        try (ResultSet rs = ps.executeQuery()) {
          AppResponse r = rs.next() ? AppResponse.text(rs.getString(1)) : AppResponse.status(404, "");
          c.commit();
          return r.header("X-Db-Node", node(c));
        }
      }
    } catch (SQLException e) {
      return error(e);
    }
  }

  private static String node(Connection c) throws SQLException {
    return c.unwrap(RoutedConnection.class).lastNode().orElse("?");
  }

  private static AppResponse error(SQLException e) {
    return AppResponse.status(503, e.getMessage())
        .header("X-Sql-State", String.valueOf(e.getSQLState()))
        .header("X-Sql-Code", String.valueOf(e.getErrorCode()));
  }

  // ---- client side

  static HttpResponse<String> put(EmulatedStack stack, String key, String value) {
    return send(stack, HttpRequest.newBuilder(url(key)).timeout(Duration.ofSeconds(20))
        .PUT(HttpRequest.BodyPublishers.ofString(value)).build());
  }

  static HttpResponse<String> get(EmulatedStack stack, String key) {
    return send(stack, HttpRequest.newBuilder(url(key)).timeout(Duration.ofSeconds(20)).build());
  }

  static HttpResponse<String> send(EmulatedStack stack, String method, String path, String body) {
    return send(stack, HttpRequest.newBuilder(URI.create("http://www.foobar.com" + path))
        .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static URI url(String key) {
    return URI.create("http://www.foobar.com/api/kv/" + key);
  }

  static HttpResponse<String> send(EmulatedStack stack, HttpRequest request) {
    HttpClient client = stack.httpClient();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String servedBy(HttpResponse<String> r) {
    return r.headers().firstValue("X-Db-Node").orElse("?");
  }
}
