package dev.webstack.benchmarks;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The latency one proxy hop adds. On one running {@linkplain StackSpec#distributed() distributed} stack per trial,
 * {@code GET /api/whoami} (answered by the application server without touching the database) is sent
 *
 * <ul>
 *   <li><b>direct</b>: straight to the application server, {@code http://127.0.0.1:<app-1 port>/api/whoami}
 *       ({@code stack.node("app-1").address()}), and
 *   <li><b>through</b>: to the balancer's loopback port ({@code stack.uri("http://www.foobar.com/api/whoami")}),
 *       from where it travels balancer → web server (round robin over web-1 and web-2) → app-1.
 * </ul>
 *
 * The path through has two more hops (balancer and web server), each a Undertow {@code ProxyHandler} forwarding over
 * a pooled keep-alive loopback connection, so the cost of one hop is {@code (through − direct) / 2}, computed from
 * the medians (goal: ≤ 100 µs). Two clients, each keeping one connection alive across invocations:
 *
 * <ul>
 *   <li>{@code *HttpClient}: one {@link HttpClient} (HTTP/1.1) per trial, as tests use it;
 *   <li>{@code *RawSocket}: {@link RawHttpClient}, a blocking socket writing a fixed request, so the client's own
 *       overhead (java.net.http's selector thread and executor hand-offs) does not drown the hop cost.
 * </ul>
 *
 * {@link Mode#SampleTime} in microseconds: 8 × 2 s warm-up (the proxy path needs ≈ 15 s of requests to be fully
 * compiled on 2 cores), 5 × 2 s measured, 2 forks per method (≈ 4 min in all); JMH reports p50, p95, p99. Run from the repository root after {@code mvn -q -B -pl benchmarks -am package -DskipTests}:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar HopLatencyBenchmark -rf json -rff benchmarks/results/hop-latency.json
 * python3 benchmarks/summarize.py benchmarks/results/hop-latency.json
 * </pre>
 *
 * The script prints the percentiles and the per-hop cost. Every fork runs with {@code
 * -Dorg.jboss.logging.provider=slf4j}, so Undertow logs through SLF4J at level warn.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = StackBootBenchmark.JBOSS_LOGGING_SLF4J)
@Threads(1)
public class HopLatencyBenchmark {

  /** One running stack per trial, with the two URLs and the trial's {@link HttpClient}. */
  @State(Scope.Benchmark)
  public static class Stack {
    EmulatedStack stack;
    URI direct;
    URI through;
    HttpClient http;
    HttpRequest directRequest;
    HttpRequest throughRequest;

    @Setup(Level.Trial)
    public void start() {
      stack = StackSpec.distributed().start();
      var app = stack.node("app-1").address();
      direct = URI.create("http://" + app.getAddress().getHostAddress() + ":" + app.getPort() + "/api/whoami");
      through = stack.uri("http://www.foobar.com/api/whoami");
      http = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
      directRequest = HttpRequest.newBuilder(direct).GET().build();
      throughRequest = HttpRequest.newBuilder(through).GET().build();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      try {
        if (http instanceof AutoCloseable closeable) { // JDK 21+
          closeable.close();
        }
      } finally {
        stack.close();
      }
    }
  }

  /** Per benchmark thread: one keep-alive socket to each of the two destinations. */
  @State(Scope.Thread)
  public static class Sockets {
    RawHttpClient direct;
    RawHttpClient through;

    @Setup(Level.Trial)
    public void open(Stack stack) {
      direct = new RawHttpClient(stack.direct);
      through = new RawHttpClient(stack.through);
    }

    @TearDown(Level.Trial)
    public void close() {
      direct.close();
      through.close();
    }
  }

  @Benchmark
  public String directHttpClient(Stack s) throws IOException, InterruptedException {
    return send(s.http, s.directRequest);
  }

  @Benchmark
  public String throughHttpClient(Stack s) throws IOException, InterruptedException {
    return send(s.http, s.throughRequest);
  }

  @Benchmark
  public byte[] directRawSocket(Sockets s) throws IOException {
    return s.direct.get();
  }

  @Benchmark
  public byte[] throughRawSocket(Sockets s) throws IOException {
    return s.through.get();
  }

  private static String send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
