package dev.webstack;

import static java.net.http.HttpResponse.BodyHandlers.ofString;
import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.app.AppResponse;
import dev.webstack.app.Routes;
import dev.webstack.balancer.Backend;
import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.Picker;
import dev.webstack.balancer.ServerSet;
import dev.webstack.database.DatabaseCluster;
import dev.webstack.database.FailoverReport;
import dev.webstack.faults.LinkFaults;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The code examples of README.md and docs/*.md, run in the order written, with what their comments promise
 * asserted. Keep them in step with the documents: an example that fails here fails for a reader who copies it.
 */
class DocumentedExamplesTest {

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
  }

  @Test
  void readme_quickStart() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed()
        .toBuilder()
        .appServers(2, app -> app.handler(Routes.builder()
            .get("/api/orders/{id}", req -> AppResponse.json("{\"id\":" + req.pathParam("id").orElseThrow() + "}"))
            .build()))
        .build()
        .start()) {
      HttpClient http = stack.httpClient();
      HttpResponse<String> r = http.send(get("http://www.foobar.com/api/orders/7"), ofString());

      assertThat(r.body()).isEqualTo("{\"id\":7}");
      assertThat(RequestPath.of(r).toString()).isEqualTo("lb-1 > web-1 > app-1");
    }
  }

  @Test
  void readme_breakingIt() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().appServers(2).seed(42).build().start()) {
      Node web1 = stack.node("web-1");
      web1.kill();
      web1.restart();
      stack.host("db-1").kill();
      web1.faults().hang();
      web1.faults().slow(Duration.ofMillis(50), Duration.ofMillis(10));
      stack.node("app-2").faults().failWith(503, 0.3);
      stack.link("web-2", "app-1").partition(LinkFaults.Direction.FORWARD);
      stack.link("lb-1", "web-1").latency(Duration.ofMillis(30));
      stack.link("client", "lb-1").bandwidth(64 * 1024);
      stack.link("lb-1", "web-2").reset();

      assertThat(stack.snapshot().linkFaults()).hasSize(4);
      assertThat(stack.dump()).contains("seed 42");
    }
  }

  @Test
  void readme_healthChecks() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      stack.node("web-1").kill();
      stack.clock().advance(Duration.ofMillis(200));
      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("UP 1/3");
      stack.clock().advance(Duration.ofMillis(100));
      assertThat(stack.backend("lb-1").server("web-1").status()).isEqualTo("DOWN");
      assertThat(stack.backend("lb-1").server("web-1").checkStatus()).isEqualTo("L4CON");
      stack.backend("lb-1").disable("web-2");
      assertThat(stack.backend("lb-1").server("web-2").status()).isEqualTo("MAINT");
    }
  }

  @Test
  void readme_replicatedDatabases() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock()
        .database(db -> db.replicas(1).shipDelay(Duration.ofSeconds(2)))
        .build().start()) {
      DatabaseCluster db = stack.databaseCluster();
      HttpClient http = stack.httpClient();
      http.send(HttpRequest.newBuilder(URI.create("http://www.foobar.com/api/posts"))
          .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), ofString());
      HttpResponse<String> response = http.send(get("http://www.foobar.com/api/posts/3"), ofString());
      assertThat(response.statusCode()).isEqualTo(404); // the stale read
      assertThat(RequestPath.databaseNodes(response)).containsExactly("db-2");
      stack.link("db-1", "db-2").partition();
      stack.node("db-1").kill();
      FailoverReport report = db.failover();
      assertThat(report.lostAcknowledged().isEmpty()).isFalse();
      assertThat(db.lostAcknowledged()).isEqualTo(report.lostAcknowledged());
    }
  }

  @Test
  void readme_balancingAlgorithms() {
    ServerSet servers = new ServerSet();
    servers.add("a", 5);
    servers.add("b", 1);
    servers.add("c", 1);
    Picker picker = BalancingAlgorithm.nginxRoundRobin().newPicker(servers);
    StringBuilder order = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      order.append("abc".charAt(picker.pick(0, Picker.SKIP_NONE)));
    }
    assertThat(order).hasToString("aabacaa");
  }

  @Test
  void healthChecksDoc() {
    StackSpec spec = StackSpec.distributed().toBuilder()
        .manualClock()
        .loadBalancer(lb -> lb
            .healthCheck(HealthCheckSpec.builder()
                .inter(Duration.ofMillis(50))
                .httpCheck("/health")
                .observeLayer4(true)
                .build())
            .serverTimeout(Duration.ofSeconds(2))
            .allBackups(false))
        .webServers(3, web -> web.backup(web.name().equals("web-3")))
        .build();
    try (EmulatedStack stack = spec.start()) {
      stack.node("web-1").kill();
      stack.clock().advance(Duration.ofMillis(150));
      Backend lb = stack.backend("lb-1");
      assertThat(lb.server("web-1").status()).isEqualTo("DOWN");
      lb.disable("web-2");
      lb.weight("web-2", 5);
    }
  }

  @Test
  void dnsFaultsDoc() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      HttpClient http = stack.httpClient();
      assertThat(RequestPath.of(http.send(get("http://www.foobar.com/"), ofString())).toString())
          .isEqualTo("lb-1 > web-1");
      stack.dns().setA("www", Duration.ofSeconds(60), "10.0.0.12");
      assertThat(RequestPath.of(http.send(get("http://www.foobar.com/"), ofString())).toString()).startsWith("lb-1");
      stack.clock().advance(Duration.ofSeconds(300));
      assertThat(RequestPath.of(http.send(get("http://www.foobar.com/"), ofString())).toString()).isEqualTo("web-2");
      stack.dns().servfail("www");
      stack.dns().healAll();
    }
  }

  @Test
  void replicationDoc() throws Exception {
    StackSpec spec = StackSpec.distributed().toBuilder()
        .manualClock()
        .database(db -> db.replicas(2)
            .semiSync(Duration.ofMillis(500))
            .applyDelay(Duration.ofSeconds(1))
            .automaticFailover(Duration.ofSeconds(5))
            .maxReplicationLag(Duration.ofSeconds(10))
            .causalReads(Duration.ofSeconds(1)))
        .build();
    try (EmulatedStack stack = spec.start()) {
      DatabaseCluster db = stack.databaseCluster();
      db.replica("db-2").shipDelay(Duration.ofMillis(50));
      db.replica("db-3").stopApplier();
      db.partition("db-1", "db-2");
      stack.node("db-1").kill();
      FailoverReport report = db.failover();
      report.lostAcknowledged();
      report.lostKeys("posts");
      db.status("db-3");
      db.replica("db-3").startApplier();
      stack.clock().advance(Duration.ofSeconds(1));
      stack.await("converged", Duration.ofSeconds(5), db::isConverged);
      assertThat(db.content("db-3")).isEqualTo(db.content(db.primary().name()));
    }
  }
}
