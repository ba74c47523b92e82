package dev.webstack.balancer.conformance;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real balancer (HAProxy or nginx) run as a child process listening on one loopback port, its output going to
 * a log file next to its configuration. {@link #close()} stops it and any process it started, and waits for them.
 */
final class BalancerProcess implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(10);
  private static final Duration REQUEST = Duration.ofSeconds(5);
  private static final Duration EXIT = Duration.ofSeconds(5);

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .followRedirects(HttpClient.Redirect.NEVER)
      .proxy(HttpClient.Builder.NO_PROXY)
      .build();

  private final String description;
  private final Process process;
  private final Path log;
  private final int port;

  private BalancerProcess(String description, Process process, Path log, int port) {
    this.description = description;
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** {@code /usr/sbin/<name>} when executable, else the first executable {@code <name>} on the PATH. */
  static Optional<Path> find(String name) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("/usr/sbin", name));
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, name));
        }
      }
    }
    return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
  }

  /** The first line {@code binary versionFlag} prints (nginx prints it on stderr), or why there is none. */
  static String version(Path binary, String versionFlag) {
    try {
      Process p = new ProcessBuilder(binary.toString(), versionFlag).redirectErrorStream(true).start();
      try {
        byte[] out = p.getInputStream().readAllBytes(); // ends when the process closes its output
        if (!p.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
          return binary + " (version unknown: " + versionFlag + " did not exit)";
        }
        String text = new String(out, StandardCharsets.UTF_8).strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).strip();
      } finally {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      return binary + " (version unknown: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return binary + " (version unknown: interrupted)";
    }
  }

  /**
   * A port that was free a moment ago on 127.0.0.1: bound with port 0, then closed so the balancer can bind it.
   * Another process could take it in between; the startup then fails with the balancer's log in the message.
   */
  static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Starts {@code command} in {@code dir}, output to {@code dir/process.log}, and waits until {@code port} on
   * 127.0.0.1 accepts connections. On failure the process is stopped and the exception carries its log.
   */
  static BalancerProcess start(String description, List<String> command, Path dir, int port)
      throws IOException {
    Path log = dir.resolve("process.log");
    Process process = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    BalancerProcess started = new BalancerProcess(description, process, log, port);
    boolean ready = false;
    try {
      started.awaitListening();
      ready = true;
      return started;
    } finally {
      if (!ready) {
        started.close();
      }
    }
  }

  private void awaitListening() throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    long deadline = System.nanoTime() + STARTUP.toNanos();
    IOException last = null;
    while (true) {
      if (!process.isAlive()) {
        throw new IOException(description + " exited with status " + process.exitValue()
            + " before listening on 127.0.0.1:" + port + "; command " + process.info().commandLine().orElse("?")
            + "\n" + logText());
      }
      try (Socket probe = new Socket()) {
        probe.connect(address, 200);
        return;
      } catch (IOException e) {
        last = e;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new IOException(description + " did not listen on 127.0.0.1:" + port + " within " + STARTUP
            + " (last connect: " + last + ")\n" + logText(), last);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /**
   * Sends {@code n} GET requests for {@code path}, one at a time (each starts after the previous answer arrived),
   * and returns the bodies: the names of the backends that answered.
   */
  List<String> names(String path, int n) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + port + path);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST).GET().build();
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      HttpResponse<String> response;
      try {
        response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        throw new IOException(description + ": request " + (i + 1) + " of " + n + " to " + uri + " failed after "
            + names + "\n" + logText(), e);
      }
      if (response.statusCode() != 200) {
        throw new IOException(description + ": request " + (i + 1) + " of " + n + " to " + uri + " answered "
            + response.statusCode() + " " + response.body().strip() + " after " + names + "\n" + logText());
      }
      names.add(response.body().strip());
    }
    return names;
  }

  String logText() {
    try {
      String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip() : "";
      return "--- " + log + (text.isEmpty() ? " (empty)" : ":\n" + text);
    } catch (IOException e) {
      return "--- " + log + " unreadable: " + e;
    }
  }

  /** Stops the process (SIGTERM, then SIGKILL after {@code EXIT}) and the processes it started, and waits. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      for (ProcessHandle child : children) {
        if (child.isAlive()) {
          child.destroy();
          try {
            child.onExit().get(EXIT.toMillis(), TimeUnit.MILLISECONDS);
          } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            child.destroyForcibly();
          }
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    }
  }
}
