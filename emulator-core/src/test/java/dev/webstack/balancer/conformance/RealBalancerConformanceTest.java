package dev.webstack.balancer.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.Picker;
import dev.webstack.balancer.ServerSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the order in which our pickers choose servers with the order the real balancers choose them, by
 * running Debian 12's binaries (HAProxy 2.6.12, nginx 1.22.1; install with {@code apt-get install -y haproxy
 * nginx}) on loopback. Without a binary its cases are skipped (an assumption names the package to install).
 *
 * <p>Setup, for each binary: one child process, started on first use and stopped after the class, listening on
 * one free port of 127.0.0.1, its configuration, pid file, logs and temp paths in a {@link TempDir}. Every case
 * (balancing method × weight set) gets its own HAProxy backend or nginx upstream, selected by the request path
 * ({@code /c<i>}), so each case starts from the fresh state of a just-configured backend without a process of
 * its own. The servers are {@link NamedBackends}: JDK {@code HttpServer}s on 127.0.0.1 that answer with their
 * name ({@code a}, {@code b}, ...), standing for the configuration's servers in order; no health checks.
 *
 * <p>Each case sends {@value #CYCLES} × Σw sequential GET requests (HTTP/1.1, each after the previous answer,
 * so nothing is ever in flight when a server is chosen), records the answering names, and requires our picker,
 * fresh over a {@link ServerSet} with the same names and weights and fed one request at a time ({@code pick},
 * {@code started}, {@code finished}), to produce exactly the same sequence from the first request on: no offset
 * alignment. HAProxy runs with {@code nbthread 1} and {@code option http-server-close} (one server connection
 * per request); nginx with {@code worker_processes 1} (its balancer state is per worker) and its default
 * HTTP/1.0 upstream connection per request.
 *
 * <p>The sequences each real balancer answered are written to {@code target/real-balancer-conformance.txt} (one
 * block per case, {@code |} after each cycle of Σw, or after each turn of the n servers for leastconn) and
 * published as JUnit report entries.
 *
 * <p>Pairs: HAProxy {@code roundrobin} ↔ {@link BalancingAlgorithm#haproxyRoundRobin()}, {@code static-rr} ↔
 * {@link BalancingAlgorithm#staticRoundRobin()}, {@code leastconn} ↔ {@link BalancingAlgorithm#leastConnections()}
 * (idle servers rotate ignoring weights); nginx default ↔ {@link BalancingAlgorithm#nginxRoundRobin()}, and
 * nginx {@code least_conn} ↔ {@link BalancingAlgorithm#nginxRoundRobin()} too: with every server idle all
 * {@code conns ÷ weight} tie and nginx breaks the tie by its smooth weighted round robin over the tied servers,
 * i.e. over all of them (we have no nginx least_conn algorithm of our own).
 */
@Tag("conformance")
class RealBalancerConformanceTest {

  /** Full weight cycles sent per case. */
  static final int CYCLES = 3;

  private static final List<int[]> WEIGHT_SETS = List.of(
      new int[] {5, 1, 1},
      new int[] {1, 1, 1},
      new int[] {3, 2, 1},
      new int[] {2, 1},
      new int[] {4, 3, 2, 1},
      new int[] {10, 1});

  private static final int MAX_SERVERS = WEIGHT_SETS.stream().mapToInt(w -> w.length).max().orElseThrow();

  /** A real balancer binary. */
  enum Real {
    HAPROXY("haproxy", "-v"),
    NGINX("nginx", "-v");

    final String binary;
    final String versionFlag;

    Real(String binary, String versionFlag) {
      this.binary = binary;
      this.versionFlag = versionFlag;
    }
  }

  /** One comparison: a balancing method of a real balancer, a weight set, and the algorithm that claims it. */
  record Case(
      int index, Real real, String method, int[] weights, String ours, Supplier<BalancingAlgorithm> algorithm) {

    String path() {
      return "/c" + index;
    }

    /** Σw: one cycle of a weighted round robin. */
    int cycle() {
      return Arrays.stream(weights).sum();
    }

    /** How many names to show between {@code |} marks: a cycle, or one turn of every server for leastconn. */
    int group() {
      return method.contains("leastconn") ? weights.length : cycle();
    }

    String weightText() {
      return IntStream.range(0, weights.length).mapToObj(i -> name(i) + "=" + weights[i])
          .collect(Collectors.joining(" "));
    }

    @Override
    public String toString() {
      return real.binary + " " + method + ", weights " + weightText() + " vs BalancingAlgorithm." + ours;
    }
  }

  static final List<Case> CASES = cases();

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (int[] weights : WEIGHT_SETS) {
      cases.add(new Case(cases.size(), Real.HAPROXY, "balance roundrobin", weights, "haproxyRoundRobin()",
          BalancingAlgorithm::haproxyRoundRobin));
    }
    for (int[] weights : WEIGHT_SETS) {
      cases.add(new Case(cases.size(), Real.HAPROXY, "balance static-rr", weights, "staticRoundRobin()",
          BalancingAlgorithm::staticRoundRobin));
    }
    for (int[] weights : WEIGHT_SETS) {
      cases.add(new Case(cases.size(), Real.HAPROXY, "balance leastconn", weights, "leastConnections()",
          BalancingAlgorithm::leastConnections));
    }
    for (int[] weights : WEIGHT_SETS) {
      cases.add(new Case(cases.size(), Real.NGINX, "upstream (default round robin)", weights, "nginxRoundRobin()",
          BalancingAlgorithm::nginxRoundRobin));
    }
    for (int[] weights : WEIGHT_SETS) {
      cases.add(new Case(cases.size(), Real.NGINX, "upstream least_conn", weights, "nginxRoundRobin()",
          BalancingAlgorithm::nginxRoundRobin));
    }
    return List.copyOf(cases);
  }

  static List<Case> cases(Real real) {
    return CASES.stream().filter(c -> c.real() == real).toList();
  }

  /** Where the observed sequences go: {@code emulator-core/target/} under Maven. */
  static final Path OBSERVED =
      Path.of(System.getProperty("basedir", "."), "target", "real-balancer-conformance.txt");

  private static boolean observedStarted;

  @TempDir static Path tempDir;

  private static NamedBackends backends;
  private static final Map<Real, Started> STARTED = new EnumMap<>(Real.class);

  /** A started balancer, or why it could not start (then every case of it fails with that reason). */
  private record Started(BalancerProcess process, String version, String failure) {}

  @BeforeAll
  static void startBackends() throws IOException {
    backends = NamedBackends.start(IntStream.range(0, MAX_SERVERS).mapToObj(RealBalancerConformanceTest::name)
        .toArray(String[]::new));
  }

  @AfterAll
  static void stopEverything() {
    try {
      for (Started started : STARTED.values()) {
        if (started.process() != null) {
          started.process().close();
        }
      }
      STARTED.clear();
    } finally {
      if (backends != null) {
        backends.close();
      }
    }
  }

  static List<Case> allCases() {
    return CASES;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allCases")
  void realBalancer_oneRequestAtATime_choosesServersInOurPickersOrder(Case c, TestReporter reporter)
      throws IOException, InterruptedException {
    Started lb = started(c.real());
    int n = CYCLES * c.cycle();

    List<String> real = lb.process().names(c.path(), n);
    List<String> ours = oursFor(c, n);

    keepObserved(c, lb.version(), real, reporter);
    assertThat(ours)
        .withFailMessage(() -> mismatch(c, lb.version(), real, ours))
        .isEqualTo(real);
  }

  /**
   * Keeps what the real balancer answered: as a JUnit report entry, and as a line of {@link #OBSERVED} (rewritten
   * by each run), so a green build still shows the sequences it compared.
   */
  private static synchronized void keepObserved(Case c, String version, List<String> real, TestReporter reporter)
      throws IOException {
    String key = c.real().binary + " " + c.method() + ", weights " + c.weightText();
    reporter.publishEntry(key, grouped(real, c.group()));
    if (!observedStarted) {
      Files.createDirectories(OBSERVED.getParent());
      Files.writeString(OBSERVED, "");
      observedStarted = true;
    }
    Files.writeString(OBSERVED, key + " (" + version + "):\n  " + grouped(real, c.group()) + "\n",
        StandardOpenOption.APPEND);
  }

  /** Our picker's first {@code n} choices over a fresh server set, one request at a time. */
  static List<String> oursFor(Case c, int n) {
    ServerSet servers = new ServerSet();
    for (int i = 0; i < c.weights().length; i++) {
      servers.add(name(i), c.weights()[i]);
    }
    Picker picker = c.algorithm().get().newPicker(servers);
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int id = picker.pick(0, Picker.SKIP_NONE);
      if (id < 0) {
        names.add("-");
        continue;
      }
      servers.started(id);
      names.add(servers.name(id));
      servers.finished(id);
    }
    return names;
  }

  private static String mismatch(Case c, String version, List<String> real, List<String> ours) {
    int first = 0;
    while (first < real.size() && first < ours.size() && real.get(first).equals(ours.get(first))) {
      first++;
    }
    return String.format(
        "BalancingAlgorithm.%s does not choose servers in the order of the real %s (%s, `%s`, weights %s)%n"
            + "for %d requests sent one at a time to a freshly configured backend ('|' after every %d):%n"
            + "  real: %s%n  ours: %s%n  first difference at request %d",
        c.ours(), c.real().binary, version, c.method(), c.weightText(), real.size(), c.group(),
        grouped(real, c.group()), grouped(ours, c.group()), first + 1);
  }

  /** Names space separated, with a {@code |} after every {@code cycle} of them. */
  static String grouped(List<String> names, int cycle) {
    StringJoiner text = new StringJoiner(" ");
    for (int i = 0; i < names.size(); i++) {
      if (i > 0 && i % cycle == 0) {
        text.add("|");
      }
      text.add(names.get(i));
    }
    return text.toString();
  }

  static String name(int id) {
    return String.valueOf((char) ('a' + id));
  }

  private static synchronized Started started(Real real) {
    Optional<Path> binary = BalancerProcess.find(real.binary);
    Assumptions.assumeTrue(binary.isPresent(), () -> real.binary + " not found at /usr/sbin/" + real.binary
        + " or on the PATH: skipping the " + real.binary + " conformance cases; install it with `apt-get install -y "
        + real.binary + "` (Debian 12 package " + real.binary + ") to run them");
    Started started = STARTED.computeIfAbsent(real, r -> start(r, binary.get()));
    if (started.failure() != null) {
      throw new AssertionError(started.failure());
    }
    return started;
  }

  private static Started start(Real real, Path binary) {
    String version = BalancerProcess.version(binary, real.versionFlag);
    try {
      Path dir = Files.createDirectories(tempDir.resolve(real.binary));
      int port = BalancerProcess.freeLoopbackPort();
      List<String> command;
      if (real == Real.HAPROXY) {
        Path config = Files.writeString(dir.resolve("haproxy.cfg"), haproxyConfig(port));
        command = List.of(binary.toString(), "-db", "-f", config.toString());
      } else {
        Path config = Files.writeString(dir.resolve("nginx.conf"), nginxConfig(dir, port));
        command = List.of(binary.toString(), "-p", dir + "/", "-c", config.toString(),
            "-e", dir.resolve("error.log").toString(), "-g", "daemon off;");
      }
      return new Started(BalancerProcess.start(version, command, dir, port), version, null);
    } catch (IOException | RuntimeException e) {
      return new Started(null, version, "could not start " + version + ": " + e.getMessage());
    }
  }

  /** One frontend routing {@code /c<i>} to backend {@code c<i>}; one backend per HAProxy case. */
  private static String haproxyConfig(int port) {
    StringBuilder cfg = new StringBuilder()
        .append("global\n")
        .append("  nbthread 1\n")
        .append("  maxconn 256\n")
        .append("\n")
        .append("defaults\n")
        .append("  mode http\n")
        .append("  option http-server-close\n")
        .append("  timeout connect 2s\n")
        .append("  timeout client 10s\n")
        .append("  timeout server 10s\n")
        .append("\n")
        .append("frontend conformance\n")
        .append("  bind 127.0.0.1:").append(port).append('\n');
    for (Case c : cases(Real.HAPROXY)) {
      cfg.append("  use_backend c").append(c.index()).append(" if { path ").append(c.path()).append(" }\n");
    }
    for (Case c : cases(Real.HAPROXY)) {
      cfg.append("\nbackend c").append(c.index()).append('\n')
          .append("  ").append(c.method()).append('\n');
      for (int i = 0; i < c.weights().length; i++) {
        cfg.append("  server ").append(name(i)).append(" 127.0.0.1:").append(backends.port(name(i)))
            .append(" weight ").append(c.weights()[i]).append('\n');
      }
    }
    return cfg.toString();
  }

  /** One server routing {@code location = /c<i>} to upstream {@code c<i>}; one upstream per nginx case. */
  private static String nginxConfig(Path dir, int port) {
    StringBuilder cfg = new StringBuilder()
        .append("worker_processes 1;\n")
        .append("pid ").append(dir.resolve("nginx.pid")).append(";\n")
        .append("error_log ").append(dir.resolve("error.log")).append(" warn;\n")
        .append("events {\n  worker_connections 256;\n}\n")
        .append("http {\n")
        .append("  access_log off;\n")
        .append("  client_body_temp_path ").append(dir.resolve("client_body_temp")).append(";\n")
        .append("  proxy_temp_path ").append(dir.resolve("proxy_temp")).append(";\n")
        .append("  fastcgi_temp_path ").append(dir.resolve("fastcgi_temp")).append(";\n")
        .append("  uwsgi_temp_path ").append(dir.resolve("uwsgi_temp")).append(";\n")
        .append("  scgi_temp_path ").append(dir.resolve("scgi_temp")).append(";\n");
    for (Case c : cases(Real.NGINX)) {
      cfg.append("  upstream c").append(c.index()).append(" {\n");
      if (c.method().contains("least_conn")) {
        cfg.append("    least_conn;\n");
      }
      for (int i = 0; i < c.weights().length; i++) {
        cfg.append("    server 127.0.0.1:").append(backends.port(name(i)))
            .append(" weight=").append(c.weights()[i]).append(";\n");
      }
      cfg.append("  }\n");
    }
    cfg.append("  server {\n")
        .append("    listen 127.0.0.1:").append(port).append(";\n");
    for (Case c : cases(Real.NGINX)) {
      cfg.append("    location = ").append(c.path()).append(" {\n")
          .append("      proxy_pass http://c").append(c.index()).append(";\n")
          .append("    }\n");
    }
    cfg.append("  }\n}\n");
    return cfg.toString();
  }
}
