package dev.webstack.dns;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.dns.DnsLookupException.Rcode;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The stack's authoritative server for its one zone, and the place DNS faults are made. It answers A and CNAME
 * records and follows CNAME chains inside the zone, like a recursive resolver whose only upstream is this zone.
 * A name outside the zone, or a CNAME leaving the zone, is NXDOMAIN naming the zone, because the emulated internet
 * has no other authority.
 *
 * <h2>Faults, each undone by {@link #heal(String)} or {@link #healAll()}</h2>
 *
 * <ul>
 *   <li>{@link #nxdomain(String)}: the name answers NXDOMAIN although it has records (a deleted or mistyped record,
 *       an expired domain);
 *   <li>{@link #servfail(String)}: the name answers SERVFAIL (the zone's servers are down or cannot answer);
 *   <li>{@link #slow(String, Duration)}: answers for the name take that long to arrive (real time: it is network
 *       latency, which the stack's clock does not govern);
 *   <li>{@link #setA}, {@link #setCname}, {@link #setRecords}, {@link #removeRecords}: the name's records change
 *       at run time, as DNS failover changes them. Clients that cached the old answer keep using it until its TTL
 *       runs out: the stack's own clients ({@code stack.httpClient()}, {@code stack.uri(..)}) cache every answer for
 *       its TTL on the stack's clock, and NXDOMAIN for {@link #negativeTtl()} (RFC 2308).
 * </ul>
 *
 * A fault on a name acts on every lookup whose CNAME chain passes through it: {@code nxdomain("www")} also fails
 * {@code shop}, a CNAME to {@code www}. Names are given as in a zone file: relative to the zone ({@code www}),
 * absolute ({@code www.foobar.com.}) or {@code @} for the apex. Every fault, change and heal is recorded in the
 * stack's event log as component {@code dns}, type {@code fault} or {@code heal}.
 *
 * <p>This object answers authoritatively: {@link #resolve(String)} shows the zone as it is now, like {@code dig}
 * asking the zone's server, with no cache in between.
 *
 * <p>Thread-safe: the zone and the fault table are immutable maps replaced as a whole.
 */
public final class StackResolver {

  /** Faults on one name: a response code to answer with (or none) and a delay (or zero). */
  private record Fault(Rcode rcode, Duration delay) {
    boolean isEmpty() {
      return rcode == null && delay.isZero();
    }
  }

  /** The negative TTL unless the spec sets one; see {@code DnsSpec.Builder#negativeTtl}. */
  public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(60);

  private final String zone;
  private final Map<String, List<DnsRecord>> original;
  private final Duration negativeTtl;
  private final BiConsumer<String, String> events;
  private final Runnable checkOpen;
  private volatile Map<String, List<DnsRecord>> byName;
  private volatile Map<String, Fault> faults = Map.of();

  /** A resolver that records no events, with the {@linkplain #DEFAULT_NEGATIVE_TTL default negative TTL}. */
  public StackResolver(String zone, List<DnsRecord> records) {
    this(zone, records, DEFAULT_NEGATIVE_TTL, (type, detail) -> {});
  }

  /**
   * @param zone the zone, lower case, for example {@code foobar.com}
   * @param records the zone's records as the spec has them
   * @param negativeTtl how long resolvers cache NXDOMAIN (the zone's SOA minimum, RFC 2308)
   * @param events receives {@code (type, detail)} of every fault, change and heal, for the stack's event log
   */
  public StackResolver(String zone, List<DnsRecord> records, Duration negativeTtl,
      BiConsumer<String, String> events) {
    this(zone, records, negativeTtl, events, () -> {});
  }

  /**
   * As {@link #StackResolver(String, List, Duration, BiConsumer)}, for a stack's zone.
   *
   * @param checkOpen throws once the stack is closed: faults and record changes are refused then (they would act on
   *     no client, yet be logged as if the test had broken something); lookups and heals still work
   */
  public StackResolver(String zone, List<DnsRecord> records, Duration negativeTtl,
      BiConsumer<String, String> events, Runnable checkOpen) {
    this.checkOpen = Objects.requireNonNull(checkOpen, "checkOpen");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.original = group(records);
    this.byName = original;
    this.negativeTtl = Objects.requireNonNull(negativeTtl, "negativeTtl");
    this.events = Objects.requireNonNull(events, "events");
  }

  private static Map<String, List<DnsRecord>> group(List<DnsRecord> records) {
    Map<String, List<DnsRecord>> byName = new LinkedHashMap<>();
    for (DnsRecord r : records) {
      List<DnsRecord> named = byName.get(r.name());
      if (named == null) {
        named = new ArrayList<>();
        byName.put(r.name(), named);
      }
      named.add(r);
    }
    for (Map.Entry<String, List<DnsRecord>> e : byName.entrySet()) {
      e.setValue(List.copyOf(e.getValue()));
    }
    return Map.copyOf(byName);
  }

  /** The zone this resolver is authoritative for, for example {@code foobar.com}. */
  public String zone() {
    return zone;
  }

  /** How long resolvers cache an NXDOMAIN answer from this zone (RFC 2308's negative TTL). */
  public Duration negativeTtl() {
    return negativeTtl;
  }

  /** True when {@code name} has a record in this zone now (any type). */
  public boolean owns(String name) {
    return byName.containsKey(DnsNames.normalize(name));
  }

  /** Every name that has a record now, sorted. */
  public Set<String> names() {
    return byName.keySet().stream().sorted().collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** The zone's records as they are now (after run-time changes), sorted by name. */
  public List<DnsRecord> records() {
    return new TreeMap<>(byName).values().stream().flatMap(List::stream).toList();
  }

  /**
   * Resolves {@code name} to its modeled addresses, following CNAMEs, as the zone's server answers now. When a
   * name on the way is {@linkplain #slow slow}, the calling thread waits that long first.
   *
   * @throws DnsLookupException NXDOMAIN (the name is not in the zone, has no record in it, or was made to answer
   *     NXDOMAIN) or SERVFAIL (the name was made to fail)
   * @throws UnknownHostException when interrupted while waiting for a slow answer (the interrupt flag is set again)
   */
  public DnsAnswer resolve(String name) throws UnknownHostException {
    DnsResponse response = query(name);
    if (!response.delay().isZero()) {
      try {
        TimeUnit.NANOSECONDS.sleep(response.delay().toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        UnknownHostException u =
            new UnknownHostException(response.question() + ": interrupted while waiting for a slow DNS answer");
        u.initCause(e);
        throw u;
      }
    }
    return response.answer();
  }

  /**
   * The zone server's response for {@code name}, without waiting for its {@linkplain DnsResponse#delay() delay}:
   * for clients that wait their own way and cache by {@link DnsResponse#cacheTtl()}.
   */
  public DnsResponse query(String name) {
    String question = DnsNames.normalize(name);
    Map<String, List<DnsRecord>> zoneNow = byName;
    Map<String, Fault> faultsNow = faults;
    String current = question;
    List<String> chain = new ArrayList<>();
    Duration ttl = null;
    Duration delay = Duration.ZERO;
    // Zones are checked for loops when built and changed; the bound only guards against a hand-made resolver.
    for (int hops = 0; hops <= zoneNow.size(); hops++) {
      if (!DnsNames.inZone(current, zone)) {
        return DnsResponse.failure(new DnsLookupException(question, Rcode.NXDOMAIN,
            String.format("%s: NXDOMAIN, %s is outside zone %s, the only zone this stack serves",
                question, current, zone)), negativeTtl, delay);
      }
      Fault fault = faultsNow.get(current);
      if (fault != null) {
        delay = fault.delay.compareTo(delay) > 0 ? fault.delay : delay;
        if (fault.rcode != null) {
          String how = fault.rcode == Rcode.NXDOMAIN ? "nxdomain" : "servfail";
          return DnsResponse.failure(new DnsLookupException(question, fault.rcode,
              String.format("%s: %s, %s was made to answer %s (stack.dns().%s(..); undo with heal)",
                  question, fault.rcode, current, fault.rcode, how)), negativeTtl, delay);
        }
      }
      List<DnsRecord> records = zoneNow.get(current);
      if (records == null) {
        return DnsResponse.failure(new DnsLookupException(question, Rcode.NXDOMAIN,
            String.format("%s: NXDOMAIN, no record for %s in zone %s (names: %s)", question, current, zone,
                new TreeMap<>(zoneNow).keySet())), negativeTtl, delay);
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
      return DnsResponse.answer(new DnsAnswer(question, chain, addresses, ttl), delay);
    }
    return DnsResponse.failure(new DnsLookupException(question, Rcode.SERVFAIL,
        question + ": SERVFAIL, CNAME chain does not end in zone " + zone), negativeTtl, delay);
  }

  // ---------------------------------------------------------------------------------------------- faults

  /**
   * Makes {@code name} answer NXDOMAIN, whatever records it has, replacing a SERVFAIL fault on it. Clients cache
   * the NXDOMAIN for {@link #negativeTtl()}, so after {@link #heal} they still fail until it runs out.
   *
   * @return this resolver
   * @throws IllegalArgumentException when the name is not a valid name of the zone
   */
  public StackResolver nxdomain(String name) {
    return answerWith(name, Rcode.NXDOMAIN);
  }

  /**
   * Makes {@code name} answer SERVFAIL, replacing an NXDOMAIN fault on it. Clients do not cache SERVFAIL, so
   * {@link #heal} is seen by the next lookup.
   *
   * @return this resolver
   */
  public StackResolver servfail(String name) {
    return answerWith(name, Rcode.SERVFAIL);
  }

  /**
   * Makes answers for {@code name} arrive {@code delay} late (real time, as network latency is). A client that
   * caches the answer waits once per TTL: give the record a TTL of 0 to make every lookup slow.
   *
   * @return this resolver
   * @throws IllegalArgumentException when the delay is negative or zero
   */
  public StackResolver slow(String name, Duration delay) {
    Objects.requireNonNull(delay, "delay");
    checkArgument(!delay.isNegative() && !delay.isZero(), "delay (%s) must be positive; heal(name) removes a delay", delay);
    checkOpen.run();
    String n = nameInZone(name);
    synchronized (this) {
      Fault before = faults.getOrDefault(n, new Fault(null, Duration.ZERO));
      putFault(n, new Fault(before.rcode, delay));
    }
    events.accept("fault", n + " answers after " + delay.toMillis() + " ms");
    return this;
  }

  private StackResolver answerWith(String name, Rcode rcode) {
    checkOpen.run();
    String n = nameInZone(name);
    synchronized (this) {
      Fault before = faults.getOrDefault(n, new Fault(null, Duration.ZERO));
      putFault(n, new Fault(rcode, before.delay));
    }
    events.accept("fault", n + " answers " + rcode
        + (rcode == Rcode.NXDOMAIN ? " (cached by clients for " + negativeTtl.toSeconds() + " s)" : ""));
    return this;
  }

  private void putFault(String name, Fault fault) {
    Map<String, Fault> next = new HashMap<>(faults);
    next.put(name, fault);
    faults = Map.copyOf(next);
  }

  /**
   * Replaces {@code name}'s records with A records to {@code addresses} (an address given twice is one record), as
   * DNS failover does. Clients that cached the old answer keep it until its TTL runs out.
   *
   * @return this resolver
   * @throws IllegalArgumentException for an invalid name, address or TTL, or when the name has a CNAME pointing
   *     into a loop
   */
  public StackResolver setA(String name, Duration ttl, String... addresses) {
    String n = nameInZone(name);
    checkArgument(addresses.length > 0, "setA(%s): give at least one address (removeRecords removes the name)", n);
    List<DnsRecord> records = new ArrayList<>();
    for (String address : addresses) {
      records.add(new DnsRecord(DnsRecord.Type.A, n, address, ttl));
    }
    return replace(n, records);
  }

  /**
   * Replaces {@code name}'s records with a CNAME to {@code target} (relative to the zone, or absolute with a
   * trailing dot).
   *
   * @return this resolver
   */
  public StackResolver setCname(String name, String target, Duration ttl) {
    String n = nameInZone(name);
    return replace(n, List.of(new DnsRecord(DnsRecord.Type.CNAME, n, DnsNames.absolute(target, zone), ttl)));
  }

  /** Removes every record of {@code name}: it answers NXDOMAIN (a real absence, not a fault) until healed. */
  public StackResolver removeRecords(String name) {
    return setRecords(name, List.of());
  }

  /**
   * Replaces {@code name}'s records with {@code records} (all owned by {@code name}; empty removes the name).
   *
   * @return this resolver
   * @throws IllegalArgumentException when a record has another owner, an A record's value is not an IPv4 address,
   *     a TTL is negative, a CNAME does not stand alone, or the change makes a CNAME loop
   */
  public StackResolver setRecords(String name, List<DnsRecord> records) {
    return replace(nameInZone(name), records);
  }

  private StackResolver replace(String n, List<DnsRecord> records) {
    checkOpen.run();
    // An RRset holds no duplicates (RFC 2181 §5): the same address twice is one record, the first one given.
    Map<String, DnsRecord> unique = new LinkedHashMap<>();
    for (DnsRecord r : records) {
      unique.putIfAbsent(r.type() + " " + r.value(), r);
    }
    List<DnsRecord> copy = List.copyOf(unique.values());
    for (DnsRecord r : copy) {
      checkArgument(r.name().equals(n), "record %s is owned by %s, not by %s", r, r.name(), n);
      checkArgument(r.type() != DnsRecord.Type.A || DnsNames.isIpv4(r.value()),
          "A record %s: address (%s) must be a dotted-quad IPv4 address", n, r.value());
      checkArgument(!r.ttl().isNegative() && r.ttl().toSeconds() <= Integer.MAX_VALUE,
          "ttl (%s) of %s must be between 0 and 2^31-1 seconds", r.ttl(), n);
    }
    checkArgument(copy.stream().noneMatch(r -> r.type() == DnsRecord.Type.CNAME) || copy.size() == 1,
        "name (%s) would have a CNAME and other records; a CNAME must stand alone (RFC 1034)", n);
    List<DnsRecord> before;
    synchronized (this) {
      Map<String, List<DnsRecord>> next = new HashMap<>(byName);
      before = next.getOrDefault(n, List.of());
      if (copy.isEmpty()) {
        next.remove(n);
      } else {
        next.put(n, copy);
      }
      checkNoLoop(next);
      byName = Map.copyOf(next);
    }
    events.accept("fault", n + " records changed to " + describe(copy) + " (were " + describe(before)
        + (before.isEmpty() ? ")" : "; clients may keep the old answer for up to " + minTtl(before).toSeconds()
            + " s)"));
    return this;
  }

  /**
   * Undoes every fault and record change on {@code name}: it answers from the spec's zone again. Clients that
   * cached a changed answer or an NXDOMAIN keep it until its TTL runs out, as after any DNS change.
   *
   * @return this resolver
   */
  public StackResolver heal(String name) {
    String n = nameInZone(name);
    boolean changed;
    synchronized (this) {
      changed = faults.containsKey(n) || !Objects.equals(byName.get(n), original.get(n));
      if (faults.containsKey(n)) {
        Map<String, Fault> next = new HashMap<>(faults);
        next.remove(n);
        faults = Map.copyOf(next);
      }
      if (!Objects.equals(byName.get(n), original.get(n))) {
        Map<String, List<DnsRecord>> next = new HashMap<>(byName);
        if (original.containsKey(n)) {
          next.put(n, original.get(n));
        } else {
          next.remove(n);
        }
        byName = Map.copyOf(next);
      }
    }
    if (changed) {
      events.accept("heal", n + " answers from the spec's zone again");
    }
    return this;
  }

  /** Undoes every fault and record change: the zone is the spec's again. */
  public StackResolver healAll() {
    boolean changed;
    synchronized (this) {
      changed = !faults.isEmpty() || !byName.equals(original);
      faults = Map.of();
      byName = original;
    }
    if (changed) {
      events.accept("heal", "every name of zone " + zone + " answers from the spec's zone again");
    }
    return this;
  }

  /**
   * The faults and record changes in force, one line each, sorted by name, for example {@code www.foobar.com
   * answers NXDOMAIN}; empty when the zone is the spec's.
   */
  public List<String> faults() {
    Map<String, Fault> faultsNow = faults;
    Map<String, List<DnsRecord>> zoneNow = byName;
    Set<String> names = new java.util.TreeSet<>(faultsNow.keySet());
    zoneNow.forEach((n, rs) -> {
      if (!rs.equals(original.get(n))) {
        names.add(n);
      }
    });
    original.keySet().stream().filter(n -> !zoneNow.containsKey(n)).forEach(names::add);
    List<String> out = new ArrayList<>();
    for (String n : names) {
      Fault f = faultsNow.get(n);
      if (f != null && f.rcode != null) {
        out.add(n + " answers " + f.rcode);
      }
      if (f != null && !f.delay.isZero()) {
        out.add(n + " answers after " + f.delay.toMillis() + " ms");
      }
      if (!Objects.equals(zoneNow.get(n), original.get(n))) {
        out.add(n + " records changed to " + describe(zoneNow.getOrDefault(n, List.of())));
      }
    }
    return out;
  }

  private String nameInZone(String name) {
    String n = DnsNames.absolute(Objects.requireNonNull(name, "name"), zone);
    checkArgument(DnsNames.inZone(n, zone), "name (%s) is outside zone %s, the only zone this stack serves", n,
        zone);
    return n;
  }

  private void checkNoLoop(Map<String, List<DnsRecord>> zoneNext) {
    for (String start : zoneNext.keySet()) {
      Set<String> seen = new LinkedHashSet<>();
      String current = start;
      while (current != null) {
        if (!seen.add(current)) {
          throw new IllegalArgumentException(
              "CNAME loop in zone " + zone + ": " + String.join(" -> ", seen) + " -> " + current);
        }
        List<DnsRecord> rs = zoneNext.get(current);
        current = rs != null && rs.get(0).type() == DnsRecord.Type.CNAME ? rs.get(0).value() : null;
      }
    }
  }

  private static String describe(List<DnsRecord> records) {
    return records.isEmpty() ? "nothing (NXDOMAIN)"
        : records.stream().map(DnsRecord::toString).collect(Collectors.joining(", ", "[", "]"));
  }

  private static Duration minTtl(List<DnsRecord> records) {
    return records.stream().map(DnsRecord::ttl).min(Duration::compareTo).orElse(Duration.ZERO);
  }

  @Override
  public String toString() {
    return "zone " + zone + " " + Arrays.toString(names().toArray());
  }
}
