package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.app.AppResponse;
import dev.webstack.app.Routes;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class AppServerTest {

  private static final Routes ROUTES = Routes.builder()
      .get("/api/orders/{id}", req -> AppResponse.json("{\"id\":\"" + req.pathParam("id").orElseThrow() + "\"}"))
      .post("/api/orders", req -> AppResponse.status(201, "created " + req.body()))
      .get("/api/boom", req -> {
        throw new IllegalStateException("user code failed");
      })
      .get("/api/count", req -> {
        try (Connection c = req.dataSource().getConnection();
            ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM orders")) {
          rs.next();
          return AppResponse.text(Integer.toString(rs.getInt(1)));
        }
      })
      .get("/api/echo", req -> AppResponse.text(req.queryParam("q").orElse("-") + " " + req.method()))
      .build();

  private static final StackSpec SPEC = StackSpec.distributed().toBuilder()
      .appServers(2, app -> app.handler(ROUTES))
      .database(db -> db.schema("classpath:orders.sql"))
      .build();

  @Test
  void routes_passPathVariablesAndBodies() {
    try (EmulatedStack stack = SPEC.start()) {
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/api/orders/42").body())
          .isEqualTo("{\"id\":\"42\"}");
      HttpResponse<String> created = Http.post(stack.httpClient(), "http://www.foobar.com/api/orders", "book");
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(created.body()).isEqualTo("created book");
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/api/echo?q=hi").body()).isEqualTo("hi GET");
    }
  }

  @Test
  void handlers_readTheStacksDatabaseLoadedFromTheSchemaScript() {
    try (EmulatedStack stack = SPEC.start()) {
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/api/count").body()).isEqualTo("3");
    }
  }

  @Test
  void throwingHandler_gets500_andTheNodeKeepsServing() {
    try (EmulatedStack stack = SPEC.start()) {
      HttpResponse<String> boom = Http.get(stack.httpClient(), "http://www.foobar.com/api/boom");

      assertThat(boom.statusCode()).isEqualTo(500);
      assertThat(boom.body()).isEqualTo("500 Internal Server Error");
      for (int i = 0; i < 4; i++) {
        assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/api/orders/1").statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void unknownPaths_get404_andWrongMethods_get405WithAllow() {
    try (EmulatedStack stack = SPEC.start()) {
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/api/nothing").statusCode()).isEqualTo(404);
      HttpResponse<String> wrong = Http.send(stack.httpClient(), HttpRequest.newBuilder(
          URI.create("http://www.foobar.com/api/orders/1")).DELETE().build());
      assertThat(wrong.statusCode()).isEqualTo(405);
      assertThat(wrong.headers().firstValue("allow")).contains("GET, HEAD");
    }
  }

  @Test
  void handlerWithoutDatabase_getsAClearError() {
    StackSpec spec = StackSpec.builder("foobar.com").webServers(1).appServers(1, app -> app.handler(
        req -> AppResponse.text(String.valueOf(req.dataSource())))).build();
    try (EmulatedStack stack = spec.start()) {
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/api/x").statusCode()).isEqualTo(500);
    }
  }

  @Test
  void staticFiles_comeFromTheConfiguredClasspathLocation() {
    StackSpec spec = StackSpec.distributed().toBuilder().webServers(2, web -> web.staticClasspath("site")).build();
    try (EmulatedStack stack = spec.start()) {
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/").body()).contains("from the test classpath");
      HttpResponse<String> css = Http.get(stack.httpClient(), "http://www.foobar.com/style.css");
      assertThat(css.statusCode()).isEqualTo(200);
      assertThat(css.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).contains("css"));
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/missing.html").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void staticFiles_comeFromADirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("hello.txt"), "hello from disk");
    StackSpec spec = StackSpec.simpleWebStack().toBuilder()
        .webServers(1, web -> web.host("server-1").staticDirectory(dir)).build();
    try (EmulatedStack stack = spec.start()) {
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/hello.txt").body()).isEqualTo("hello from disk");
    }
  }

  @Test
  void customDynamicPrefix_forwardsOnlyThatPrefix() {
    StackSpec spec = StackSpec.simpleWebStack().toBuilder()
        .webServers(1, web -> web.host("server-1").dynamicPrefix("/app/"))
        .appServers(1, app -> app.host("server-1").handler(req -> AppResponse.text("dynamic " + req.path())))
        .build();
    try (EmulatedStack stack = spec.start()) {
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/app/x").body()).isEqualTo("dynamic /app/x");
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/api/x").statusCode()).isEqualTo(404);
    }
  }
}
