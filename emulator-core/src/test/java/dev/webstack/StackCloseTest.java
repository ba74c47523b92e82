package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** Closing a stack gives back every thread and listening socket it took. */
class StackCloseTest {

  private static final Path PROC_TCP = Path.of("/proc/net/tcp");
  private static final Path PROC_TCP6 = Path.of("/proc/net/tcp6");

  @Test
  void twoHundredStartCloseCycles_leaveThreadsAndListenersAtBaseline() throws Exception {
    ExecutorService clientThreads = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-client"));
    HttpClient client = HttpClient.newBuilder().executor(clientThreads).version(HttpClient.Version.HTTP_1_1).build();
    try {
      cycle(client); // loads classes and starts the JDK's and the client's own long-lived threads
      int baselineThreads = liveThreads();
      Set<String> baselineListeners = loopbackListeners();
      Set<ObjectName> baselineBeans = xnioBeans();
      try (EmulatedStack running = StackSpec.distributed().start()) {
        assertThat(xnioBeans()).hasSizeGreaterThan(baselineBeans.size()); // the check below can see a leak
      }

      for (int i = 0; i < 200; i++) {
        cycle(client);
      }

      // Threads the JDK starts on its own (a GC-triggered cleaner, say) may come and go; ours are gone at close.
      assertThat(Threads.named("webstack-")).isEmpty();
      await(Duration.ofSeconds(10), () -> liveThreads() <= baselineThreads);
      assertThat(liveThreads()).isLessThanOrEqualTo(baselineThreads);
      if (Files.isReadable(PROC_TCP)) {
        assertThat(loopbackListeners()).isEqualTo(baselineListeners);
      }
      // XNIO registers a JMX bean per worker and per listener; a stack's close must unregister all of them.
      assertThat(xnioBeans()).isEqualTo(baselineBeans);
    } finally {
      clientThreads.shutdownNow();
    }
  }

  @Test
  void close_releasesTheStacksPortsAndThreads() throws Exception {
    assumeTrue(Files.isReadable(PROC_TCP), "needs Linux /proc/net/tcp to list listening sockets");
    EmulatedStack stack = StackSpec.distributed().start();
    Set<Integer> ports;
    try {
      ports = stack.nodes().stream()
          .filter(n -> n.kind() != ComponentKind.DATABASE)
          .map(n -> n.address().getPort())
          .collect(Collectors.toSet());
      assertThat(listeningPorts()).containsAll(ports);
    } finally {
      stack.close();
    }

    assertThat(listeningPorts()).doesNotContainAnyElementsOf(ports);
    assertThat(Threads.named("webstack-" + stack.name() + " ")).isEmpty();
  }

  @Test
  void close_resetsTheStacksConnections_soNoneLingersInTimeWait() throws Exception {
    assumeTrue(Files.isReadable(PROC_TCP), "needs Linux /proc/net/tcp to list sockets");
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Set<String> before = timeWaitSockets(); // earlier stacks' sockets, which may share a port with this one's
    EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start();
    Set<Integer> ports;
    try {
      for (int i = 0; i < 4; i++) { // both web servers, each with its connection to the app server
        Http.get(client, stack.uri("http://www.foobar.com/api/posts").toString());
      }
      ports = stack.nodes().stream()
          .filter(n -> n.kind() != ComponentKind.DATABASE)
          .map(n -> n.address().getPort())
          .collect(Collectors.toSet());
    } finally {
      stack.close();
    }

    // A socket closed the ordinary way would sit in TIME_WAIT (state 06) for 60 s on one side of each connection.
    Set<String> lingering = timeWaitSockets();
    lingering.removeAll(before);
    assertThat(lingering).as("TIME_WAIT sockets on the stack's ports %s", stack.nodes().stream()
        .filter(n -> n.kind() != ComponentKind.DATABASE).map(n -> n.name() + ":" + n.address().getPort()).toList())
        .noneMatch(socket -> ports.stream().anyMatch(p -> socket.contains(":" + p + " ")
        || socket.endsWith(":" + p)));
  }

  @Test
  void closedStacks_leaveNoThreadGroupBehind() {
    assumeTrue(Runtime.version().feature() < 19, "JDK 19 and later hold thread groups weakly: nothing to leave");
    ThreadGroup parent = Thread.currentThread().getThreadGroup();
    StackSpec spec = StackSpec.simpleWebStack();
    spec.start().close();
    int before = parent.activeGroupCount();
    for (int i = 0; i < 20; i++) {
      spec.start().close();
    }
    assertThat(parent.activeGroupCount()).isEqualTo(before);
  }

  @Test
  void threads_areNamedAfterTheStack() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      Http.get(stack.httpClient(), "http://www.foobar.com/api/posts");

      assertThat(Threads.named("webstack-" + stack.name())).isNotEmpty()
          .allMatch(n -> n.matches("webstack-" + java.util.regex.Pattern.quote(stack.name())
              + "( I/O-\\d+| Accept| task-\\d+| system-\\d+| client-\\d+)"));
    }
  }

  @Test
  void aRequestInFlightWhenTheStackCloses_completes_insteadOfHangingForever() throws Exception {
    java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> pending;
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      stack.node("app-1").faults().hang();
      pending = stack.httpClient().sendAsync(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://www.foobar.com/api/posts")).timeout(Duration.ofSeconds(30)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
    } // closes while the request is held at app-1 (or still on its way there)
    // The stack's client executor is shut down by now; the client's completion must not need it.
    java.util.concurrent.CompletableFuture<?> done = pending.handle((r, e) -> e == null ? r.statusCode() : e);
    assertThat(done.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void aStackServingOneRequestAtATime_runsOnOneIoThreadOneAcceptorAndOneTaskThread() {
    // Starting a thread costs about as much as a request through the whole stack: a stack starts only what it uses.
    // (A manual clock, so that no health check runs on the task pool beside a request.)
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().manualClock().build().start()) {
      HttpClient client = stack.httpClient();
      for (int i = 0; i < 10; i++) {
        Http.get(client, "http://www.foobar.com/api/posts");
      }

      String prefix = "webstack-" + stack.name() + " ";
      assertThat(Threads.named(prefix)).contains(prefix + "I/O-1", prefix + "Accept", prefix + "task-1")
          .doesNotContain(prefix + "I/O-2");
      // The database starts on task-1; a first request that arrives while that thread is between the start and
      // waiting for work again gets a second one. Ten requests one after the other never need a third.
      assertThat(Threads.named(prefix + "task-")).hasSizeLessThanOrEqualTo(2);
      // Besides the test's own HTTP client (client-n threads), which is not the stack serving.
      assertThat(Threads.named(prefix)).filteredOn(t -> !t.startsWith(prefix + "client-")).hasSizeLessThanOrEqualTo(4);
    }
  }

  @Test
  void ioThreads_setsTheWorkersIoThreads() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder().ioThreads(3).build().start()) {
      assertThat(Threads.named("webstack-" + stack.name() + " I/O-")).hasSize(3);
    }
  }

  private static void cycle(HttpClient client) {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThat(Http.get(client, stack.uri("http://www.foobar.com/api/posts").toString()).statusCode())
          .isEqualTo(200);
    }
  }

  private static Set<ObjectName> xnioBeans() throws MalformedObjectNameException {
    return ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("org.xnio:*"), null);
  }

  private static int liveThreads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /**
   * {@code ADDRESS:PORT} (hex, as the kernel prints them) of every listening TCP socket on a loopback address:
   * 127.0.0.0/8 in {@code /proc/net/tcp}, and in {@code /proc/net/tcp6} the IPv4-mapped ones (Java's sockets are
   * dual-stack) and {@code ::1}.
   */
  private static Set<String> loopbackListeners() throws IOException {
    Set<String> ours = socketInodes();
    Set<String> out = new java.util.TreeSet<>();
    tcpSockets().stream()
        .filter(f -> f[3].equals("0A") && ours.contains(f[9]))
        .filter(f -> isLoopback(f[1].substring(0, f[1].indexOf(':'))))
        .forEach(f -> out.add(f[1]));
    return out;
  }

  /** The rows of {@code /proc/net/tcp} and {@code /proc/net/tcp6} (those readable), split into their fields. */
  private static List<String[]> tcpSockets() throws IOException {
    List<String[]> rows = new java.util.ArrayList<>();
    for (Path table : List.of(PROC_TCP, PROC_TCP6)) {
      if (Files.isReadable(table)) {
        try (Stream<String> lines = Files.lines(table)) {
          lines.skip(1).map(l -> l.trim().split("\\s+")).forEach(rows::add);
        }
      }
    }
    return rows;
  }

  /** The port of a kernel {@code ADDRESS:PORT} (hex). */
  private static int port(String hexAddress) {
    return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
  }

  /** The inodes of this JVM's sockets, so that other processes' listeners on the machine do not count. */
  private static Set<String> socketInodes() throws IOException {
    Set<String> inodes = new java.util.HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor was closed between listing and reading: it is no socket of ours any more
        }
      }
    }
    return inodes;
  }

  private static boolean isLoopback(String hex) {
    if (hex.length() == 8) {
      return hex.endsWith("7F"); // little-endian IPv4: the first octet is printed last
    }
    return (hex.startsWith("0000000000000000FFFF0000") && hex.endsWith("7F"))
        || hex.equals("00000000000000000000000001000000");
  }

  private static Set<Integer> listeningPorts() throws IOException {
    return loopbackListeners().stream().map(StackCloseTest::port).collect(Collectors.toSet());
  }

  /** Every TCP socket in TIME_WAIT on the machine, as {@code localPort remotePort} in decimal, prefixed by ':'. */
  private static Set<String> timeWaitSockets() throws IOException {
    return tcpSockets().stream()
        .filter(f -> f[3].equals("06"))
        .map(f -> ":" + port(f[1]) + " :" + port(f[2]))
        .collect(Collectors.toSet());
  }

  private static void await(Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      LockSupport.parkNanos(1_000_000); // poll the condition each millisecond until the deadline
    }
  }
}
