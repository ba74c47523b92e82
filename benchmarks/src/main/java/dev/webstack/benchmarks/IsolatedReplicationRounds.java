package dev.webstack.benchmarks;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@link ReplicationBenchmark}'s bare and replicated inserts interleaved round by round in one JVM, each variant in a
 * class loader of its own: every variant gets its own copy of H2's and the library's classes, so its own type
 * profiles and compiled code, as in a JVM of its own, while the interleaving puts the machine's changes of speed
 * on all variants alike. This separates the two explanations for a replicating JVM measuring slower alone than
 * interleaved: H2's code compiled for more than bare H2's use (which a class loader of its own removes), or the
 * machine's speed in the stretch a JVM ran in (which interleaving cancels). Only the JDK's classes are shared.
 *
 * <p>Variants: {@code bare}, {@code bare-again} (a second bare copy: the noise gauge, whose ratio to {@code bare}
 * should be 1), {@code receiver-stopped} (the write path alone) and {@code replicated}. Arguments: rounds (default
 * 60) and warm-up seconds (default 90: four copies of H2 keep the JIT's compiler busy four times as long).
 *
 * <p>Further arguments {@code label=variant@jar} replace the variants with these, each loaded from its own jar
 * (a benchmarks jar of another build, which has this class too): two builds of the library compared round by
 * round in one JVM, for example {@code bare=bare@new.jar old=replicated@old.jar new=replicated@new.jar}. Ratios
 * are to the first.
 */
public final class IsolatedReplicationRounds {

  private static final String[] DEFAULT_VARIANTS = {"bare", "bare-again", "receiver-stopped", "replicated"};

  private IsolatedReplicationRounds() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.jboss.logging.provider", "slf4j");
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    long warmUpNanos = TimeUnit.SECONDS.toNanos(args.length > 1 ? Integer.parseInt(args[1]) : 90);
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(new File(entry).toURI().toURL());
    }
    List<String> labels = new ArrayList<>();
    List<Callable<double[]>> runners = new ArrayList<>();
    if (args.length > 2) {
      for (int a = 2; a < args.length; a++) {
        String[] spec = args[a].split("[=@]", 3);
        if (spec.length != 3) {
          throw new IllegalArgumentException("a variant is label=variant@jar, not " + args[a]);
        }
        labels.add(spec[0]);
        runners.add(runner(spec[0], spec[1], List.of(new File(spec[2]).toURI().toURL())));
      }
    } else {
      for (String v : DEFAULT_VARIANTS) {
        labels.add(v);
        runners.add(runner(v, v, urls));
      }
    }
    String[] variants = labels.toArray(String[]::new);
    double[][] wall = new double[variants.length][rounds];
    double[][] cpu = new double[variants.length][rounds];
    long warmUpEnd = System.nanoTime() + warmUpNanos;
    int warmUp = 0;
    for (int round = 0; round < rounds; ) {
      boolean measuring = warmUp >= 20 && System.nanoTime() >= warmUpEnd;
      for (int k = 0; k < variants.length; k++) {
        int v = Math.floorMod(k + (measuring ? round : warmUp), variants.length);
        double[] r = runners.get(v).call();
        if (measuring) {
          wall[v][round] = r[0];
          cpu[v][round] = r[1];
        }
      }
      if (measuring) {
        round++;
      } else {
        warmUp++;
      }
    }
    for (int v = 0; v < variants.length; v++) {
      System.out.printf(Locale.ROOT, "%-17s wall median %6.2f ms (ratio to bare: median %.3f, of sums %.3f)"
          + "  cpu median %6.2f ms (ratio to bare: median %.3f)%n", variants[v], median(wall[v]),
          median(ratios(wall[v], wall[0])), sum(wall[v]) / sum(wall[0]), median(cpu[v]),
          median(ratios(cpu[v], cpu[0])));
    }
    StringBuilder perRound = new StringBuilder(variants[variants.length - 1] + "/" + variants[0]
        + " wall per round:");
    for (double x : ratios(wall[variants.length - 1], wall[0])) {
      perRound.append(String.format(Locale.ROOT, " %.2f", x));
    }
    System.out.println(perRound);
  }

  /** {@link Round} for {@code variant}, loaded with H2 and the library from {@code urls} in a loader of its own. */
  @SuppressWarnings("unchecked")
  private static Callable<double[]> runner(String label, String variant, List<URL> urls) throws Exception {
    URLClassLoader loader = new URLClassLoader("variant-" + label, urls.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader());
    return (Callable<double[]>) loader.loadClass(Round.class.getName()).getConstructor(String.class)
        .newInstance(variant);
  }

  private static double[] ratios(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] / b[i];
    }
    return out;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double sum(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return s;
  }

  /**
   * One round of one variant, loaded in the variant's own class loader: opens a database or a stack, inserts
   * {@link ReplicationBenchmark#ROWS} rows, closes it, and returns the writer's wall and CPU time in ms.
   */
  public static final class Round implements Callable<double[]> {
    private final String variant;
    private final ReplicationBenchmark.Replicated replicated = new ReplicationBenchmark.Replicated();
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();

    public Round(String variant) throws Exception {
      this.variant = variant;
      org.h2.Driver.load(); // DriverManager registered the application loader's copy only
      replicated.spec();
    }

    @Override
    public double[] call() throws Exception {
      boolean bare = variant.startsWith("bare");
      ReplicationBenchmark.Bare b = new ReplicationBenchmark.Bare();
      Connection c;
      if (bare) {
        b.open();
        c = b.connection;
      } else {
        replicated.open();
        if (variant.equals("receiver-stopped")) {
          replicated.stack.databaseCluster().replicas().get(0).stopReceiver();
        }
        c = replicated.connection;
      }
      long u = mx.getCurrentThreadCpuTime();
      long t = System.nanoTime();
      switch (variant) {
        case "bare" -> bare(c);
        case "bare-again" -> bareAgain(c);
        case "receiver-stopped" -> receiverStopped(c);
        default -> replicated(c);
      }
      double w = (System.nanoTime() - t) / 1e6;
      double cpuMs = (mx.getCurrentThreadCpuTime() - u) / 1e6;
      if (bare) {
        b.close();
      } else {
        replicated.close(); // as ReplicationBenchmark's rounds: the applier's work stops with the stack
      }
      return new double[] {w, cpuMs};
    }

    // One method per variant, so that a profiler attached to the JVM tells the variants' stacks apart (the classes
    // have the same names in every loader): the same number of inserts each, so samples compare directly.

    private static void bare(Connection c) throws java.sql.SQLException {
      ReplicationBenchmark.insertRows(c);
    }

    private static void bareAgain(Connection c) throws java.sql.SQLException {
      ReplicationBenchmark.insertRows(c);
    }

    private static void receiverStopped(Connection c) throws java.sql.SQLException {
      ReplicationBenchmark.insertRows(c);
    }

    private static void replicated(Connection c) throws java.sql.SQLException {
      ReplicationBenchmark.insertRows(c);
    }
  }
}
