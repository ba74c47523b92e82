package dev.webstack.benchmarks;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The floor under {@link StackBootBenchmark#coldFirstStack}: the same topology and request built by hand from the
 * same parts, without the library. One XNIO worker shared by four plain Undertow servers on 127.0.0.1 port 0 (a
 * balancer proxying round robin to two web servers, each proxying to one application server), the application
 * server answering {@code GET /api/posts} from an H2 in-memory database in MySQL mode (schema and one row created
 * at start, one connection and one SELECT per request); one GET through the balancer; then every server, the
 * worker and the database closed. No DNS, no gateway, no fault hooks, no inspection, no replication.
 *
 * <p>Why: the cold goal (≤ 400 ms) was derived on a faster machine. On the machine at hand, the cold cost of
 * Undertow, XNIO (including the platform MBean server it registers with), H2 and java.net.http's first exchange
 * is a fixed part of any stack built from them; this benchmark measures that part, so that the library's own
 * share of the cold first stack is the difference between the two, measured the same way (fresh JVM per fork,
 * one sample each, the client built in setup and cold).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'ColdFloorBenchmark|StackBootBenchmark.coldFirstStack$' \
 *     -rf json -rff benchmarks/results/cold-floor.json
 * </pre>
 */
public class ColdFloorBenchmark {

  private static final String SCHEMA = """
      CREATE TABLE posts (
        id BIGINT AUTO_INCREMENT PRIMARY KEY,
        title VARCHAR(200) NOT NULL,
        body VARCHAR(2000),
        created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
      );
      INSERT INTO posts(title, body) VALUES ('Hello', 'The first post');
      """;

  /** Cold: hand-built Undertow + H2 stack, one GET through the balancer, close; one sample per fresh JVM. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  @Fork(value = 10, jvmArgsAppend = StackBootBenchmark.JBOSS_LOGGING_SLF4J)
  public String coldHandBuiltStack(StackBootBenchmark.Client client) throws Exception {
    return bootRequestClose(client.http);
  }

  static String bootRequestClose(HttpClient http) throws Exception {
    XnioWorker worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
        .set(Options.WORKER_IO_THREADS, 1)
        .set(Options.WORKER_TASK_CORE_THREADS, 1)
        .set(Options.WORKER_TASK_MAX_THREADS, 4)
        .set(Options.WORKER_NAME, "floor")
        .getMap());
    String url = "jdbc:h2:mem:floor;MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    List<Undertow> servers = new ArrayList<>();
    try (Connection keeper = DriverManager.getConnection(url)) {
      try (Statement s = keeper.createStatement()) {
        s.execute(SCHEMA);
      }
      Undertow app = start(worker, servers, new BlockingHandler(exchange -> {
        StringBuilder json = new StringBuilder("[");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT id, title, body FROM posts ORDER BY id")) {
          while (rs.next()) {
            json.append(json.length() == 1 ? "" : ",").append("{\"id\":").append(rs.getLong(1))
                .append(",\"title\":\"").append(rs.getString(2)).append("\",\"body\":\"").append(rs.getString(3))
                .append("\"}");
          }
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(json.append(']').toString());
      }));
      LoadBalancingProxyClient lb = new LoadBalancingProxyClient();
      for (int i = 0; i < 2; i++) {
        Undertow web = start(worker, servers, ProxyHandler.builder()
            .setProxyClient(new LoadBalancingProxyClient().addHost(uriOf(app))).build());
        lb.addHost(uriOf(web));
      }
      Undertow balancer = start(worker, servers, ProxyHandler.builder().setProxyClient(lb).build());

      URI uri = URI.create(uriOf(balancer) + "/api/posts");
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || !response.body().startsWith("[{")) {
        throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": "
            + response.body());
      }
      try (Statement s = keeper.createStatement()) {
        s.execute("SHUTDOWN");
      }
      return response.body();
    } finally {
      for (Undertow server : servers) {
        server.stop();
      }
      worker.shutdown();
      worker.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static Undertow start(XnioWorker worker, List<Undertow> servers, HttpHandler handler) {
    Undertow server = Undertow.builder().setWorker(worker).addHttpListener(0, "127.0.0.1").setHandler(handler)
        .build();
    server.start();
    servers.add(server);
    return server;
  }

  private static URI uriOf(Undertow server) {
    InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    return URI.create("http://127.0.0.1:" + address.getPort());
  }
}
