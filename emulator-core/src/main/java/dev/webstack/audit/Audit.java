package dev.webstack.audit;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.ComponentKind;
import dev.webstack.ComponentSpec;
import dev.webstack.DatabaseSpec;
import dev.webstack.HostSpec;
import dev.webstack.StackSpec;
import dev.webstack.WebServerSpec;
import dev.webstack.dns.DnsAnswer;
import dev.webstack.dns.DnsLookupException;
import dev.webstack.dns.DnsRecord;
import dev.webstack.dns.DnsResponse;
import dev.webstack.dns.StackResolver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The seed's "issues with this infrastructure", computed from a stack's model rather than written down: {@link
 * StackSpec#audit()} for a spec, {@code EmulatedStack.audit()} for a running stack (with its zone as changed at
 * run time). Immutable.
 *
 * <h2>What it computes</h2>
 *
 * The model is a graph: the client asks DNS for the site's name ({@code www.<domain>}, or the apex when the zone
 * has no {@code www}); each address of the answer leads to the component listening on port 80 of the host with
 * that address (the entry points: a balancer or a web server); a balancer forwards to every web server; a web
 * server serves static pages and forwards its dynamic prefix ({@code /api/}) to every application server; every
 * application server uses the database. Hosts carry several components, and losing a host loses them all.
 *
 * <ul>
 *   <li><b>Single points of failure</b>: every component, and every host, whose loss cuts all paths from the
 *       client to the application's data (or, without a database, to the application; without an application
 *       tier, to the web servers). {@link #impactOfLosingComponent} and {@link #impactOfLosingHost} say what
 *       fails: application requests only, or the whole site. One finding per host: when a host runs just one
 *       component the finding names the component, otherwise the host, listing which of its components are
 *       single points of failure on their own and which count only through the host (every peer of theirs
 *       runs on the same host).
 *   <li><b>Downtime during maintenance</b>: every web or application server that is a single point of failure on
 *       its own, since restarting it (to deploy code) takes the same requests down.
 *   <li><b>Not scalable</b>: one host runs every component, so every request lands on one machine. The audit
 *       reads the topology, not load: it does not say how many requests that machine handles.
 *   <li><b>No firewall</b>: the library models none, so this is always found; the explanation lists the
 *       listeners reachable from the internet besides the entry points (the stack's clients can reach any
 *       host's address and port).
 *   <li><b>No HTTPS</b>: the library has no TLS listener yet, so this is always found.
 *   <li><b>No monitoring</b>: no system collects metrics, keeps history or alerts anyone. The balancer's health
 *       checks (on by default) take dead servers out of rotation, which is routing, not monitoring; the library
 *       models no monitoring system, so this is always found, and its text says what the checks cover.
 *   <li><b>Unreachable</b> (not a seed issue): the site's name does not resolve, or leads to no listener, with
 *       nothing lost; single points of failure are then not computed.
 * </ul>
 *
 * <h2>Against the seed</h2>
 *
 * The simple preset's audit lists the seed's three issues (the one server as single point of failure, downtime
 * during maintenance, not scalable) and also no firewall, no HTTPS and no monitoring, which hold for that design
 * too though the seed lists them only for the second one. The distributed preset's audit lists the seed's issues
 * (the balancer and the database as single points of failure, no firewall, no HTTPS, no monitoring) and also
 * {@code app-1}: the design has a single application server, so losing it fails every application request, and
 * restarting it to deploy code is downtime. The seed does not list it; the emulation agrees with the audit.
 *
 * <h2>What it promises, and how that is checked</h2>
 *
 * For a stack started from the audited spec, killing a component or a host whose impact is {@link Impact#NONE}
 * leaves both a static page ({@code GET /}) and an application request that reads the database ({@code GET
 * /api/posts} of the demo application) answered with 200; {@link Impact#APPLICATION} fails the application
 * request and still serves the static page; {@link Impact#SITE} fails both. {@code AuditAgainstEmulationTest}
 * kills every component and every host of both presets, and of other topologies, and checks exactly that.
 *
 * <p>Not audited: the DNS zone itself. It is served outside the modeled hosts (as a registrar's name servers
 * are), so it is not a component that can be lost; its failures are made with {@code stack.dns()}'s faults.
 */
public final class Audit {

  private final String title;
  private final List<Finding> findings;
  private final Map<String, Impact> byComponent;
  private final Map<String, Impact> byHost;

  private Audit(String title, List<Finding> findings, Map<String, Impact> byComponent, Map<String, Impact> byHost) {
    this.title = title;
    this.findings = List.copyOf(findings);
    this.byComponent = Map.copyOf(byComponent);
    this.byHost = Map.copyOf(byHost);
  }

  /** Audits {@code spec} with its zone as configured. */
  public static Audit of(StackSpec spec) {
    return of(spec, spec.dns().records());
  }

  /** Audits {@code spec} with {@code zone} as its DNS records, for a running stack whose records changed. */
  public static Audit of(StackSpec spec, List<DnsRecord> zone) {
    return new Model(spec, zone).audit();
  }

  /** Every finding, grouped by kind in the order of {@link Finding.Kind}. */
  public List<Finding> findings() {
    return findings;
  }

  /** The findings of one kind. */
  public List<Finding> findings(Finding.Kind kind) {
    return findings.stream().filter(f -> f.kind() == kind).toList();
  }

  /** True when at least one finding is of {@code kind}. */
  public boolean has(Finding.Kind kind) {
    return findings.stream().anyMatch(f -> f.kind() == kind);
  }

  /**
   * What losing the component named {@code component} does to requests.
   *
   * @throws IllegalArgumentException when the stack has no such component
   */
  public Impact impactOfLosingComponent(String component) {
    Impact i = byComponent.get(component);
    checkArgument(i != null, "no component named %s (components: %s)", component, byComponent.keySet());
    return i;
  }

  /**
   * What losing the host named {@code host} (every component on it) does to requests.
   *
   * @throws IllegalArgumentException when the stack has no such host
   */
  public Impact impactOfLosingHost(String host) {
    Impact i = byHost.get(host);
    checkArgument(i != null, "no host named %s (hosts: %s)", host, byHost.keySet());
    return i;
  }

  /** The components that are single points of failure on their own, sorted by name. */
  public Set<String> singlePointOfFailureComponents() {
    return byComponent.entrySet().stream().filter(e -> e.getValue() != Impact.NONE).map(Map.Entry::getKey)
        .sorted().collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }

  /** The hosts that are single points of failure, sorted by name. */
  public Set<String> singlePointOfFailureHosts() {
    return byHost.entrySet().stream().filter(e -> e.getValue() != Impact.NONE).map(Map.Entry::getKey)
        .sorted().collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }

  /** The text form: a title line saying what was audited, then one line per finding. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(title);
    findings.forEach(f -> b.append("\n  ").append(f));
    return b.toString();
  }

  /** The stack's model as a graph, and the audit computed on it. */
  private static final class Model {
    private final StackSpec spec;
    private final String siteName;
    private final DnsResponse site;
    private final List<ComponentSpec> components;
    private final Map<String, ComponentSpec> byName = new LinkedHashMap<>();
    private final Map<String, HostSpec> hosts = new LinkedHashMap<>();
    private final List<ComponentSpec> entries = new ArrayList<>();
    private final boolean hasApps;
    private final boolean hasDatabase;

    Model(StackSpec spec, List<DnsRecord> zone) {
      this.spec = spec;
      // In the order requests flow: balancer, web servers, application servers, database.
      List<ComponentSpec> flow = new ArrayList<>();
      spec.balancer().ifPresent(flow::add);
      flow.addAll(spec.webServers());
      flow.addAll(spec.appServers());
      spec.database().ifPresent(flow::add);
      // The replicas are components of the spec (StackSpec.components(), stack.node("db-2")) on hosts of their own.
      // Application servers reach them as they reach the primary (the read/write router sends reads to them): with
      // the primary lost, reads are still served and only writes fail (Impact.WRITES); a lost replica leaves every
      // request served, reads going to the primary or another replica, as in the emulation.
      spec.database().ifPresent(db -> flow.addAll(db.replicaSpecs()));
      this.components = List.copyOf(flow);
      components.forEach(c -> byName.put(c.name(), c));
      spec.hosts().forEach(h -> hosts.put(h.name(), h));
      StackResolver resolver = new StackResolver(spec.domain(), zone);
      String www = "www." + spec.domain();
      this.siteName = resolver.owns(www) ? www : spec.domain();
      this.site = resolver.query(siteName);
      if (site.isAnswer()) {
        List<String> addresses = answer().addresses();
        for (ComponentSpec c : components) {
          if (c.kind() != ComponentKind.DATABASE && c.port() == 80
              && addresses.contains(hosts.get(c.host()).address())) {
            entries.add(c);
          }
        }
      }
      this.hasApps = !spec.appServers().isEmpty();
      this.hasDatabase = spec.database().isPresent();
    }

    private DnsAnswer answer() {
      try {
        return site.answer();
      } catch (DnsLookupException e) {
        throw new IllegalStateException("answer() called on a failed lookup", e);
      }
    }

    /** What is lost when every component in {@code lost} is down. */
    Impact impact(Collection<String> lost) {
      Set<String> visited = new HashSet<>();
      Deque<ComponentSpec> queue = new ArrayDeque<>();
      for (ComponentSpec e : entries) {
        if (!lost.contains(e.name()) && visited.add(e.name())) {
          queue.add(e);
        }
      }
      while (!queue.isEmpty()) {
        for (ComponentSpec next : next(queue.poll())) {
          if (!lost.contains(next.name()) && visited.add(next.name())) {
            queue.add(next);
          }
        }
      }
      boolean siteUp = spec.webServers().stream().anyMatch(w -> visited.contains(w.name()));
      boolean appUp;
      boolean readsUp = false;
      if (hasApps && hasDatabase) {
        appUp = visited.contains(spec.database().get().name());
        readsUp = replicaNames().stream().anyMatch(visited::contains);
      } else if (hasApps) {
        appUp = spec.appServers().stream().anyMatch(a -> visited.contains(a.name()));
      } else {
        appUp = siteUp;
      }
      return !siteUp ? Impact.SITE : appUp ? Impact.NONE : readsUp ? Impact.WRITES : Impact.APPLICATION;
    }

    /** Where a component forwards requests to, as the emulation's nodes do. */
    private List<? extends ComponentSpec> next(ComponentSpec c) {
      switch (c.kind()) {
        case BALANCER:
          return spec.webServers();
        case WEB_SERVER:
          return ((WebServerSpec) c).dynamicPrefix().isPresent() ? spec.appServers() : List.of();
        case APP_SERVER:
          return spec.database().map(db -> {
            List<ComponentSpec> data = new ArrayList<>();
            data.add(db);
            data.addAll(db.replicaSpecs());
            return data;
          }).orElse(List.of());
        default:
          return List.of();
      }
    }

    private List<String> onHost(String host) {
      return components.stream().filter(c -> c.host().equals(host)).map(ComponentSpec::name).toList();
    }

    Audit audit() {
      List<Finding> findings = new ArrayList<>();
      Map<String, Impact> byComponent = new LinkedHashMap<>();
      Map<String, Impact> byHost = new LinkedHashMap<>();
      String title = title();
      Impact nothingLost = impact(List.of());
      if (nothingLost != Impact.NONE) {
        findings.add(new Finding(Finding.Kind.UNREACHABLE, siteName, unreachable(nothingLost)));
        components.forEach(c -> byComponent.put(c.name(), nothingLost));
        hosts.keySet().forEach(h -> byHost.put(h, nothingLost));
      } else {
        components.forEach(c -> byComponent.put(c.name(), impact(List.of(c.name()))));
        hosts.keySet().forEach(h -> byHost.put(h, impact(onHost(h))));
        spof(findings, byComponent, byHost);
        maintenance(findings, byComponent);
      }
      notScalable(findings);
      noFirewall(findings);
      noHttps(findings);
      noMonitoring(findings);
      return new Audit(title, findings, byComponent, byHost);
    }

    private String title() {
      String to = site.isAnswer()
          ? String.join(", ", answer().addresses()) + " -> "
              + (entries.isEmpty() ? "nothing on port 80" : names(entries.stream().map(ComponentSpec::name).toList()))
          : site.failure().map(e -> e.rcode().toString()).orElse("?");
      String application = !hasApps ? "static pages only (no application tier)"
          : "application requests " + dynamicPrefixes() + " -> " + tier(spec.appServers())
              + (hasDatabase ? " -> " + spec.database().get().name() : "");
      return "audit of " + spec.name() + ": " + siteName + " -> " + to + "; " + application;
    }

    private String dynamicPrefixes() {
      return spec.webServers().stream().map(WebServerSpec::dynamicPrefix).flatMap(java.util.Optional::stream)
          .distinct().collect(Collectors.joining(", "));
    }

    private String unreachable(Impact impact) {
      if (!site.isAnswer()) {
        return siteName + " does not resolve (" + site.failure().map(Throwable::getMessage).orElse("") + ")";
      }
      if (entries.isEmpty()) {
        return siteName + " resolves to " + String.join(", ", answer().addresses())
            + ", where nothing listens on port 80: no request reaches the stack";
      }
      return "with nothing lost, " + describe(impact);
    }

    private void spof(List<Finding> findings, Map<String, Impact> byComponent, Map<String, Impact> byHost) {
      for (HostSpec host : hosts.values()) {
        Impact hostImpact = byHost.get(host.name());
        if (hostImpact == Impact.NONE) {
          continue;
        }
        List<String> on = onHost(host.name());
        if (on.size() == 1) {
          ComponentSpec c = byName.get(on.get(0));
          String why = c.kind() != ComponentKind.DATABASE ? "every path to " + target() + " passes through it"
              : replicaNames().isEmpty() ? "holds the application's data, with no replica"
              : "the primary, the only database that takes writes (" + names(replicaNames())
                  + (replicaNames().size() == 1 ? " is a replica" : " are replicas")
                  + ", read-only until a failover promotes one)";
          findings.add(new Finding(Finding.Kind.SINGLE_POINT_OF_FAILURE, c.name(),
              role(c) + " on host " + host + ": " + why + "; losing it (or its host) " + describe(hostImpact)
                  + "."));
          continue;
        }
        boolean onlyServer = components.stream().allMatch(c -> c.host().equals(host.name()));
        StringBuilder why = new StringBuilder(onlyServer ? "the only server, " : "").append("runs ")
            .append(names(on)).append("; losing it ")
            .append(describe(hostImpact)).append('.');
        List<String> alone = on.stream().filter(n -> byComponent.get(n) != Impact.NONE).toList();
        List<String> viaHost = on.stream().filter(n -> byComponent.get(n) == Impact.NONE).toList();
        if (!alone.isEmpty()) {
          Map<Impact, List<String>> byImpact = new LinkedHashMap<>();
          alone.forEach(n -> byImpact.computeIfAbsent(byComponent.get(n), k -> new ArrayList<>()).add(n));
          List<String> parts = new ArrayList<>();
          byImpact.forEach((impact, names) -> parts.add(
              names(names) + " " + describeShort(impact, names.size() > 1)));
          why.append(" Each of ").append(names(alone)).append(" is also the only path on its own: ")
              .append(String.join("; ", parts)).append('.');
        }
        if (!viaHost.isEmpty()) {
          why.append(' ').append(names(viaHost)).append(viaHost.size() == 1 ? " counts" : " count")
              .append(" only through the host: every peer runs on ").append(host.name()).append(" too.");
        }
        findings.add(new Finding(Finding.Kind.SINGLE_POINT_OF_FAILURE, "host " + host, why.toString()));
      }
    }

    private void maintenance(List<Finding> findings, Map<String, Impact> byComponent) {
      for (ComponentSpec c : components) {
        Impact i = byComponent.get(c.name());
        if (i != Impact.NONE && (c.kind() == ComponentKind.WEB_SERVER || c.kind() == ComponentKind.APP_SERVER)) {
          findings.add(new Finding(Finding.Kind.DOWNTIME_DURING_MAINTENANCE, c.name(),
              "no other " + tierName(c.kind()) + " can take its requests, so restarting it (to deploy code, for"
                  + " example) " + headline(i) + " until it is back: " + detail(i) + "."));
        }
      }
    }

    private void notScalable(List<Finding> findings) {
      Set<String> used = components.stream().map(ComponentSpec::host).collect(Collectors.toSet());
      if (used.size() == 1) {
        HostSpec host = hosts.get(used.iterator().next());
        findings.add(new Finding(Finding.Kind.NOT_SCALABLE, "host " + host,
            "one server runs every component (" + names(components.stream().map(ComponentSpec::name).toList())
                + "): every request and every query lands on this one machine, whose capacity is the site's;"
                + " under heavy traffic it slows down or fails. (The audit reads the topology; it does not"
                + " measure load.)"));
      }
    }

    private void noFirewall(List<Finding> findings) {
      List<String> exposed = new ArrayList<>();
      for (ComponentSpec c : components) {
        if (c.kind() != ComponentKind.DATABASE && !entries.contains(c)) {
          exposed.add(c.name() + " at " + hosts.get(c.host()).address() + ":" + c.port());
        }
      }
      findings.add(new Finding(Finding.Kind.NO_FIREWALL, "network",
          "no firewall is modeled (the library has none yet, so every audit reports this): every HTTP listener"
              + " of every host is reachable from the internet"
              + (exposed.isEmpty() ? "" : ", not only the entry point: " + String.join(", ", exposed)) + "."));
    }

    private void noHttps(List<Finding> findings) {
      String subject = entries.isEmpty() ? "every listener"
          : entries.stream().map(c -> c.name() + ":" + c.port()).collect(Collectors.joining(", "));
      findings.add(new Finding(Finding.Kind.NO_HTTPS, subject,
          "no component listens for TLS (the library has no HTTPS listener yet, so every audit reports this):"
              + " clients send requests and receive pages in plain HTTP, which can be read and changed on the way."));
    }

    private void noMonitoring(List<Finding> findings) {
      // The one place that decides whether failures are detected. Health checks route around dead servers, but
      // they are the balancer's business, not monitoring in the seed's sense: nothing collects metrics, keeps
      // history or alerts an operator. The library models no monitoring system, so the finding always stands;
      // its text says what the checks do cover.
      String subject = spec.balancer().map(ComponentSpec::name).orElse("stack");
      String what;
      if (spec.balancer().isEmpty()) {
        what = "there is no balancer to check servers";
      } else if (spec.balancer().get().healthCheck().enabled()) {
        what = subject + " checks its web servers (HAProxy health checks take a dead one out of rotation), but that"
            + " is routing, not monitoring: no system collects metrics or alerts anyone, and a slow or failing"
            + " server that still accepts connections stays in rotation";
      } else {
        what = subject + " has no health checks: a dead web server is found only when a request's connection to it"
            + " is refused (then retried on the next one), a slow or failing one not at all";
      }
      findings.add(new Finding(Finding.Kind.NO_MONITORING, subject,
          what + "; nothing in the stack watches the servers, so failures and slowness go unnoticed."));
    }

    private List<String> replicaNames() {
      return spec.database().map(db -> db.replicaSpecs().stream().map(ComponentSpec::name).toList())
          .orElse(List.of());
    }

    private String target() {
      if (hasApps && hasDatabase) {
        return "the application's data (" + spec.database().get().name() + ")";
      }
      return hasApps ? "the application" : "the web servers";
    }

    private String describe(Impact impact) {
      return impact == Impact.NONE ? "leaves every request served" : headline(impact) + ": " + detail(impact);
    }

    private static String headline(Impact impact) {
      return impact == Impact.SITE ? "takes the whole site down"
          : impact == Impact.WRITES ? "stops the application's writes" : "takes the application down";
    }

    private String detail(Impact impact) {
      String prefixes = dynamicPrefixes().isEmpty() ? "" : " (" + dynamicPrefixes() + ")";
      if (impact == Impact.WRITES) {
        String until = spec.database().flatMap(DatabaseSpec::failoverDetection)
            .map(d -> "until the automatic failover promotes a replica (after " + d.toMillis() + " ms down)")
            .orElse("until a failover promotes a replica");
        return "application requests" + prefixes + " that write fail " + until + "; reads are served by "
            + names(replicaNames()) + ", static pages too";
      }
      return impact == Impact.SITE ? "static pages and application requests fail"
          : "application requests" + prefixes + " fail, static pages are still served";
    }

    private static String describeShort(Impact impact, boolean plural) {
      return (plural ? "take" : "takes") + (impact == Impact.SITE ? " the whole site down"
          : impact == Impact.WRITES ? " away the application's writes" : " the application down");
    }

    private String tier(List<? extends ComponentSpec> tier) {
      return names(tier.stream().map(ComponentSpec::name).toList());
    }

    private static String role(ComponentSpec c) {
      return c.name() + " (" + tierName(c.kind()) + ", " + c.kind().standsFor() + " role)";
    }

    private static String tierName(ComponentKind kind) {
      switch (kind) {
        case BALANCER:
          return "load balancer";
        case WEB_SERVER:
          return "web server";
        case APP_SERVER:
          return "application server";
        default:
          return "database";
      }
    }

    private static String names(List<String> names) {
      if (names.size() <= 1) {
        return String.join("", names);
      }
      return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Audit a && title.equals(a.title) && findings.equals(a.findings)
        && byComponent.equals(a.byComponent) && byHost.equals(a.byHost);
  }

  @Override
  public int hashCode() {
    return Objects.hash(title, findings, byComponent, byHost);
  }
}
