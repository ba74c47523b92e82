package dev.webstack.dns.provider;

import dev.webstack.dns.JvmDnsRegistry;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The resolver {@link StackInetAddressResolverProvider} installs: names of running stacks' zones from {@link
 * JvmDnsRegistry}, everything else from the JDK's built-in resolver. See the provider for the rules.
 *
 * <p>Thread-safe.
 */
final class StackInetAddressResolver implements InetAddressResolver {

  private final InetAddressResolver builtin;

  StackInetAddressResolver(InetAddressResolver builtin) {
    this.builtin = Objects.requireNonNull(builtin, "builtin");
  }

  /**
   * Resolves {@code host} through the running stack whose zone covers it, or else through the built-in resolver.
   *
   * @throws UnknownHostException when the name lies in a running stack's zone but has no record there (the message
   *     names the zone), when two running stacks serve its zone, when the policy admits only IPv6 (stacks listen on
   *     IPv4 loopback), or when the built-in resolver cannot resolve a name no stack serves
   */
  @Override
  public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(policy, "policy");
    Optional<InetAddress> fromStack = JvmDnsRegistry.lookup(host);
    if (fromStack.isEmpty()) {
      return builtin.lookupByName(host, policy);
    }
    InetAddress address = fromStack.get();
    boolean ipv4 = address instanceof Inet4Address;
    if (ipv4 && (policy.characteristics() & LookupPolicy.IPV4) == 0) {
      throw new UnknownHostException(
          String.format(
              "%s: the lookup asks for IPv6 addresses only, but running stacks serve their names on the IPv4"
                  + " loopback %s (no AAAA record); allow IPv4 lookups (the JDK asks for IPv6 only when the host"
                  + " has no IPv4), or use stack.httpClient() / stack.uri(url)",
              host, address.getHostAddress()));
    }
    if (!ipv4 && (policy.characteristics() & LookupPolicy.IPV6) == 0) {
      throw new UnknownHostException(
          String.format(
              "%s: the lookup asks for IPv4 addresses only, but running stacks serve their names on the IPv6"
                  + " loopback %s", host, address.getHostAddress()));
    }
    // Keep the name as the caller spelled it, as the built-in resolver does.
    return Stream.of(InetAddress.getByAddress(host, address.getAddress()));
  }

  /** Reverse lookups are never the stacks' business: always the built-in resolver. */
  @Override
  public String lookupByAddress(byte[] addr) throws UnknownHostException {
    return builtin.lookupByAddress(addr);
  }

  @Override
  public String toString() {
    return StackInetAddressResolverProvider.NAME + " resolver (stacks: " + JvmDnsRegistry.stackNames()
        + ", then " + builtin + ")";
  }
}
