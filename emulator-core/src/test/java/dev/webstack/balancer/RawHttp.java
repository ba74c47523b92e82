package dev.webstack.balancer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Test helper: one HTTP/1.1 exchange written byte for byte on a fresh socket, for requests {@link
 * java.net.http.HttpClient} will not send (hop-by-hop headers, {@code Transfer-Encoding: gzip}) and for answers
 * it would hide (a {@code Connection} header, a close after the response). Reads until the peer closes or the read
 * deadline passes, so requests should say {@code Connection: close}.
 */
final class RawHttp {

  static final String HOST = "Host: www.foobar.com\r\n";

  private RawHttp() {}

  /** What came back: the raw text, or the text so far followed by {@code <<exception>>} on a reset. */
  record Answer(String text) {
    /** The status code, 0 when no status line came. */
    int status() {
      return text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
    }

    /** The head: status line and header lines. */
    String head() {
      int end = text.indexOf("\r\n\r\n");
      return end < 0 ? text : text.substring(0, end + 2);
    }

    String body() {
      int end = text.indexOf("\r\n\r\n");
      return end < 0 ? "" : text.substring(end + 4);
    }

    /** The first value of header {@code name} (case-insensitive). */
    Optional<String> header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      for (String line : head().split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
          return Optional.of(line.substring(prefix.length()).trim());
        }
      }
      return Optional.empty();
    }
  }

  static Answer exchange(InetSocketAddress to, String request) {
    return exchange(to, request, 10_000);
  }

  static Answer exchange(InetSocketAddress to, String request, int readTimeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(to, 2000);
      socket.setSoTimeout(readTimeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          got.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        got.write("<<read timed out>>".getBytes(StandardCharsets.ISO_8859_1));
      } catch (SocketException e) {
        got.write(("<<" + e + ">>").getBytes(StandardCharsets.ISO_8859_1));
      }
      return new Answer(got.toString(StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      throw new UncheckedIOException("exchange with " + to + ": " + e, e);
    }
  }
}
