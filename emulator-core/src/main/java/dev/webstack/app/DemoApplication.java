package dev.webstack.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The built-in demo application: posts stored in the stack's database, so the presets, the tour and the tests
 * have real dynamic content. It expects the table from {@link #SCHEMA}, which the presets load.
 *
 * <ul>
 *   <li>{@code GET /api/posts}: every post as a JSON array, oldest first
 *   <li>{@code GET /api/posts/{id}}: one post, or 404
 *   <li>{@code POST /api/posts}: stores the request body as a new post; 201 with its JSON
 *   <li>{@code GET /api/whoami}: which application server answered, without touching the database
 * </ul>
 */
public final class DemoApplication {

  /** The schema (and two seed posts) the demo needs, as a {@code classpath:} location. */
  public static final String SCHEMA = "classpath:webstack/demo/schema.sql";

  private DemoApplication() {}

  /** The demo's routes. */
  public static AppHandler posts() {
    return Routes.builder()
        .get("/api/posts", DemoApplication::list)
        .get("/api/posts/{id}", DemoApplication::one)
        .post("/api/posts", DemoApplication::create)
        .get("/api/whoami", req -> AppResponse.json("{\"node\":" + quote(req.node()) + "}"))
        .build();
  }

  private static AppResponse list(AppRequest req) throws Exception {
    try (Connection c = req.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, body FROM posts ORDER BY id")) {
      StringBuilder json = new StringBuilder("[");
      while (rs.next()) {
        json.append(json.length() > 1 ? "," : "").append(post(rs.getLong(1), rs.getString(2)));
      }
      return AppResponse.json(json.append(']').toString());
    }
  }

  private static AppResponse one(AppRequest req) throws Exception {
    long id;
    try {
      id = Long.parseLong(req.pathParam("id").orElseThrow());
    } catch (NumberFormatException e) {
      return AppResponse.status(400, "post id must be a number");
    }
    try (Connection c = req.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT body FROM posts WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? AppResponse.json(post(id, rs.getString(1))) : AppResponse.status(404, "no post " + id);
      }
    }
  }

  private static AppResponse create(AppRequest req) throws Exception {
    if (req.body().isBlank()) {
      return AppResponse.status(400, "a post needs a body");
    }
    try (Connection c = req.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement("INSERT INTO posts(body) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
      s.setString(1, req.body());
      s.executeUpdate();
      try (ResultSet keys = s.getGeneratedKeys()) {
        keys.next();
        long id = keys.getLong(1);
        return AppResponse.json(post(id, req.body())).withStatus(201).header("Location", "/api/posts/" + id);
      }
    }
  }

  private static String post(long id, String body) {
    return "{\"id\":" + id + ",\"body\":" + quote(body) + "}";
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20) {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
