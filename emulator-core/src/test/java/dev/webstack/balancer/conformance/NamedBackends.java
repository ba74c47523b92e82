package dev.webstack.balancer.conformance;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Backends for the real balancers: one JDK {@link HttpServer} per name on {@code 127.0.0.1}, each answering every
 * request with {@code 200} and its own name as the body. The JDK server is used rather than the emulator's
 * Undertow nodes so that what the test observes depends on the real balancer and nothing else of ours.
 */
final class NamedBackends implements AutoCloseable {

  private final Map<String, HttpServer> servers = new LinkedHashMap<>();

  private NamedBackends() {}

  static NamedBackends start(String... names) throws IOException {
    NamedBackends backends = new NamedBackends();
    try {
      for (String name : names) {
        backends.servers.put(name, serve(name));
      }
    } catch (IOException | RuntimeException e) {
      backends.close();
      throw e;
    }
    return backends;
  }

  private static HttpServer serve(String name) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    byte[] body = name.getBytes(StandardCharsets.US_ASCII);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
        in.readAllBytes();
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, body.length);
        out.write(body);
      }
    });
    server.start(); // default executor: the dispatcher thread answers, which is all one request at a time needs
    return server;
  }

  /** The port {@code name} listens on, on 127.0.0.1. */
  int port(String name) {
    HttpServer server = servers.get(name);
    if (server == null) {
      throw new IllegalArgumentException("no backend named " + name + " (have " + servers.keySet() + ")");
    }
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    servers.values().forEach(server -> server.stop(0));
  }
}
