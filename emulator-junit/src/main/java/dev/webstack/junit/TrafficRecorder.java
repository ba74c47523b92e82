package dev.webstack.junit;

import dev.webstack.EmulatedStack;
import dev.webstack.RequestPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends requests through a stack's {@link EmulatedStack#httpClient() client} and keeps what came back: status,
 * body and the {@link RequestPath} each response took, so a test can ask how many requests a node served. A node
 * <em>served</em> a request when it appears in the request's path: the balancer and web server that forwarded
 * it and the node that answered. A request that could not be sent at all (an I/O error) is kept too, with its
 * error, so that nothing a schedule did goes unseen.
 *
 * <p>Thread-safe; requests sent from several threads are kept in the order they completed.
 */
public final class TrafficRecorder {

  /** How long one request may take before it is recorded as failed. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final EmulatedStack stack;
  private final List<Exchange> exchanges = new ArrayList<>();

  private TrafficRecorder(EmulatedStack stack) {
    this.stack = Objects.requireNonNull(stack, "stack");
  }

  /** A recorder sending through {@code stack}'s own client. */
  public static TrafficRecorder of(EmulatedStack stack) {
    return new TrafficRecorder(stack);
  }

  /** The stack this recorder sends to. */
  public EmulatedStack stack() {
    return stack;
  }

  /**
   * Sends {@code GET url}, for example {@code http://www.foobar.com/api/posts}, and records it.
   *
   * @throws IllegalStateException when the calling thread is interrupted while waiting (the interrupt is kept)
   */
  public Exchange get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build());
  }

  /** Sends {@code request} and records the response, or the I/O error that replaced it. */
  public Exchange send(HttpRequest request) {
    Exchange exchange;
    try {
      HttpResponse<String> r = stack.httpClient().send(request, HttpResponse.BodyHandlers.ofString());
      exchange = new Exchange(request.method(), request.uri(), r.statusCode(), RequestPath.of(r), r.body(), null);
    } catch (IOException e) {
      exchange = new Exchange(request.method(), request.uri(), 0, new RequestPath(List.of()), "",
          e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending " + request.method() + " " + request.uri(), e);
    }
    synchronized (exchanges) {
      exchanges.add(exchange);
    }
    return exchange;
  }

  /** Every exchange so far, oldest first. */
  public List<Exchange> exchanges() {
    synchronized (exchanges) {
      return List.copyOf(exchanges);
    }
  }

  /** How many recorded requests {@code node} served (appears in their path). */
  public long servedBy(String node) {
    return exchanges().stream().filter(e -> e.path().hops().contains(node)).count();
  }

  /** For every node that served at least one request, how many it served; in order of first appearance. */
  public Map<String, Long> servedCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Exchange e : exchanges()) {
      for (String hop : e.path().hops()) {
        counts.merge(hop, 1L, Long::sum);
      }
    }
    return counts;
  }

  /** Forgets every exchange. */
  public void clear() {
    synchronized (exchanges) {
      exchanges.clear();
    }
  }

  @Override
  public String toString() {
    return "TrafficRecorder[" + stack.name() + ", " + exchanges().size() + " exchanges]";
  }

  /**
   * One request and what came back.
   *
   * @param method the request method
   * @param uri the URL as sent, in the stack's world ({@code http://www.foobar.com/...})
   * @param status the response status, or 0 when no response came (see {@code error})
   * @param path the nodes the response came through; empty without a response
   * @param body the response body
   * @param error the I/O error instead of a response, or null
   */
  public record Exchange(String method, URI uri, int status, RequestPath path, String body, String error) {

    /** The I/O error that replaced the response, if any. */
    public Optional<String> failure() {
      return Optional.ofNullable(error);
    }

    /** True for a response with a 2xx status. */
    public boolean isSuccess() {
      return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
      String outcome = error != null ? "failed: " + error : status + (path.hops().isEmpty() ? "" : " via " + path);
      return method + " " + uri + " -> " + outcome;
    }
  }
}
