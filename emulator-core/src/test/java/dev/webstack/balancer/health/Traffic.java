package dev.webstack.balancer.health;

import dev.webstack.EmulatedStack;
import dev.webstack.RequestPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Test helper: blocking GETs through the stack's client, and the web or app server each one reached. */
final class Traffic {

  static final String SITE = "http://www.foobar.com";

  private Traffic() {}

  static HttpResponse<String> get(EmulatedStack stack, String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(SITE + path)).timeout(Duration.ofSeconds(20)).build();
    try {
      return stack.httpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + request.uri(), e);
    }
  }

  /** The first hop whose name starts with {@code prefix} ({@code web} or {@code app}) of {@code n} GETs. */
  static List<String> hops(EmulatedStack stack, String path, String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = get(stack, path);
      if (r.statusCode() != 200) {
        throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      out.add(RequestPath.of(r).first(prefix).orElseThrow());
    }
    return out;
  }

  /** The web servers {@code n} GETs of the home page went through. */
  static List<String> webs(EmulatedStack stack, int n) {
    return hops(stack, "/", "web", n);
  }
}
