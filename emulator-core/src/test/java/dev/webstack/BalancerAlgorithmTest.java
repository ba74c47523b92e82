package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webstack.balancer.BalancingAlgorithm;
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

  @Test
  void zeroWeight_drainsAServer() {
    try (EmulatedStack stack = StackSpec.distributed().toBuilder()
        .loadBalancer(lb -> lb.algorithm(BalancingAlgorithm.nginxRoundRobin()))
        .webServers(2, web -> web.weight(web.name().equals("web-2") ? 0 : 1)).build().start()) {
      assertThat(webs(stack, 4)).containsOnly("web-1");
    }
  }
}
