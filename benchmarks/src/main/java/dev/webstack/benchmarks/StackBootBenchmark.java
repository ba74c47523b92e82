package dev.webstack.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The life of a whole stack: start the {@linkplain StackSpec#distributed() distributed preset} (H2 database, one
 * application server, two web servers, the balancer and the stack's DNS), send one {@code GET /api/posts} to the
 * balancer's loopback port ({@code stack.uri("http://www.foobar.com/api/posts")}), which travels balancer → web →
 * application server → H2 (one JDBC connection, one SELECT), check the 200, and close the stack.
 *
 * <p>The request goes through one {@link HttpClient} (HTTP/1.1) created once per trial in {@link Client}, so the
 * client's construction and threads are not part of the measured time; every invocation opens a new connection
 * because every stack listens on new ports.
 *
 * <ul>
 *   <li>{@link #warmStack}: {@link Mode#SampleTime} in milliseconds; JMH reports the percentiles (p50, p95, p99) of
 *       the per-invocation times. 20 × 2 s of warm-up: on 2 cores the JIT keeps compiling for a minute or more (the
 *       median is still falling slowly after 40 s, see {@link StackPhases}), and 40 s is the compromise with the
 *       run time; then 5 × 2 s measured; 2 forks. Goal on a 2-core machine: median ≤ 5 ms, p95 ≤ 12 ms.
 *   <li>{@link #coldFirstStack}: the first stack of a fresh JVM ({@link Mode#SingleShotTime}: no warm-up, one
 *       invocation per fork, 10 forks, so the score's percentiles are over 10 cold samples), including the loading
 *       and initialization of every class the stack and the client's first exchange need, in interpreted code.
 *       Not included: the JVM's and JMH's own start, and building the client. Goal: ≤ 400 ms.
 *   <li>{@link #coldFirstStackWarmClient}: the same with a client that has already completed one exchange (with
 *       the JDK's {@code com.sun.net.httpserver} in setup), which leaves the library's own cold cost.
 * </ul>
 *
 * <p>Each stack leaves its closed connections in TIME_WAIT on loopback for 60 s. At this benchmark's rate (≈ 100
 * stacks a second once warm) that adds up to 15,000 and more, and then some of the listeners' {@code bind(0)} calls
 * take ≈ 10 ms, which shows in the tail (see {@code benchmarks/README.md}).
 *
 * <p>Run from the repository root after {@code mvn -q -B -pl benchmarks -am package -DskipTests}:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar StackBootBenchmark -rf json -rff benchmarks/results/stack-boot.json
 * python3 benchmarks/summarize.py benchmarks/results/stack-boot.json
 * </pre>
 *
 * One part only: the pattern {@code StackBootBenchmark.warmStack} or {@code StackBootBenchmark.coldFirstStack}
 * (a regular expression, so the latter also runs {@code coldFirstStackWarmClient}). Every fork runs with {@code
 * -Dorg.jboss.logging.provider=slf4j}, so Undertow and XNIO log through SLF4J (slf4j-simple at level warn, see
 * {@code simplelogger.properties}).
 */
@Threads(1)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StackBootBenchmark {

  /** Passed to every fork: Undertow logs through SLF4J instead of java.util.logging. */
  static final String JBOSS_LOGGING_SLF4J = "-Dorg.jboss.logging.provider=slf4j";

  /** What the client asks for: the demo application's list of posts, read from the database. */
  static final String POSTS = "http://www.foobar.com/api/posts";

  /** The client shared by every invocation of a trial, created before measuring starts. */
  @State(Scope.Benchmark)
  public static class Client {
    HttpClient http;

    @Setup(Level.Trial)
    public void open() {
      http = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      if (http instanceof AutoCloseable closeable) { // JDK 21+; JDK 17's client cannot be closed
        closeable.close();
      }
      http = null;
    }
  }

  /** Warm: start the distributed preset, one GET /api/posts through the balancer, close. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @Warmup(iterations = 20, time = 2, timeUnit = TimeUnit.SECONDS)
  @Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
  @Fork(value = 2, jvmArgsAppend = JBOSS_LOGGING_SLF4J)
  public String warmStack(Client client) throws Exception {
    return bootRequestClose(client.http);
  }

  /** Cold: the same, as the first thing a fresh JVM does with the library; one sample per fork. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  @Fork(value = 10, jvmArgsAppend = JBOSS_LOGGING_SLF4J)
  public String coldFirstStack(Client client) throws Exception {
    return bootRequestClose(client.http);
  }

  /**
   * Cold, but with a client that has already done one exchange (with the JDK's own {@code com.sun.net.httpserver}
   * in setup), so java.net.http's first-exchange class loading is not counted: what is left is the library's cold
   * cost (Undertow, XNIO, H2, the emulator).
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  @Fork(value = 10, jvmArgsAppend = JBOSS_LOGGING_SLF4J)
  public String coldFirstStackWarmClient(WarmedClient client) throws Exception {
    return bootRequestClose(client.http);
  }

  /** A {@link Client} that has completed one GET against a throwaway JDK HTTP server before measuring starts. */
  @State(Scope.Benchmark)
  public static class WarmedClient extends Client {
    @Setup(Level.Trial)
    public void warm() throws Exception {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      try {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
      } finally {
        server.stop(0);
      }
    }
  }

  static String bootRequestClose(HttpClient http) throws IOException, InterruptedException {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      HttpRequest request = HttpRequest.newBuilder(stack.uri(POSTS)).GET().build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || !response.body().startsWith("[")) {
        throw new IllegalStateException("GET " + POSTS + " answered " + response.statusCode() + ": "
            + response.body());
      }
      return response.body();
    }
  }
}
