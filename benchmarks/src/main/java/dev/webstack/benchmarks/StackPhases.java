package dev.webstack.benchmarks;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * A diagnostic, not a JMH benchmark: where the time of {@link StackBootBenchmark} goes. It times the three phases
 * of start + GET + close separately with {@link System#nanoTime()}: first for the cold first stack of this JVM,
 * then for {@code N} more stacks in blocks of 200, printing each block's median and p95 per phase, so one sees
 * both the split and how long the JIT takes to settle.
 *
 * <pre>
 * java -Dorg.jboss.logging.provider=slf4j -cp benchmarks/target/benchmarks.jar dev.webstack.benchmarks.StackPhases 3000
 * </pre>
 *
 * The same {@link HttpClient} serves every stack, built before the first one, as in the benchmark.
 */
public final class StackPhases {

  private static final int BLOCK = 200;

  private StackPhases() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    long[] start = new long[n + 1];
    long[] get = new long[n + 1];
    long[] close = new long[n + 1];
    long firstAt = System.currentTimeMillis() - jvmStart;
    for (int i = 0; i <= n; i++) {
      long t0 = System.nanoTime();
      EmulatedStack stack = StackSpec.distributed().start();
      long t1 = System.nanoTime();
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(stack.uri(StackBootBenchmark.POSTS)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET answered " + response.statusCode() + ": " + response.body());
      }
      long t2 = System.nanoTime();
      stack.close();
      long t3 = System.nanoTime();
      start[i] = t1 - t0;
      get[i] = t2 - t1;
      close[i] = t3 - t2;
      if (i == 0) {
        System.out.printf("cold first stack (JVM uptime %d ms before it): start %.1f ms, GET %.1f ms, close %.1f ms,"
            + " total %.1f ms%n", firstAt, ms(start[0]), ms(get[0]), ms(close[0]), ms(t3 - t0));
        System.out.println("warm, per block of " + BLOCK + " stacks: median / p95 in ms");
      }
    }
    for (int from = 1; from + BLOCK <= n + 1; from += BLOCK) {
      int to = from + BLOCK;
      long[] total = new long[BLOCK];
      for (int i = from; i < to; i++) {
        total[i - from] = start[i] + get[i] + close[i];
      }
      System.out.printf("stacks %5d-%5d: total %s | start %s | GET %s | close %s%n", from, to - 1,
          p(total), p(Arrays.copyOfRange(start, from, to)), p(Arrays.copyOfRange(get, from, to)),
          p(Arrays.copyOfRange(close, from, to)));
    }
    if (http instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  private static String p(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return String.format("%6.2f / %6.2f", ms(sorted[sorted.length / 2]), ms(sorted[(int) (sorted.length * 0.95)]));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
