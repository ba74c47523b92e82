package dev.webstack.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * HAProxy's {@code balance uri} hashes the request target left of {@code '?'}; {@code balance uri whole} hashes it
 * with the query. Requests go straight to the balancer so the target reaches it as written.
 */
class UriHashTest {

  @Test
  void uriHash_onePathWithManyQueries_goesToOneServer() {
    assertThat(webServersFor(BalancingAlgorithm.uriHash(), 20)).as("web servers for one path with 20 queries")
        .hasSize(1);
  }

  @Test
  void wholeUriHash_onePathWithManyQueries_spreadsByQuery() {
    assertThat(webServersFor(BalancingAlgorithm.hash(HashKey.wholeUri()), 20))
        .as("web servers for one path with 20 queries").hasSize(2);
  }

  @Test
  void wholeUriHash_isNamedAsHaproxysBalanceLine() {
    assertThat(BalancingAlgorithm.hash(HashKey.wholeUri()).name()).isEqualTo("uri whole");
    assertThat(HashKey.wholeUri()).hasToString("uri whole").isNotEqualTo(HashKey.uri());
  }

  private static Set<String> webServersFor(BalancingAlgorithm algorithm, int queries) {
    StackSpec spec = StackSpec.distributed().toBuilder().manualClock()
        .loadBalancer(lb -> lb.algorithm(algorithm)).build();
    Set<String> webs = new HashSet<>();
    try (EmulatedStack stack = spec.start()) {
      for (int i = 0; i < queries; i++) {
        RawHttp.Answer r = RawHttp.exchange(stack.node("lb-1").address(), "GET /index.html?page=" + i
            + " HTTP/1.1\r\n" + RawHttp.HOST + "Connection: close\r\n\r\n");
        assertThat(r.status()).as("status of request %d: %s", i, r.text()).isEqualTo(200);
        webs.add(r.header("X-Served-By").orElseThrow());
      }
    }
    return webs;
  }
}
