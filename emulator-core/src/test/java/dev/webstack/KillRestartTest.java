package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KillRestartTest {

  @Test
  void killedHost_takesDownEveryComponentOnIt() {
    try (EmulatedStack stack = StackSpec.simpleWebStack().start()) {
      stack.host("server-1").kill();

      assertThat(stack.nodes()).extracting(Node::isRunning).containsOnly(false);
      HttpResponse<String> page = Http.get(stack.httpClient(), "http://www.foobar.com/");
      assertThat(page.statusCode()).isEqualTo(502);
      assertThat(page.headers().firstValue("x-webstack-error").orElseThrow())
          .isEqualTo("www.foobar.com (8.8.8.8:80): connection refused, host server-1 is down");
      assertThatThrownBy(() -> stack.database().dataSource().getConnection())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Communications link failure")
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08S01");
    }
  }

  @Test
  void killingAClosedStacksHost_isRefused_andLeavesTheHostAsItWas() {
    EmulatedStack stack = StackSpec.simpleWebStack().start();
    Host host = stack.host("server-1");
    stack.close();

    assertThatThrownBy(host::kill).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    assertThat(host.isUp()).isTrue();
  }

  @Test
  void restartedHost_servesAgainWithItsData() {
    try (EmulatedStack stack = StackSpec.simpleWebStack().start()) {
      Http.post(stack.httpClient(), "http://www.foobar.com/api/posts", "survives a crash");
      stack.host("server-1").kill();
      stack.host("server-1").restart();

      HttpResponse<String> r = Http.get(stack.httpClient(), "http://www.foobar.com/api/posts/3");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("survives a crash");
      assertThat(stack.host("server-1").isUp()).isTrue();
    }
  }

  @Test
  void killedNode_refusesConnectionsOnItsPort() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      Node web = stack.node("web-1");
      var address = web.address();
      web.kill();

      assertThat(web.isRunning()).isFalse();
      assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void killedNode_holdsItsPort_soNoListenerOpenedMeanwhileIsGivenIt() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      Node app = stack.node("app-1");
      var address = app.address();
      app.kill();

      // A listener opened while the node is down (the gateway on first use, a fault relay) must not get the port:
      // it would receive the traffic the web tier still sends there.
      try (ServerSocket other = new ServerSocket()) {
        assertThatThrownBy(() -> other.bind(address)).isInstanceOf(BindException.class);
      }

      app.restart();
      assertThat(app.address()).isEqualTo(address);
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/api/posts").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void restartedNode_keepsItsPort() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      Node web = stack.node("web-2");
      int port = web.address().getPort();
      web.kill();
      web.restart();

      assertThat(web.isRunning()).isTrue();
      assertThat(web.address().getPort()).isEqualTo(port);
      HttpResponse<String> direct = Http.get(java.net.http.HttpClient.newHttpClient(),
          "http://127.0.0.1:" + port + "/");
      assertThat(direct.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void restartOfARunningNode_bouncesItOnTheSamePort() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      Node app = stack.node("app-1");
      int port = app.address().getPort();
      app.restart();

      assertThat(app.address().getPort()).isEqualTo(port);
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/api/whoami").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void killedWebServer_trafficContinuesOnTheOther() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      Http.get(stack.httpClient(), "http://www.foobar.com/"); // keep-alive connections to both webs exist
      Http.get(stack.httpClient(), "http://www.foobar.com/");
      stack.node("web-1").kill();

      List<String> paths = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> r = Http.get(stack.httpClient(), "http://www.foobar.com/api/posts");
        assertThat(r.statusCode()).isEqualTo(200);
        paths.add(RequestPath.of(r).toString());
      }
      assertThat(paths).containsOnly("lb-1 > web-2 > app-1");
    }
  }

  @Test
  void killedWebServer_receivesTrafficAgainAfterRestart() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      stack.node("web-1").kill();
      Http.get(stack.httpClient(), "http://www.foobar.com/");
      stack.node("web-1").restart();

      List<String> webs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        webs.add(RequestPath.of(Http.get(stack.httpClient(), "http://www.foobar.com/")).first("web").orElseThrow());
      }
      assertThat(webs).contains("web-1", "web-2");
    }
  }

  @Test
  void allWebServersDown_balancerAnswers503LikeHaproxy() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      stack.node("web-1").kill();
      stack.node("web-2").kill();

      HttpResponse<String> r = Http.get(stack.httpClient(), "http://www.foobar.com/");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("No server is available to handle this request.");
      assertThat(RequestPath.of(r).hops()).containsExactly("lb-1");
    }
  }

  @Test
  void killedAppServer_webServerAnswers502LikeNginx_andStaticFilesStillWork() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      stack.node("app-1").kill();

      HttpResponse<String> api = Http.get(stack.httpClient(), "http://www.foobar.com/api/posts");
      HttpResponse<String> page = Http.get(stack.httpClient(), "http://www.foobar.com/");
      assertThat(api.statusCode()).isEqualTo(502);
      assertThat(api.body()).contains("502 Bad Gateway");
      assertThat(page.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void killedDatabase_failsQueriesAndClosesOpenConnections() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      Connection open = stack.database().dataSource().getConnection();
      stack.node("db-1").kill();

      assertThat(open.isClosed()).isTrue();
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/api/posts").statusCode()).isEqualTo(500);
      assertThat(Http.get(stack.httpClient(), "http://www.foobar.com/api/whoami").statusCode()).isEqualTo(200);

      stack.node("db-1").restart();
      try (Connection c = stack.database().dataSource().getConnection();
          ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM posts")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
    }
  }

  @Test
  void nodeRestart_whileItsHostIsDown_isRejected() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      stack.host("web-1").kill();

      assertThatThrownBy(() -> stack.node("web-1").restart())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("web-1 cannot restart while its host web-1 is down; restart the host instead");
    }
  }

  @Test
  void killTwice_isHarmless() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      stack.node("web-1").kill();
      stack.node("web-1").kill();

      assertThat(stack.node("web-1").isRunning()).isFalse();
    }
  }
}
