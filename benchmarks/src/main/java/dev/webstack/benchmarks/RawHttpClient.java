package dev.webstack.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal blocking HTTP/1.1 client for one URL over one keep-alive socket: it writes a fixed GET request and
 * reads the status line, the headers and a {@code Content-Length} or chunked body. It exists so the hop benchmark
 * can measure the stack's forwarding cost without {@code java.net.http}'s own per-request overhead (its selector
 * thread and executor hand-offs), which is several times larger than one loopback hop.
 *
 * <p>Not thread-safe: one instance per benchmark thread. The socket is reopened when the server closes it.
 */
final class RawHttpClient implements AutoCloseable {

  private final InetSocketAddress address;
  private final byte[] request;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  /** A client that sends {@code GET <path>} to the host and port of {@code uri}. */
  RawHttpClient(URI uri) {
    this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
        + "\r\nAccept: */*\r\nUser-Agent: webstack-benchmarks\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Sends the request and reads the whole response.
   *
   * @return the response body
   * @throws IOException on a socket error or a status other than 200
   */
  byte[] get() throws IOException {
    if (socket == null) {
      connect();
    }
    try {
      return exchange();
    } catch (EOFException | SocketException e) {
      // The server closed the keep-alive connection between two requests: reconnect once, as browsers do.
      close();
      connect();
      return exchange();
    }
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(address, 5_000);
    s.setSoTimeout(10_000);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 8192);
    out = s.getOutputStream();
  }

  private byte[] exchange() throws IOException {
    out.write(request);
    out.flush();
    String status = readLine();
    if (status.isEmpty()) {
      throw new EOFException("connection closed before the status line");
    }
    if (!status.startsWith("HTTP/1.1 200")) {
      throw new IOException("unexpected response from " + address + ": " + status);
    }
    long length = -1;
    boolean chunked = false;
    boolean closeAfter = false;
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> closeAfter = value.equalsIgnoreCase("close");
        default -> { }
      }
    }
    byte[] body;
    if (chunked) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine();
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        if (size == 0) {
          while (!readLine().isEmpty()) {
            // trailers
          }
          break;
        }
        b.write(readExactly(size));
        readLine();
      }
      body = b.toByteArray();
    } else if (length >= 0) {
      body = readExactly((int) length);
    } else {
      body = in.readAllBytes();
      closeAfter = true;
    }
    if (closeAfter) {
      close();
    }
    return body;
  }

  private byte[] readExactly(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException("body ended after " + b.length + " of " + n + " bytes");
    }
    return b;
  }

  /** One CRLF-terminated line without its terminator; empty at a blank line or at end of stream. */
  private String readLine() throws IOException {
    StringBuilder b = new StringBuilder(64);
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int len = b.length();
        if (len > 0 && b.charAt(len - 1) == '\r') {
          b.setLength(len - 1);
        }
        return b.toString();
      }
      b.append((char) c);
    }
    if (b.length() == 0) {
      return "";
    }
    throw new EOFException("line ended by end of stream: " + b);
  }

  @Override
  public void close() {
    Socket s = socket;
    socket = null;
    in = null;
    out = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
