package dev.webstack;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.dns.DnsNames;
import dev.webstack.dns.DnsRecord;
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

  private final List<DnsRecord> records;

  private DnsSpec(List<DnsRecord> records) {
    this.records = List.copyOf(records);
  }

  public List<DnsRecord> records() {
    return records;
  }

  @Override
  public String toString() {
    return String.join("\n", records.stream().map(DnsRecord::toString).toList());
  }

  /** Collects records for one zone; obtained from {@link StackSpec.Builder#dns}. */
  public static final class Builder {
    private final String zone;
    private final List<DnsRecord> records = new ArrayList<>();
    private Duration ttl = DEFAULT_TTL;

    Builder(String zone) {
      this.zone = zone;
    }

    /** The TTL of records added after this call without their own. */
    public Builder defaultTtl(Duration ttl) {
      this.ttl = checkTtl(ttl);
      return this;
    }

    /** An A record with the default TTL, for example {@code a("www", "8.8.8.8")}. */
    public Builder a(String name, String address) {
      return a(name, address, ttl);
    }

    public Builder a(String name, String address, Duration ttl) {
      String owner = absolute(name);
      checkArgument(address != null && DnsNames.isIpv4(address),
          "A record %s: address (%s) must be a dotted-quad IPv4 address", owner, address);
      records.add(new DnsRecord(DnsRecord.Type.A, owner, address, checkTtl(ttl)));
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
      checkArgument(name != null && !name.isBlank(), "record name (%s) must not be blank", name);
      String n;
      if (name.equals("@")) {
        n = zone;
      } else if (name.endsWith(".")) {
        n = DnsNames.normalize(name);
      } else {
        n = DnsNames.normalize(name) + "." + zone;
      }
      checkArgument(DnsNames.isValidName(n), "record name (%s) is not a valid host name", name);
      return n;
    }

    private static Duration checkTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      checkArgument(!ttl.isNegative() && ttl.toSeconds() <= Integer.MAX_VALUE,
          "ttl (%s) must be between 0 and 2^31-1 seconds", ttl);
      return ttl;
    }

    DnsSpec build() {
      return new DnsSpec(records);
    }
  }
}
