package dev.webstack.internal;

import dev.webstack.dns.DnsNames;
import dev.webstack.dns.StackResolver;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The modeled internet of one stack: names resolve through the stack's DNS to modeled addresses, and a modeled
 * address and port lead to the node listening there. Immutable after assembly.
 */
public final class ModeledNetwork {

  /** Why a modeled destination cannot be reached, in words a test failure can show. */
  public static final class Unreachable extends Exception {
    private final boolean dns;

    Unreachable(String message, boolean dns, Throwable cause) {
      super(message, cause);
      this.dns = dns;
    }

    /** True when DNS failed (the name does not resolve), false when the address or port does not answer. */
    public boolean isDnsFailure() {
      return dns;
    }
  }

  private final StackResolver resolver;
  private final Map<String, HostRuntime> hostsByAddress = new HashMap<>();
  private final Map<String, HttpNode> listeners = new HashMap<>();

  public ModeledNetwork(StackResolver resolver, List<HostRuntime> hosts) {
    this.resolver = resolver;
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

  /**
   * The HTTP node a client reaches at {@code host:port}, where {@code host} is a name or an IPv4 literal.
   *
   * @throws Unreachable when the name does not resolve, no host has the address, nothing listens on the port,
   *     or the node there is down
   */
  public HttpNode route(String host, int port) throws Unreachable {
    String address;
    if (DnsNames.isIpv4(host)) {
      address = host;
    } else {
      try {
        address = resolver.resolve(host).address();
      } catch (UnknownHostException e) {
        throw new Unreachable(e.getMessage(), true, e);
      }
    }
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
