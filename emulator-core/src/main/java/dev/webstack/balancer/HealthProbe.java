package dev.webstack.balancer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One health check over real loopback TCP, blocking, bounded by the check timeout: a connect (HAProxy's default
 * check), or a connect then {@code GET <path> HTTP/1.0} whose status line is read ({@code option httpchk}). The
 * results carry HAProxy's check status codes and reason texts.
 *
 * <p>A TCP check passes as soon as the connection is established, as HAProxy's does, so it passes on a server
 * that accepts connections but never answers; only an HTTP check sees such a hang, as {@code L7TOUT}. Unlike
 * HAProxy, which resets the connection at once, it then half-closes and waits up to 50 ms (within the check
 * timeout) for the server to close its side, so that no check connection is still queued on a listener when a
 * test kills the node right after the check; then it resets, leaving no TIME_WAIT socket behind.
 */
final class HealthProbe {

  private static final Logger LOG = LoggerFactory.getLogger(HealthProbe.class);
  private static final int MAX_STATUS_LINE = 8192;
  private static final long PEER_CLOSE_WAIT_NANOS = 50_000_000L;

  private HealthProbe() {}

  /** HAProxy's check status codes ({@code check_status} in {@code show stat}), with its reason texts. */
  enum Status {
    INI("Initializing", true),
    L4OK("Layer4 check passed", true),
    L4TOUT("Layer4 timeout", false),
    L4CON("Layer4 connection problem", false),
    L7OK("Layer7 check passed", true),
    L7TOUT("Layer7 timeout", false),
    L7RSP("Layer7 invalid response", false),
    L7STS("Layer7 wrong status", false),
    HANA("Health analyze", false);

    final String reason;
    final boolean passed;

    Status(String reason, boolean passed) {
      this.reason = reason;
      this.passed = passed;
    }
  }

  /** A check's outcome: status, HTTP code (0 when none), HAProxy's info text (may be empty), real duration. */
  record Result(Status status, int code, String info, long nanos) {
    boolean passed() {
      return status.passed;
    }

    /** HAProxy's {@code reason: ..., code: ..., info: "...", check duration: Nms} part of a log line. */
    String describe() {
      StringBuilder b = new StringBuilder("reason: ").append(status.reason);
      if (code != 0) {
        b.append(", code: ").append(code);
      }
      if (!info.isEmpty()) {
        b.append(", info: \"").append(info).append('"');
      }
      return b.append(", check duration: ").append(Duration.ofNanos(nanos).toMillis()).append("ms").toString();
    }
  }

  /**
   * Checks {@code address}.
   *
   * @param httpPath the HTTP check's path, or null for a TCP connect check
   * @param host the Host header of an HTTP check
   */
  static Result check(InetSocketAddress address, Duration timeout, String httpPath, String host) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    try (Socket socket = new Socket()) {
      try {
        socket.connect(address, millisLeft(deadline));
      } catch (SocketTimeoutException e) {
        return new Result(Status.L4TOUT, 0, "", System.nanoTime() - start);
      } catch (ConnectException e) {
        return new Result(Status.L4CON, 0, info(e), System.nanoTime() - start);
      }
      if (httpPath == null) {
        long nanos = System.nanoTime() - start;
        awaitPeerClose(socket, deadline);
        return new Result(Status.L4OK, 0, "", nanos);
      }
      return httpCheck(socket, httpPath, host, start, deadline);
    } catch (IOException e) {
      // A connection that failed in another way (reset while connecting, no route): HAProxy's L4CON too.
      LOG.debug("health check of {} failed: {}", address, e.toString());
      return new Result(Status.L4CON, 0, info(e), System.nanoTime() - start);
    }
  }

  private static Result httpCheck(Socket socket, String path, String host, long start, long deadline)
      throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: webstack-emulator health check"
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder line = new StringBuilder();
    try {
      while (true) {
        socket.setSoTimeout(millisLeft(deadline));
        int c = in.read();
        if (c < 0) {
          return new Result(Status.L7RSP, 0, line.length() == 0 ? "Empty response" : "Truncated status line",
              System.nanoTime() - start);
        }
        if (c == '\n') {
          break;
        }
        if (line.length() == MAX_STATUS_LINE) {
          return new Result(Status.L7RSP, 0, "Status line too long", System.nanoTime() - start);
        }
        line.append((char) c);
      }
    } catch (SocketTimeoutException e) {
      return new Result(Status.L7TOUT, 0, "", System.nanoTime() - start);
    }
    long nanos = System.nanoTime() - start;
    String[] parts = line.toString().trim().split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
      return new Result(Status.L7RSP, 0, "Invalid status line", nanos);
    }
    int code = Integer.parseInt(parts[1]);
    String reason = parts.length == 3 ? parts[2] : "";
    return new Result(code >= 200 && code < 400 ? Status.L7OK : Status.L7STS, code, reason, nanos);
  }

  /**
   * After a TCP check connected: half-closes and waits a little for the server to close its side, which proves
   * the server's I/O thread took the connection off its listener's queue. Without it, a node killed right after a
   * check (the usual step of a manual-clock test) would close a listener with that connection still queued,
   * which XNIO reports as errors. The check passed either way: whatever happens here changes no result.
   */
  private static void awaitPeerClose(Socket socket, long deadline) {
    try {
      socket.shutdownOutput();
      long wait = Math.min(PEER_CLOSE_WAIT_NANOS, deadline - System.nanoTime());
      if (wait > 1_000_000) {
        socket.setSoTimeout((int) (wait / 1_000_000));
        while (socket.getInputStream().read() >= 0) {
          // a server that talks first: read on until it closes or the wait ends
        }
      }
    } catch (IOException e) {
      LOG.trace("TCP check of {}: server did not close within the wait ({})", socket.getRemoteSocketAddress(),
          e.toString());
    }
    try {
      socket.setSoLinger(true, 0); // no TIME_WAIT left behind by checks, as HAProxy's checks close
    } catch (IOException e) {
      LOG.trace("TCP check of {}: could not set linger ({})", socket.getRemoteSocketAddress(), e.toString());
    }
  }

  /** The remaining time, at least 1 ms (0 would mean "no timeout" to the socket). */
  private static int millisLeft(long deadline) {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left));
  }

  /** The JDK's message without its decoration, for example {@code Connection refused}. */
  private static String info(IOException e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int paren = m.indexOf(" (");
    return (paren > 0 ? m.substring(0, paren) : m).trim().toLowerCase(Locale.ROOT).equals("connection refused")
        ? "Connection refused"
        : m;
  }
}
