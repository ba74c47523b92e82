package dev.webstack;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.app.DemoApplication;
import dev.webstack.audit.Audit;
import dev.webstack.dns.DnsNames;
import dev.webstack.dns.DnsRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The immutable, validated description of a web stack: hosts, the components on them, and the DNS zone that
 * leads clients in. {@link #start()} turns it into a running {@link EmulatedStack}; one spec can start any number
 * of independent stacks.
 *
 * <p>Two presets draw the seed's reference designs; {@link #toBuilder()} adapts them:
 *
 * <pre>{@code
 * try (EmulatedStack stack = StackSpec.distributed().toBuilder()
 *         .appServers(2, app -> app.handler(new OrdersHandler()))
 *         .build()
 *         .start()) {
 *   HttpResponse<String> r = stack.httpClient().send(
 *       HttpRequest.newBuilder(URI.create("http://www.foobar.com/api/orders")).build(), ofString());
 * }
 * }</pre>
 *
 * <p>Single values are checked by the builder's setters ({@link IllegalArgumentException} naming the field and
 * value); rules across fields by {@link Builder#build()}.
 */
public final class StackSpec {

  private final String domain;
  private final String name;
  private final List<HostSpec> hosts;
  private final BalancerSpec balancer;
  private final List<WebServerSpec> webServers;
  private final List<WebServerSpec> webServerTemplates;
  private final List<AppServerSpec> appServers;
  private final DatabaseSpec database;
  private final DnsSpec dns;
  private final DnsSpec explicitDns;
  private final List<HostSpec> declaredHosts;
  private final Long seed;
  private final boolean manualClock;
  private final int ioThreads;

  private StackSpec(Builder b, List<HostSpec> hosts, List<WebServerSpec> effectiveWeb, DnsSpec dns) {
    this.domain = b.domain;
    this.name = b.name == null ? b.domain : b.name;
    this.declaredHosts = List.copyOf(b.hosts.values());
    this.hosts = List.copyOf(hosts);
    this.balancer = b.balancer;
    this.webServers = List.copyOf(effectiveWeb);
    this.webServerTemplates = List.copyOf(b.webServers);
    this.appServers = List.copyOf(b.appServers);
    this.database = b.database;
    this.explicitDns = b.dns;
    this.dns = dns;
    this.seed = b.seed;
    this.manualClock = b.manualClock;
    this.ioThreads = b.ioThreads;
  }

  /** A new builder for a stack serving {@code domain}, for example {@code foobar.com}. */
  public static Builder builder(String domain) {
    return new Builder(domain);
  }

  /**
   * The seed's first design: one server ({@code server-1}, 8.8.8.8) hosting a web server, an application server
   * running the {@linkplain DemoApplication demo application}, and the database; {@code www.foobar.com} and {@code
   * foobar.com} are A records to it. Its single point of failure is the one server.
   */
  public static StackSpec simpleWebStack() {
    return SimplePreset.SIMPLE;
  }

  /**
   * The seed's second design: a load balancer ({@code lb-1} on 8.8.8.8, round robin) in front of two web servers
   * ({@code web-1}, {@code web-2}), one application server ({@code app-1}, demo application) and one database
   * ({@code db-1}), each on its own host; {@code www.foobar.com} and {@code foobar.com} are A records to the
   * balancer. The seed names the balancer and the database as its single points of failure; the single application
   * server {@code app-1} is one too, as {@link #audit()} finds and the emulation confirms.
   */
  public static StackSpec distributed() {
    return DistributedPreset.DISTRIBUTED;
  }

  /** Creates a stack from this spec and starts it. Close it (try-with-resources) to free everything it opened. */
  public EmulatedStack start() {
    return create().start();
  }

  /** Creates a stack without starting it, for callers that register it for cleanup first. */
  public EmulatedStack create() {
    return new EmulatedStack(this);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The seed's "issues with this infrastructure" computed from this spec: single points of failure, downtime
   * during maintenance, not scalable, no firewall, no HTTPS, no monitoring. Its {@code toString()} is
   * the readable text form; see {@link Audit} for what each finding means and what the audit promises.
   */
  public Audit audit() {
    return Audit.of(this);
  }

  /** The zone the stack's DNS serves, for example {@code foobar.com}. */
  public String domain() {
    return domain;
  }

  /** The stack's name, used in thread names and descriptions; the domain unless set. */
  public String name() {
    return name;
  }

  /** Every host, declared ones first, then the ones components got implicitly. */
  public List<HostSpec> hosts() {
    return hosts;
  }

  public Optional<BalancerSpec> balancer() {
    return Optional.ofNullable(balancer);
  }

  public List<WebServerSpec> webServers() {
    return webServers;
  }

  public List<AppServerSpec> appServers() {
    return appServers;
  }

  public Optional<DatabaseSpec> database() {
    return Optional.ofNullable(database);
  }

  /** The zone's records: the configured ones, or the defaults described in {@link DnsSpec}. */
  public DnsSpec dns() {
    return dns;
  }

  /**
   * The seed every random choice of the stack derives from (fault shares, jitter, random algorithms), when set
   * with {@link Builder#seed(long)}; otherwise each stack draws its own, shown by {@link EmulatedStack#seed()} and
   * in its description, so that a failing run can be replayed.
   */
  public OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }

  /** True when stacks of this spec run on a {@link StackClock} that only the test moves. */
  public boolean manualClock() {
    return manualClock;
  }

  /**
   * How many XNIO I/O threads the stack's servers share (all of them, balancer to application servers), set with
   * {@link Builder#ioThreads(int)}; 1 unless set.
   */
  public int ioThreads() {
    return ioThreads;
  }

  /** Every component, in start order: database (primary, then its replicas), application servers, web servers, balancer. */
  public List<ComponentSpec> components() {
    List<ComponentSpec> all = new ArrayList<>();
    if (database != null) {
      all.add(database);
      all.addAll(database.replicaSpecs());
    }
    all.addAll(appServers);
    all.addAll(webServers);
    if (balancer != null) {
      all.add(balancer);
    }
    return all;
  }

  /** The component clients reach first: the balancer, or else the first web server. */
  public ComponentSpec entryPoint() {
    return balancer != null ? balancer : webServers.get(0);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("stack ").append(name).append(" serving ").append(domain).append('\n');
    for (HostSpec host : hosts) {
      b.append("  host ").append(host).append('\n');
      for (ComponentSpec c : components()) {
        if (c.host().equals(host.name())) {
          b.append("    ").append(c.kind().standsFor()).append(" role: ").append(c).append('\n');
        }
      }
    }
    dns.records().forEach(r -> b.append("  dns ").append(r).append('\n'));
    return b.toString().stripTrailing();
  }

  /** Builds a {@link StackSpec}. Not thread-safe. */
  public static final class Builder {
    /**
     * The most web or application servers one builder call accepts. Each is a real listener with its own sockets,
     * so far fewer exhaust a test JVM's file descriptors; the bound makes a runaway count fail at once, naming it,
     * instead of configuring servers until memory runs out.
     */
    public static final int MAX_SERVERS = 1000;

    private final String domain;
    private String name;
    private final Map<String, HostSpec> hosts = new LinkedHashMap<>();
    private final List<String> duplicateHosts = new ArrayList<>();
    private BalancerSpec balancer;
    private List<WebServerSpec> webServers = List.of();
    private List<AppServerSpec> appServers = List.of();
    private DatabaseSpec database;
    private DnsSpec dns;
    private Long seed;
    private boolean manualClock;
    private int ioThreads = 1;

    private Builder(String domain) {
      // A numeric top-level label (10.0.0.10, foobar.123) is not a host name (RFC 1123 section 2.1): such a domain
      // reads as an address literal.
      checkArgument(domain != null && DnsNames.isValidName(domain) && domain.contains(".")
              && !numericTopLevel(DnsNames.normalize(domain)),
          "domain (%s) must be a valid host name with at least two labels and an alphabetic top-level label, such"
              + " as foobar.com", domain);
      this.domain = DnsNames.normalize(domain);
    }

    private static boolean numericTopLevel(String domain) {
      return domain.substring(domain.lastIndexOf('.') + 1).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private Builder(StackSpec spec) {
      this.domain = spec.domain;
      this.name = spec.name.equals(spec.domain) ? null : spec.name;
      spec.declaredHosts.forEach(h -> hosts.put(h.name(), h));
      this.balancer = spec.balancer;
      this.webServers = spec.webServerTemplates;
      this.appServers = spec.appServers;
      this.database = spec.database;
      this.dns = spec.explicitDns;
      this.seed = spec.seed;
      this.manualClock = spec.manualClock;
      this.ioThreads = spec.ioThreads;
    }

    /** Fixes the seed of every random choice the stack makes, to replay a run; see {@link StackSpec#seed()}. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Runs the stack on a manual {@link StackClock}: health checks and timed faults wait until the test calls
     * {@code stack.clock().advance(..)}. The default is real time.
     */
    public Builder manualClock() {
      this.manualClock = true;
      return this;
    }

    /**
     * Sets how many I/O threads the stack's servers share. The default, 1, starts a stack fastest and serves the
     * requests of a test with the least hand-over between threads: every server of a stack is non-blocking on its
     * I/O thread (application handlers, health checks and replication run on the stack's task pool), so one thread
     * carries all of a stack's hops. Raise it for load tests that push many concurrent connections, as one would
     * give nginx or HAProxy more worker processes or threads.
     *
     * @param threads 1 to 64
     */
    public Builder ioThreads(int threads) {
      checkArgument(threads >= 1 && threads <= 64, "ioThreads (%s) must be between 1 and 64", threads);
      this.ioThreads = threads;
      return this;
    }

    /** Runs the stack on real time (the default). */
    public Builder realClock() {
      this.manualClock = false;
      return this;
    }

    /** Names the stack (thread names, descriptions); defaults to the domain. */
    public Builder name(String name) {
      this.name = ComponentSpec.checkName("name", name);
      return this;
    }

    /** Declares a host with its modeled address; components name it with {@code host(..)}. */
    public Builder host(String name, String address) {
      ComponentSpec.checkName("host name", name);
      checkArgument(address != null && DnsNames.isIpv4(address),
          "address (%s) of host %s must be a dotted-quad IPv4 address", address, name);
      if (hosts.put(name, new HostSpec(name, address)) != null) {
        duplicateHosts.add(name);
      }
      return this;
    }

    /** Puts a load balancer in front of the web tier (named {@code lb-1} unless renamed). */
    public Builder loadBalancer(Consumer<BalancerSpec.Builder> config) {
      BalancerSpec.Builder b = balancer == null ? new BalancerSpec.Builder() : balancer.toBuilder();
      config.accept(b);
      this.balancer = b.build();
      return this;
    }

    /** Removes the load balancer: clients then reach the first web server directly. */
    public Builder noLoadBalancer() {
      this.balancer = null;
      return this;
    }

    /**
     * Replaces the web tier with {@code count} (0 to {@value #MAX_SERVERS}) servers named {@code web-1..}; {@code
     * config} runs once per server.
     */
    public Builder webServers(int count, Consumer<WebServerSpec.Builder> config) {
      checkArgument(count >= 0 && count <= MAX_SERVERS, "webServers (%s) must be between 0 and %s", count,
          MAX_SERVERS);
      List<WebServerSpec> list = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        WebServerSpec.Builder b = new WebServerSpec.Builder("web-" + i);
        config.accept(b);
        list.add(b.build());
      }
      this.webServers = list;
      return this;
    }

    /** Replaces the web tier with {@code count} default web servers. */
    public Builder webServers(int count) {
      return webServers(count, web -> {});
    }

    /**
     * Replaces the application tier with {@code count} (0 to {@value #MAX_SERVERS}) servers named {@code app-1..};
     * {@code config} runs once per server.
     */
    public Builder appServers(int count, Consumer<AppServerSpec.Builder> config) {
      checkArgument(count >= 0 && count <= MAX_SERVERS, "appServers (%s) must be between 0 and %s", count,
          MAX_SERVERS);
      List<AppServerSpec> list = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        AppServerSpec.Builder b = new AppServerSpec.Builder("app-" + i);
        config.accept(b);
        list.add(b.build());
      }
      this.appServers = list;
      return this;
    }

    /** Replaces the application tier with {@code count} servers running the demo application. */
    public Builder appServers(int count) {
      return appServers(count, app -> {});
    }

    /** Adds (or reconfigures) the database, named {@code db-1} unless renamed. */
    public Builder database(Consumer<DatabaseSpec.Builder> config) {
      DatabaseSpec.Builder b = database == null ? new DatabaseSpec.Builder() : database.toBuilder();
      config.accept(b);
      this.database = b.build();
      return this;
    }

    public Builder noDatabase() {
      this.database = null;
      return this;
    }

    /** Replaces the zone's records. */
    public Builder dns(Consumer<DnsSpec.Builder> config) {
      DnsSpec.Builder b = new DnsSpec.Builder(domain);
      config.accept(b);
      this.dns = b.build();
      return this;
    }

    /**
     * Checks the rules across fields and builds the spec.
     *
     * @throws IllegalArgumentException naming the field and value that break a rule
     */
    public StackSpec build() {
      checkArgument(duplicateHosts.isEmpty(), "host name (%s) is declared twice", String.join(", ", duplicateHosts));
      checkArgument(balancer == null || !webServers.isEmpty(),
          "loadBalancer %s needs web servers behind it, but webServers = 0", balancer == null ? "" : name(balancer));
      checkArgument(!webServers.isEmpty(),
          "webServers (0) must be positive: clients reach a stack through a web server");
      List<ComponentSpec> components = components();
      checkUniqueNames(components);
      checkBackupAppServers();
      List<WebServerSpec> effectiveWeb = effectiveWebServers();
      List<HostSpec> allHosts = resolveHosts(components);
      checkPorts(components);
      DnsSpec zone = dns != null ? dns : defaultDns(allHosts);
      checkZone(zone);
      return new StackSpec(this, allHosts, effectiveWeb, zone);
    }

    private static String name(ComponentSpec c) {
      return c.name();
    }

    private List<ComponentSpec> components() {
      List<ComponentSpec> all = new ArrayList<>();
      if (database != null) {
        all.add(database);
        all.addAll(database.replicaSpecs());
      }
      all.addAll(appServers);
      all.addAll(webServers);
      if (balancer != null) {
        all.add(balancer);
      }
      return all;
    }

    private static void checkUniqueNames(List<ComponentSpec> components) {
      Map<String, ComponentSpec> seen = new HashMap<>();
      for (ComponentSpec c : components) {
        ComponentSpec before = seen.put(c.name(), c);
        checkArgument(before == null, "component name (%s) is used twice: by a %s and by a %s",
            c.name(), before == null ? "" : before.kind(), c.kind());
      }
    }

    private void checkBackupAppServers() {
      List<String> apps = new ArrayList<>();
      for (AppServerSpec app : appServers) {
        apps.add(app.name());
      }
      for (WebServerSpec w : webServers) {
        for (String backup : w.backupAppServers()) {
          checkArgument(apps.contains(backup),
              "backupAppServers (%s) of %s names no application server (appServers: %s)", backup, w.name(), apps);
        }
      }
    }

    private List<WebServerSpec> effectiveWebServers() {
      if (!appServers.isEmpty()) {
        return webServers;
      }
      List<WebServerSpec> out = new ArrayList<>();
      for (WebServerSpec w : webServers) {
        checkArgument(!w.dynamicPrefixSet(),
            "dynamicPrefix (%s) of %s forwards to an application tier, but appServers = 0",
            w.dynamicPrefix().orElse(""), w.name());
        out.add(w.withoutDynamicPrefix());
      }
      return out;
    }

    private List<HostSpec> resolveHosts(List<ComponentSpec> components) {
      Map<String, HostSpec> all = new LinkedHashMap<>(hosts);
      Map<String, String> byAddress = new HashMap<>();
      for (HostSpec h : hosts.values()) {
        String other = byAddress.put(h.address(), h.name());
        checkArgument(other == null, "host address (%s) is used by both %s and %s", h.address(), other, h.name());
      }
      int next = 10;
      for (ComponentSpec c : components) {
        if (!all.containsKey(c.host())) {
          String address;
          do {
            checkArgument(next < 255, "too many implicit hosts: declare hosts with host(name, address)");
            address = "10.0.0." + next++;
          } while (byAddress.containsKey(address));
          byAddress.put(address, c.host());
          all.put(c.host(), new HostSpec(c.host(), address));
        }
      }
      return new ArrayList<>(all.values());
    }

    private static void checkPorts(List<ComponentSpec> components) {
      Map<String, ComponentSpec> listeners = new HashMap<>();
      for (ComponentSpec c : components) {
        ComponentSpec other = listeners.put(c.host() + ":" + c.port(), c);
        checkArgument(other == null, "%s and %s both listen on port %s of host %s; give one another port(..)",
            other == null ? "" : other.name(), c.name(), c.port(), c.host());
      }
    }

    private DnsSpec defaultDns(List<HostSpec> allHosts) {
      String entryHost = (balancer != null ? balancer : webServers.get(0)).host();
      String address = null;
      for (HostSpec h : allHosts) {
        if (h.name().equals(entryHost)) {
          address = h.address();
          break;
        }
      }
      if (address == null) {
        throw new NoSuchElementException("no host named " + entryHost);
      }
      return new DnsSpec.Builder(domain).a("@", address).a("www", address).build();
    }

    private void checkZone(DnsSpec zone) {
      Map<String, List<DnsRecord>> byName = new HashMap<>();
      for (DnsRecord r : zone.records()) {
        checkArgument(DnsNames.inZone(r.name(), domain), "record name (%s) is outside zone %s", r.name(), domain);
        List<DnsRecord> named = byName.get(r.name());
        if (named == null) {
          named = new ArrayList<>();
          byName.put(r.name(), named);
        }
        named.add(r);
      }
      Map<String, String> cnames = new HashMap<>();
      for (Map.Entry<String, List<DnsRecord>> e : byName.entrySet()) {
        List<DnsRecord> rs = e.getValue();
        boolean hasCname = false;
        for (DnsRecord r : rs) {
          hasCname |= r.type() == DnsRecord.Type.CNAME;
        }
        checkArgument(!hasCname || rs.size() == 1,
            "name (%s) has a CNAME and other records; a CNAME must stand alone (RFC 1034)", e.getKey());
        if (hasCname) {
          cnames.put(e.getKey(), rs.get(0).value());
        }
      }
      for (String start : cnames.keySet()) {
        Set<String> seen = new LinkedHashSet<>();
        String current = start;
        while (current != null) {
          if (!seen.add(current)) {
            throw new IllegalArgumentException(
                "CNAME loop in zone " + domain + ": " + String.join(" -> ", seen) + " -> " + current);
          }
          current = cnames.get(current);
        }
      }
    }
  }

  // Presets built once, on first use, through the public builder; one holder each, so that a JVM using one preset
  // does not build the other (in a cold JVM the first spec built costs milliseconds of class loading and linking).

  private static final class SimplePreset {
    static final StackSpec SIMPLE =
        StackSpec.builder("foobar.com")
            .host("server-1", "8.8.8.8")
            .webServers(1, web -> web.host("server-1"))
            .appServers(1, app -> app.host("server-1"))
            .database(db -> db.host("server-1").schema(DemoApplication.SCHEMA))
            .build();
  }

  private static final class DistributedPreset {
    static final StackSpec DISTRIBUTED =
        StackSpec.builder("foobar.com")
            .host("lb-1", "8.8.8.8")
            .host("web-1", "10.0.0.11")
            .host("web-2", "10.0.0.12")
            .host("app-1", "10.0.0.21")
            .host("db-1", "10.0.0.31")
            .loadBalancer(lb -> lb.host("lb-1"))
            .webServers(2)
            .appServers(1)
            .database(db -> db.schema(DemoApplication.SCHEMA))
            .build();
  }
}
