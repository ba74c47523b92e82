package dev.webstack.dns;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The stack's authoritative resolver for its one zone. It answers A and CNAME records from an immutable zone and
 * follows CNAME chains inside the zone, like a recursive resolver whose only upstream is this zone.
 *
 * <p>Thread-safe: the zone is immutable. A name outside the zone, or a CNAME leaving the zone, is answered with an
 * {@link UnknownHostException} that names the zone, because the emulated internet has no other authority.
 */
public final class StackResolver {

  private final String zone;
  private final Map<String, List<DnsRecord>> byName;

  public StackResolver(String zone, List<DnsRecord> records) {
    this.zone = zone;
    this.byName =
        records.stream().collect(Collectors.groupingBy(DnsRecord::name, Collectors.toUnmodifiableList()));
  }

  /** The zone this resolver is authoritative for, for example {@code foobar.com}. */
  public String zone() {
    return zone;
  }

  /** True when {@code name} has a record in this zone (any type). */
  public boolean owns(String name) {
    return byName.containsKey(DnsNames.normalize(name));
  }

  /** Every name that has a record, sorted. */
  public Set<String> names() {
    return byName.keySet().stream().sorted().collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /**
   * Resolves {@code name} to its modeled addresses, following CNAMEs.
   *
   * @throws UnknownHostException NXDOMAIN: the name is not in the zone, or has no record in it
   */
  public DnsAnswer resolve(String name) throws UnknownHostException {
    String question = DnsNames.normalize(name);
    String current = question;
    List<String> chain = new ArrayList<>();
    Duration ttl = null;
    // The zone was checked for loops at build time; the bound only guards against a hand-made resolver.
    for (int hops = 0; hops <= byName.size(); hops++) {
      if (!DnsNames.inZone(current, zone)) {
        throw new UnknownHostException(
            String.format(
                "%s: NXDOMAIN, %s is outside zone %s, the only zone this stack serves",
                question, current, zone));
      }
      List<DnsRecord> records = byName.get(current);
      if (records == null) {
        throw new UnknownHostException(
            String.format("%s: NXDOMAIN, no record for %s in zone %s (names: %s)", question, current, zone,
                names()));
      }
      DnsRecord first = records.get(0);
      ttl = ttl == null || first.ttl().compareTo(ttl) < 0 ? first.ttl() : ttl;
      if (first.type() == DnsRecord.Type.CNAME) {
        current = first.value();
        chain.add(current);
        continue;
      }
      List<String> addresses = new ArrayList<>();
      for (DnsRecord r : records) {
        addresses.add(r.value());
        ttl = r.ttl().compareTo(ttl) < 0 ? r.ttl() : ttl;
      }
      return new DnsAnswer(question, chain, addresses, ttl);
    }
    throw new UnknownHostException(question + ": CNAME chain does not end in zone " + zone);
  }
}
