package dev.webstack.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Test helper: one request over a raw socket (bytes exactly as written), the whole response until the close. */
final class RawHttp {
  private RawHttp() {}

  /** Sends {@code request} (which should ask for {@code Connection: close}) and reads until the server closes. */
  static String exchange(InetSocketAddress address, String request) {
    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      in.transferTo(response);
      return response.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(address + ": " + e, e);
    }
  }

  /** {@code GET path} with {@code Host: www.foobar.com} and {@code Connection: close}. */
  static String request(String method, String path) {
    return method + " " + path + " HTTP/1.1\r\nHost: www.foobar.com\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  }

  /** The status line's code. */
  static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  /** The first value of a response field, or null. */
  static String header(String response, String name) {
    for (String line : response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  static String body(String response) {
    return response.substring(response.indexOf("\r\n\r\n") + 4);
  }
}
