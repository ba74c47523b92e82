package dev.webstack;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.dns.DnsNames;
import dev.webstack.dns.DnsRecord;
import dev.webstack.dns.StackResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The stack's zone: A and CNAME records under the stack's domain. Names may be relative to the zone ({@code www})
 * or absolute ({@code www.foobar.com.}); {@code @} is the zone apex. Immutable.
 *
 * <p>Without a {@code dns(..)} call, a stack gets {@code @} and {@code www} A records pointing at the host of its
 * entry point (the balancer, or else the first web server), with {@link #DEFAULT_TTL}.
 */
public final class DnsSpec {

  /** The TTL of records that do not name one: 300 s, a common real-world choice. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);

  /**
   * How long resolvers cache an NXDOMAIN from the zone unless set: 60 s. RFC 2308 takes it from the zone's SOA
   * record (the smaller of its TTL and its MINIMUM field); the emulated zone has no SOA, so this stands in.
   */
  public static final Duration DEFAULT_NEGATIVE_TTL = StackResolver.DEFAULT_NEGATIVE_TTL;

  private final List<DnsRecord> records;
  private final Duration negativeTtl;

  private DnsSpec(List<DnsRecord> records, Duration negativeTtl) {
    this.records = List.copyOf(records);
    this.negativeTtl = negativeTtl;
  }

  public List<DnsRecord> records() {
    return records;
  }

  /** How long clients cache an NXDOMAIN answer from this zone (RFC 2308's negative TTL). */
  public Duration negativeTtl() {
    return negativeTtl;
  }

  @Override
  public String toString() {
    return String.join("\n", records.stream().map(DnsRecord::toString).toList())
        + (negativeTtl.equals(DEFAULT_NEGATIVE_TTL) ? "" : "\nnegative ttl " + negativeTtl.toSeconds() + " s");
  }

  /** Collects records for one zone; obtained from {@link StackSpec.Builder#dns}. */
  public static final class Builder {
    private final String zone;
    private final List<DnsRecord> records = new ArrayList<>();
    private Duration ttl = DEFAULT_TTL;
    private Duration negativeTtl = DEFAULT_NEGATIVE_TTL;

    Builder(String zone) {
      this.zone = zone;
    }

    /** The TTL of records added after this call without their own. */
    public Builder defaultTtl(Duration ttl) {
      this.ttl = checkTtl(ttl);
      return this;
    }

    /**
     * How long resolvers cache an NXDOMAIN answer from this zone, as the SOA record's MINIMUM field sets it
     * (RFC 2308); {@link #DEFAULT_NEGATIVE_TTL} unless set.
     */
    public Builder negativeTtl(Duration negativeTtl) {
      this.negativeTtl = checkTtl(negativeTtl);
      return this;
    }

    /** An A record with the default TTL, for example {@code a("www", "8.8.8.8")}. */
    public Builder a(String name, String address) {
      return a(name, address, ttl);
    }

    /**
     * An A record. The same address given twice for a name is one record, as a DNS server keeps it (an RRset holds
     * no duplicates, RFC 2181 §5): a client spreading over the answer's addresses would otherwise favour it.
     */
    public Builder a(String name, String address, Duration ttl) {
      String owner = absolute(name);
      checkArgument(address != null && DnsNames.isIpv4(address),
          "A record %s: address (%s) must be a dotted-quad IPv4 address", owner, address);
      Duration checked = checkTtl(ttl);
      if (records.stream().noneMatch(r -> r.type() == DnsRecord.Type.A && r.name().equals(owner)
          && r.value().equals(address))) {
        records.add(new DnsRecord(DnsRecord.Type.A, owner, address, checked));
      }
      return this;
    }

    /** A CNAME record with the default TTL, for example {@code cname("blog", "www")}. */
    public Builder cname(String name, String target) {
      return cname(name, target, ttl);
    }

    public Builder cname(String name, String target, Duration ttl) {
      String owner = absolute(name);
      checkArgument(target != null, "CNAME record %s: target must not be null", owner);
      records.add(new DnsRecord(DnsRecord.Type.CNAME, owner, absolute(target), checkTtl(ttl)));
      return this;
    }

    private String absolute(String name) {
      return DnsNames.absolute(name, zone);
    }

    private static Duration checkTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      checkArgument(!ttl.isNegative() && ttl.toSeconds() <= Integer.MAX_VALUE,
          "ttl (%s) must be between 0 and 2^31-1 seconds", ttl);
      return ttl;
    }

    DnsSpec build() {
      return new DnsSpec(records, negativeTtl);
    }
  }
}
