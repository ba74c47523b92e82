package dev.webstack;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The nodes a response came through, read from its headers. Every proxying node (balancer, web server forwarding
 * to the application tier) appends {@code Via: 1.1 <node>} to the response, nearest the origin first (RFC 9110
 * §7.6.3); the origin that produced the response names itself in {@code X-Served-By}. So the response to {@code
 * GET http://www.foobar.com/api/posts} on the distributed preset reads {@code Via: 1.1 web-2, 1.1 lb-1} and {@code
 * X-Served-By: app-1}, and its path is {@code lb-1 > web-2 > app-1}. The database nodes the application used are
 * in {@code X-Database} ({@link #databaseNodes(HttpResponse)}): the database role of the path.
 *
 * @param hops the node names in the order the request visited them
 */
public record RequestPath(List<String> hops) {

  public RequestPath {
    hops = List.copyOf(hops);
  }

  public static RequestPath of(HttpResponse<?> response) {
    return of(response.headers());
  }

  public static RequestPath of(HttpHeaders headers) {
    List<String> proxies = new ArrayList<>();
    for (String header : headers.allValues("via")) {
      for (String entry : header.split(",")) {
        String[] parts = entry.trim().split("\\s+");
        if (parts.length >= 2) {
          proxies.add(parts[1]);
        }
      }
    }
    Collections.reverse(proxies);
    headers.firstValue("x-served-by").ifPresent(proxies::add);
    return new RequestPath(proxies);
  }

  /** The first hop of the given kind's naming convention, for example {@code web} finds {@code web-2}. */
  public Optional<String> first(String prefix) {
    return hops.stream().filter(h -> h.startsWith(prefix)).findFirst();
  }

  /**
   * The database nodes the application server's handler used for this request (from the {@code X-Database}
   * header), in first-use order: {@code [db-2]} for a read served by a replica, {@code [db-1]} for a write. Empty
   * when the request used no database.
   */
  public static List<String> databaseNodes(HttpResponse<?> response) {
    return response.headers().firstValue("x-database")
        .map(v -> java.util.Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
        .orElse(List.of());
  }

  /** The node that produced the response (the last hop). */
  public Optional<String> origin() {
    return hops.isEmpty() ? Optional.empty() : Optional.of(hops.get(hops.size() - 1));
  }

  @Override
  public String toString() {
    return String.join(" > ", hops);
  }
}
