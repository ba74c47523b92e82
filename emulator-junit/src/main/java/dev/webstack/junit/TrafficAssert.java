package dev.webstack.junit;

import dev.webstack.junit.TrafficRecorder.Exchange;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the requests a {@link TrafficRecorder} sent; obtained from {@link
 * WebStackAssertions#assertThat(TrafficRecorder)}. A node served a request when it appears in its path.
 */
public final class TrafficAssert extends AbstractAssert<TrafficAssert, TrafficRecorder> {

  TrafficAssert(TrafficRecorder actual) {
    super(actual, TrafficAssert.class);
  }

  /** Checks that every recorded request got a 2xx response. */
  public TrafficAssert allSucceeded() {
    isNotNull();
    List<Exchange> failed = actual.exchanges().stream().filter(e -> !e.isSuccess()).toList();
    if (!failed.isEmpty()) {
      failWithMessage("Expected every request to stack %s to succeed, but %d of %d did not:%s", actual.stack().name(),
          failed.size(), actual.exchanges().size(), lines(failed));
    }
    return this;
  }

  /** Checks how many requests were recorded. */
  public TrafficAssert hasRequestCount(int expected) {
    isNotNull();
    int count = actual.exchanges().size();
    if (count != expected) {
      failWithMessage("Expected %d requests to stack %s, but %d were recorded:%s", expected, actual.stack().name(),
          count, lines(actual.exchanges()));
    }
    return this;
  }

  /** Continues with the requests {@code node} served. */
  public Served node(String node) {
    isNotNull();
    return new Served(node);
  }

  /**
   * Checks that the named nodes served the same number of requests, give or take one, as round robin does among
   * servers that stay up.
   */
  public TrafficAssert servedEvenly(String... nodes) {
    isNotNull();
    Map<String, Long> counts = new LinkedHashMap<>();
    Arrays.stream(nodes).forEach(n -> counts.put(n, actual.servedBy(n)));
    long min = counts.values().stream().mapToLong(Long::longValue).min().orElse(0);
    long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
    if (max - min > 1) {
      failWithMessage("Expected %s to have served requests evenly (within one), but they served %s%nrequests:%s",
          Arrays.asList(nodes), counts, lines(actual.exchanges()));
    }
    return this;
  }

  private static String lines(List<Exchange> exchanges) {
    StringBuilder b = new StringBuilder();
    for (Exchange e : exchanges) {
      b.append(String.format("%n  ")).append(e);
    }
    return b.length() == 0 ? " none" : b.toString();
  }

  /** The requests one node served. */
  public final class Served {
    private final String node;

    Served(String node) {
      this.node = node;
    }

    /** Checks that the node served exactly {@code expected} requests. */
    public TrafficAssert served(long expected) {
      long count = actual.servedBy(node);
      if (count != expected) {
        failWithMessage("Expected %s to have served %d requests, but it served %d (all nodes: %s)%nrequests:%s",
            node, expected, count, actual.servedCounts(), lines(actual.exchanges()));
      }
      return TrafficAssert.this;
    }

    /** Checks that the node served no request. */
    public TrafficAssert servedNone() {
      return served(0);
    }

    /** Checks that the node served at least one request. */
    public TrafficAssert servedSome() {
      long count = actual.servedBy(node);
      if (count == 0) {
        failWithMessage("Expected %s to have served some requests, but it served none (all nodes: %s)%nrequests:%s",
            node, actual.servedCounts(), lines(actual.exchanges()));
      }
      return TrafficAssert.this;
    }
  }
}
