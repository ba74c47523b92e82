package dev.webstack.benchmarks.peers;

import com.netflix.loadbalancer.BaseLoadBalancer;
import com.netflix.loadbalancer.IRule;
import com.netflix.loadbalancer.RandomRule;
import com.netflix.loadbalancer.RoundRobinRule;
import com.netflix.loadbalancer.Server;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Result;
import org.apache.dubbo.rpc.RpcInvocation;
import org.apache.dubbo.rpc.cluster.LoadBalance;
import org.apache.dubbo.rpc.cluster.loadbalance.ConsistentHashLoadBalance;
import org.apache.dubbo.rpc.cluster.loadbalance.LeastActiveLoadBalance;
import org.apache.dubbo.rpc.cluster.loadbalance.RandomLoadBalance;
import org.apache.dubbo.rpc.cluster.loadbalance.RoundRobinLoadBalance;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.loadbalancer.core.RandomLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.ServiceInstanceListSuppliers;

/**
 * The peers' pickers, each built the way its library is used standalone (no container, no registry, no network):
 * {@code n} equal-weight servers 10.0.x.y, all up. Names are {@code library-job}; the job (roundrobin, random,
 * leastconn, hash, weighted-rr) is what benchmarks/charts.py matches against our algorithms.
 */
final class Peers {

  /** Keys for the hashing peers: 1024 distinct client addresses, as strings (what Dubbo hashes). */
  static final int KEY_MASK = 1023;
  static final String[] KEYS = new String[KEY_MASK + 1];

  static {
    for (int i = 0; i < KEYS.length; i++) {
      KEYS[i] = "192.168." + (i >> 8) + "." + (i & 255);
    }
  }

  static final String SERVICE = "dev.webstack.benchmarks.Svc";

  private Peers() {}

  static PeerPicker create(String peer, int n) throws Exception {
    switch (peer) {
      case "dubbo-weighted-rr": return dubbo(new RoundRobinLoadBalance(), n);
      case "dubbo-random": return dubbo(new RandomLoadBalance(), n);
      case "dubbo-leastconn": return dubbo(new LeastActiveLoadBalance(), n);
      case "dubbo-hash": return dubbo(new ConsistentHashLoadBalance(), n);
      case "ribbon-roundrobin": return ribbon(new RoundRobinRule(), n);
      case "ribbon-random": return ribbon(new RandomRule(), n);
      case "spring-roundrobin": return spring(id -> new RoundRobinLoadBalancer(supplier(id, n), id));
      case "spring-random": return spring(id -> new RandomLoadBalancer(supplier(id, n), id));
      case "grpc-roundrobin": return GrpcRoundRobin.create(n);
      case "undertow-roundrobin": return undertow(n);
      default: throw new IllegalArgumentException("unknown peer " + peer);
    }
  }

  // ---- Apache Dubbo: LoadBalance#select(invokers, url, invocation), stub invokers, weight 100 (Dubbo's default).
  // LeastActive reads RpcStatus counts, which stay 0 here (nothing calls RpcStatus.beginCount), so every pick
  // sees n servers tied at 0 active and draws among them by weight, as ours sees a constant in-flight of 0.

  @SuppressWarnings("deprecation") // the RpcInvocation constructors that are not deprecated want a ServiceModel
  private static PeerPicker dubbo(LoadBalance lb, int n) {
    List<Invoker<Object>> invokers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      invokers.add(new StubInvoker(URL.valueOf(
          "dubbo://10.0." + (i >> 8) + "." + (i & 255) + ":20880/" + SERVICE + "?weight=100")));
    }
    URL consumer = URL.valueOf("consumer://10.1.0.1/" + SERVICE);
    Invocation[] invocations = new Invocation[KEYS.length];
    for (int i = 0; i < KEYS.length; i++) {
      // ConsistentHashLoadBalance hashes the first argument (hash.arguments=0 by default) with MD5 on each pick.
      invocations[i] = new RpcInvocation("get", SERVICE, SERVICE, new Class<?>[] {String.class},
          new Object[] {KEYS[i]});
    }
    return i -> lb.select(invokers, consumer, invocations[i & KEY_MASK]);
  }

  static final class StubInvoker implements Invoker<Object> {
    private final URL url;

    StubInvoker(URL url) {
      this.url = url;
    }

    @Override public Class<Object> getInterface() { return Object.class; }
    @Override public Result invoke(Invocation invocation) { throw new UnsupportedOperationException(); }
    @Override public URL getUrl() { return url; }
    @Override public boolean isAvailable() { return true; }
    @Override public void destroy() {}
    @Override public String toString() { return url.getAddress(); }
  }

  // ---- Netflix Ribbon: BaseLoadBalancer#chooseServer(key) -> IRule#choose, as a Ribbon client calls it. No IPing,
  // so every server is taken as alive (BaseLoadBalancer's canSkipPing).

  private static PeerPicker ribbon(IRule rule, int n) {
    BaseLoadBalancer lb = new BaseLoadBalancer();
    lb.setRule(rule);
    List<Server> servers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      servers.add(new Server("10.0." + (i >> 8) + "." + (i & 255), 8080));
    }
    lb.addServers(servers);
    return i -> lb.chooseServer(null);
  }

  // ---- Spring Cloud LoadBalancer: ReactorServiceInstanceLoadBalancer#choose(request), blocked on, with a fixed
  // ServiceInstanceListSupplier (no Spring context): Reactor's Mono assembly is part of every pick.

  private static ServiceInstance[] instances(String serviceId, int n) {
    ServiceInstance[] out = new ServiceInstance[n];
    for (int i = 0; i < n; i++) {
      out[i] = new DefaultServiceInstance(serviceId + "-" + i, serviceId, "10.0." + (i >> 8) + "." + (i & 255),
          8080, false, Map.of());
    }
    return out;
  }

  private static ObjectProvider<ServiceInstanceListSupplier> supplier(String serviceId, int n) {
    return ServiceInstanceListSuppliers.toProvider(serviceId, instances(serviceId, n));
  }

  private static PeerPicker spring(Function<String, ReactorServiceInstanceLoadBalancer> make) {
    ReactorServiceInstanceLoadBalancer lb = make.apply("svc");
    Request<?> request = new DefaultRequest<>();
    return i -> lb.choose(request).block().getServer();
  }

  // ---- Undertow: LoadBalancingProxyClient's default RoundRobinHostSelector (a package-private nested class,
  // constructed by reflection), called through its public HostSelector interface as selectHost(hosts, exchange)
  // is. Undertow's linear probe for an AVAILABLE host lives in LoadBalancingProxyClient#selectHost, which needs
  // live connection pools on an XNIO thread, so only the selector's incrementAndGet() % n is measured.

  private static PeerPicker undertow(int n) throws Exception {
    Class<?> c = Class.forName(LoadBalancingProxyClient.class.getName() + "$RoundRobinHostSelector");
    Constructor<?> ctor = c.getDeclaredConstructor();
    ctor.setAccessible(true);
    LoadBalancingProxyClient.HostSelector selector = (LoadBalancingProxyClient.HostSelector) ctor.newInstance();
    LoadBalancingProxyClient.Host[] hosts = new LoadBalancingProxyClient.Host[n];
    // The selector answers an index into the host array; return a per-host object (as the proxy client then
    // reads hosts[index]) rather than a boxed int, which would allocate above 127.
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = "10.0." + (i >> 8) + "." + (i & 255);
    }
    return i -> names[selector.selectHost(hosts, null)];
  }
}
