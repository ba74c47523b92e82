package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.HashKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The algorithm and weights chosen in the spec decide, over real HTTP, which web server each request reaches. */
class BalancerAlgorithmTest {

  private static List<String> webs(EmulatedStack stack, int requests) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      out.add(RequestPath.of(Http.get(stack.httpClient(), "http://www.foobar.com/")).first("web").orElseThrow());
    }
    return out;
  }

  private static StackSpec weighted(BalancingAlgorithm algorithm) {
    return StackSpec.distributed().toBuilder()
        .loadBalancer(lb -> lb.algorithm(algorithm))
        .webServers(3, web -> web.weight(web.name().equals("web-1") ? 5 : 1))
        .build();
  }

  @Test
  void nginxRoundRobin_followsNginxsSmoothOrderOverHttp() {
    try (EmulatedStack stack = weighted(BalancingAlgorithm.nginxRoundRobin()).start()) {
      assertThat(webs(stack, 7)).containsExactly("web-1", "web-1", "web-2", "web-1", "web-3", "web-1", "web-1");
    }
  }

  @Test
  void haproxyRoundRobin_followsHaproxysOrderOverHttp() {
    try (EmulatedStack stack = weighted(BalancingAlgorithm.haproxyRoundRobin()).start()) {
      assertThat(webs(stack, 7)).containsExactly("web-1", "web-1", "web-1", "web-2", "web-1", "web-1", "web-3");
    }
  }

  @Test
  void sourceHash_sendsOneClientToOneServer() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder()
        .loadBalancer(lb -> lb.algorithm(BalancingAlgorithm.sourceHash())).build().start()) {
      assertThat(webs(stack, 6)).containsOnly(webs(stack, 1).get(0));
    }
  }

  /**
   * HAProxy's {@code balance hdr(name)} (get_server_hh): "if the header is not found or empty, let's fallback to
   * round robin". An empty value is no key, as a missing header is.
   */
  @Test
  void headerHash_emptyHeaderValue_goesRoundRobinAsAMissingHeaderDoes() throws IOException, InterruptedException {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder()
        .loadBalancer(lb -> lb.algorithm(BalancingAlgorithm.hash(HashKey.header("X-User")))).build().start()) {
      List<String> webs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        HttpResponse<String> r = stack.httpClient().send(
            HttpRequest.newBuilder(URI.create("http://www.foobar.com/")).header("X-User", "").build(),
            HttpResponse.BodyHandlers.ofString());
        webs.add(RequestPath.of(r).first("web").orElseThrow());
      }

      assertThat(webs).containsExactly("web-1", "web-2", "web-1", "web-2");
    }
  }

  @Test
  void zeroWeight_drainsAServer() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder()
        .loadBalancer(lb -> lb.algorithm(BalancingAlgorithm.nginxRoundRobin()))
        .webServers(2, web -> web.weight(web.name().equals("web-2") ? 0 : 1)).build().start()) {
      assertThat(webs(stack, 4)).containsOnly("web-1");
    }
  }
}
