package dev.webstack.inspection;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One request as a node saw it. Immutable.
 *
 * @param sequence the request's number on this node, from 1
 * @param time when the node received it, on the stack's clock
 * @param node the node, for example {@code web-2}
 * @param method the HTTP method
 * @param path the request path with its query, as received
 * @param status the status the node answered (0 when the connection closed before an answer)
 * @param latency from receiving the request to starting the answer (its status line), in real time
 * @param upstream the server a proxying node forwarded to last (a retry replaces the first choice), if any
 * @param fault the faults that acted on the request, for example {@code slow 20 ms, failWith 503}, if any
 */
public record RequestRecord(long sequence, Instant time, String node, String method, String path, int status,
    Duration latency, Optional<String> upstream, Optional<String> fault) {

  public RequestRecord {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(fault, "fault");
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%s #%d %s %s %s -> %s %.2f ms%s%s", time, sequence, node, method, path,
        status == 0 ? "closed" : Integer.toString(status), latency.toNanos() / 1e6,
        upstream.map(u -> " via " + u).orElse(""), fault.map(f -> " [fault: " + f + "]").orElse(""));
  }
}
