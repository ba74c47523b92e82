package dev.webstack.dns;

import java.time.Duration;
import java.util.List;

/**
 * What the stack's resolver answered for one name: the CNAME chain followed (possibly empty), the modeled
 * addresses of the final A records, and the TTL a caching client may keep the answer for (the smallest TTL in the
 * chain, as real resolvers do).
 *
 * @param question the name asked for, lower case
 * @param cnameChain the canonical names followed, in order; empty when the name has an A record itself
 * @param addresses the modeled IPv4 addresses, in zone order; never empty
 * @param ttl the smallest TTL along the chain
 */
public record DnsAnswer(String question, List<String> cnameChain, List<String> addresses, Duration ttl) {

  public DnsAnswer {
    cnameChain = List.copyOf(cnameChain);
    addresses = List.copyOf(addresses);
  }

  /** The first modeled address, the one clients connect to. */
  public String address() {
    return addresses.get(0);
  }
}
