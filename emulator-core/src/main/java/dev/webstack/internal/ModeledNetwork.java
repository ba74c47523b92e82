package dev.webstack.internal;

import dev.webstack.StackClock;
import dev.webstack.dns.DnsAnswer;
import dev.webstack.dns.DnsLookupException;
import dev.webstack.dns.DnsNames;
import dev.webstack.dns.DnsResponse;
import dev.webstack.dns.StackResolver;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The modeled internet of one stack as its clients see it: names resolve through a caching stub resolver to
 * modeled addresses, and a modeled address and port lead to the node listening there. The hosts and listeners
 * are fixed at assembly; the zone behind the resolver may change at run time.
 *
 * <h2>The clients' resolver cache</h2>
 *
 * The stack's clients ({@code stack.httpClient()} through the gateway, and {@code stack.uri(..)}) share one cache,
 * as the clients of one office share their recursive resolver. It keeps every response for its {@link
 * DnsResponse#cacheTtl()} on the stack's clock: an answer for its TTL, an NXDOMAIN for the zone's negative TTL
 * (RFC 2308), a SERVFAIL not at all. So a record changed at run time reaches clients only once the old answer
 * expires, which a test sees exactly by advancing a manual clock. A response that takes a while to arrive (a
 * slow name) is cached when it arrives.
 *
 * <h2>Several addresses</h2>
 *
 * When a name has several A records, a client tries them in the zone's order and takes the first whose port
 * answers, as curl and browsers do when a connection is refused.
 *
 * <p>Thread-safe.
 */
public final class ModeledNetwork {

  /** Cached responses kept at most; a run that asks for more names than that starts over. */
  static final int CACHE_LIMIT = 10_000;

  /** Why a modeled destination cannot be reached, in words a test failure can show. */
  public static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean dns;

    Unreachable(String message, boolean dns, Throwable cause) {
      super(message, cause);
      this.dns = dns;
    }

    /**
     * True when DNS failed (the name does not resolve); the cause is then the {@link UnknownHostException} a
     * client's resolver reports. False when the address or port does not answer.
     */
    public boolean isDnsFailure() {
      return dns;
    }
  }

  private record Cached(DnsResponse response, long expires) {}

  private final StackResolver resolver;
  private final StackClock clock;
  private final Map<String, HostRuntime> hostsByAddress = new HashMap<>();
  private final Map<String, HttpNode> listeners = new HashMap<>();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public ModeledNetwork(StackResolver resolver, StackClock clock, List<HostRuntime> hosts) {
    this.resolver = resolver;
    this.clock = clock;
    for (HostRuntime host : hosts) {
      hostsByAddress.put(host.address(), host);
      for (var node : host.nodes()) {
        if (node instanceof HttpNode http) {
          listeners.put(host.address() + ":" + node.modeledPort(), http);
        }
      }
    }
  }

  public StackResolver resolver() {
    return resolver;
  }

  /** The clients' cached response for {@code name}, or null when there is none or it expired. */
  public DnsResponse cached(String name) {
    String key = DnsNames.normalize(name);
    Cached c = cache.get(key);
    if (c == null) {
      return null;
    }
    if (clock.nanoTime() - c.expires >= 0) {
      cache.remove(key, c);
      return null;
    }
    return c.response;
  }

  /** Asks the zone's server, without waiting for the response's delay and without caching it. */
  public DnsResponse query(String name) {
    return resolver.query(name);
  }

  /** Caches {@code response} for its TTL from now, on the stack's clock; a zero TTL is not cached. */
  public void remember(DnsResponse response) {
    long ttl = response.cacheTtl().toNanos();
    if (ttl <= 0) {
      return;
    }
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(response.question(), new Cached(response, clock.nanoTime() + ttl));
  }

  /** Drops every cached response, as flushing a resolver's cache does. */
  public void flush() {
    cache.clear();
  }

  /**
   * The clients' resolution of {@code name}, blocking: the cached response, or else the zone server's, after
   * waiting its delay (real time), then cached.
   */
  public DnsResponse lookup(String name) throws InterruptedException {
    DnsResponse r = cached(name);
    if (r != null) {
      return r;
    }
    r = query(name);
    if (!r.delay().isZero()) {
      TimeUnit.NANOSECONDS.sleep(r.delay().toNanos());
    }
    remember(r);
    return r;
  }

  /**
   * The HTTP node a client reaches at {@code host:port}, where {@code host} is a name or an IPv4 literal; a name
   * is resolved through the clients' cache, waiting for a slow answer in the calling thread.
   *
   * @throws Unreachable when the name does not resolve, no host has the address, nothing listens on the port,
   *     or the node there is down
   * @throws InterruptedException when interrupted while waiting for a slow DNS answer
   */
  public HttpNode route(String host, int port) throws Unreachable, InterruptedException {
    if (DnsNames.isIpv4(host)) {
      return routeAddress(host, host, port);
    }
    return route(lookup(host), host, port);
  }

  /**
   * The HTTP node a client reaches at {@code host:port} given the DNS response for {@code host}: the first of its
   * addresses whose port answers.
   *
   * @throws Unreachable as {@link #route(String, int)}
   */
  public HttpNode route(DnsResponse response, String host, int port) throws Unreachable {
    DnsAnswer answer;
    try {
      answer = response.answer();
    } catch (DnsLookupException e) {
      UnknownHostException clientError = e.asResolverError();
      throw new Unreachable(clientError.getMessage(), true, clientError);
    }
    List<Unreachable> failures = new ArrayList<>();
    for (String address : answer.addresses()) {
      try {
        return routeAddress(host, address, port);
      } catch (Unreachable u) {
        failures.add(u);
      }
    }
    if (failures.size() == 1) {
      throw failures.get(0);
    }
    List<String> reasons = failures.stream().map(Throwable::getMessage).toList();
    Unreachable all = new Unreachable(host + ": none of its " + failures.size() + " addresses answered: "
        + String.join("; ", reasons), false, null);
    failures.forEach(all::addSuppressed);
    throw all;
  }

  private HttpNode routeAddress(String host, String address, int port) throws Unreachable {
    HostRuntime target = hostsByAddress.get(address);
    if (target == null) {
      throw new Unreachable(
          String.format("%s (%s): no host of this stack has address %s", host, address, address), false, null);
    }
    HttpNode node = listeners.get(address + ":" + port);
    if (node == null) {
      throw new Unreachable(
          String.format("%s (%s:%d): connection refused, nothing on host %s listens on port %d",
              host, address, port, target.name(), port), false, null);
    }
    if (!node.isRunning()) {
      String why = target.isUp() ? node.name() + " is down" : "host " + target.name() + " is down";
      throw new Unreachable(
          String.format("%s (%s:%d): connection refused, %s", host, address, port, why), false, null);
    }
    return node;
  }
}
