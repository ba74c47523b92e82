package dev.webstack.audit;

import static dev.webstack.audit.Finding.Kind.DOWNTIME_DURING_MAINTENANCE;
import static dev.webstack.audit.Finding.Kind.NOT_SCALABLE;
import static dev.webstack.audit.Finding.Kind.NO_FIREWALL;
import static dev.webstack.audit.Finding.Kind.NO_HTTPS;
import static dev.webstack.audit.Finding.Kind.NO_MONITORING;
import static dev.webstack.audit.Finding.Kind.SINGLE_POINT_OF_FAILURE;
import static dev.webstack.audit.Finding.Kind.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit as computed from the model: the seed's lists for both presets, and how topology changes move it. */
class AuditTest {

  @Test
  void simplePreset_findsTheSeedsThreeIssues_plusFirewallHttpsAndMonitoring() {
    Audit audit = StackSpec.simpleWebStack().audit();

    // The seed: "SPOF: only one server", "Downtime during maintenance", "Not scalable".
    assertThat(audit.findings(SINGLE_POINT_OF_FAILURE)).extracting(Finding::subject)
        .containsExactly("host server-1 (8.8.8.8)");
    assertThat(audit.findings(SINGLE_POINT_OF_FAILURE).get(0).explanation())
        .startsWith("the only server, runs web-1, app-1 and db-1; losing it takes the whole site down");
    assertThat(audit.findings(DOWNTIME_DURING_MAINTENANCE)).extracting(Finding::subject)
        .containsExactly("web-1", "app-1");
    assertThat(audit.findings(NOT_SCALABLE)).extracting(Finding::subject).containsExactly("host server-1 (8.8.8.8)");
    // Not in the seed's first list, but as true of that design as of the second.
    assertThat(audit.findings()).extracting(Finding::kind).containsExactly(SINGLE_POINT_OF_FAILURE,
        DOWNTIME_DURING_MAINTENANCE, DOWNTIME_DURING_MAINTENANCE, NOT_SCALABLE, NO_FIREWALL, NO_HTTPS, NO_MONITORING);
  }

  @Test
  void simplePreset_everyComponentAndTheHostAreSinglePointsOfFailure() {
    Audit audit = StackSpec.simpleWebStack().audit();

    assertThat(audit.impactOfLosingComponent("web-1")).isEqualTo(Impact.SITE);
    assertThat(audit.impactOfLosingComponent("app-1")).isEqualTo(Impact.APPLICATION);
    assertThat(audit.impactOfLosingComponent("db-1")).isEqualTo(Impact.APPLICATION);
    assertThat(audit.impactOfLosingHost("server-1")).isEqualTo(Impact.SITE);
    assertThat(audit.singlePointOfFailureComponents()).containsExactly("app-1", "db-1", "web-1");
    assertThat(audit.singlePointOfFailureHosts()).containsExactly("server-1");
  }

  @Test
  void distributedPreset_findsTheSeedsIssues_plusTheSingleAppServer() {
    Audit audit = StackSpec.distributed().audit();

    // The seed: the balancer and the database are SPOFs; no firewall; no HTTPS; no monitoring. The model adds
    // app-1, the only application server, and the downtime of restarting it.
    assertThat(audit.findings(SINGLE_POINT_OF_FAILURE)).extracting(Finding::subject)
        .containsExactly("lb-1", "app-1", "db-1");
    assertThat(audit.findings(DOWNTIME_DURING_MAINTENANCE)).extracting(Finding::subject).containsExactly("app-1");
    assertThat(audit.has(NOT_SCALABLE)).isFalse();
    assertThat(audit.findings()).extracting(Finding::kind).containsExactly(SINGLE_POINT_OF_FAILURE,
        SINGLE_POINT_OF_FAILURE, SINGLE_POINT_OF_FAILURE, DOWNTIME_DURING_MAINTENANCE, NO_FIREWALL, NO_HTTPS,
        NO_MONITORING);
    assertThat(audit.findings(NO_FIREWALL).get(0).explanation())
        .contains("web-1 at 10.0.0.11:80, web-2 at 10.0.0.12:80, app-1 at 10.0.0.21:8000");
    assertThat(audit.findings(NO_MONITORING)).extracting(Finding::subject).containsExactly("lb-1");
  }

  @Test
  void distributedPreset_webServersAreNotSinglePointsOfFailure() {
    Audit audit = StackSpec.distributed().audit();

    assertThat(audit.impactOfLosingComponent("lb-1")).isEqualTo(Impact.SITE);
    assertThat(audit.impactOfLosingComponent("web-1")).isEqualTo(Impact.NONE);
    assertThat(audit.impactOfLosingComponent("web-2")).isEqualTo(Impact.NONE);
    assertThat(audit.impactOfLosingComponent("app-1")).isEqualTo(Impact.APPLICATION);
    assertThat(audit.impactOfLosingComponent("db-1")).isEqualTo(Impact.APPLICATION);
    assertThat(audit.singlePointOfFailureHosts()).containsExactly("app-1", "db-1", "lb-1");
  }

  @Test
  void textForm_ofTheSimplePreset() {
    assertThat(StackSpec.simpleWebStack().audit().toString()).isEqualTo(String.join("\n",
        "audit of foobar.com: www.foobar.com -> 8.8.8.8 -> web-1; application requests /api/ -> app-1 -> db-1",
        "  [SPOF] host server-1 (8.8.8.8): the only server, runs web-1, app-1 and db-1; losing it takes the whole"
            + " site down: static pages and application requests fail. Each of web-1, app-1 and db-1 is also the"
            + " only path on its own: web-1 takes the whole site down; app-1 and db-1 take the application down.",
        "  [maintenance downtime] web-1: no other web server can take its requests, so restarting it (to deploy"
            + " code, for example) takes the whole site down until it is back: static pages and application"
            + " requests fail.",
        "  [maintenance downtime] app-1: no other application server can take its requests, so restarting it (to"
            + " deploy code, for example) takes the application down until it is back: application requests"
            + " (/api/) fail, static pages are still served.",
        "  [not scalable] host server-1 (8.8.8.8): one server runs every component (web-1, app-1 and db-1): every"
            + " request and every query lands on this one machine, whose capacity is the site's; under heavy"
            + " traffic it slows down or fails. (The audit reads the topology; it does not measure load.)",
        "  [no firewall] network: no firewall is modeled (the library has none yet, so every audit reports this):"
            + " every HTTP listener of every host is reachable from the internet, not only the entry point: app-1"
            + " at 8.8.8.8:8000.",
        "  [no HTTPS] web-1:80: no component listens for TLS (the library has no HTTPS listener yet, so every"
            + " audit reports this): clients send requests and receive pages in plain HTTP, which can be read and"
            + " changed on the way.",
        "  [no monitoring] stack: there is no balancer to check servers; nothing in the stack watches the servers,"
            + " so failures and slowness go unnoticed."));
  }

  @Test
  void secondAppServer_removesTheApplicationTiersSinglePointOfFailureAndItsDowntime() {
    Audit audit = Topologies.TWO_APP_SERVERS.spec().audit();

    assertThat(audit.findings(SINGLE_POINT_OF_FAILURE)).extracting(Finding::subject).containsExactly("lb-1", "db-1");
    assertThat(audit.has(DOWNTIME_DURING_MAINTENANCE)).isFalse();
    assertThat(audit.impactOfLosingComponent("app-2")).isEqualTo(Impact.NONE);
  }

  @Test
  void webServersOnOneHost_countOnlyThroughTheirHost() {
    Audit audit = Topologies.WEB_SERVERS_SHARE_A_HOST.spec().audit();

    assertThat(audit.impactOfLosingComponent("web-1")).isEqualTo(Impact.NONE);
    assertThat(audit.impactOfLosingComponent("web-2")).isEqualTo(Impact.NONE);
    assertThat(audit.impactOfLosingHost("webs")).isEqualTo(Impact.SITE);
    assertThat(audit.findings(SINGLE_POINT_OF_FAILURE)).filteredOn(f -> f.subject().startsWith("host webs"))
        .singleElement()
        .extracting(Finding::explanation)
        .isEqualTo("runs web-1 and web-2; losing it takes the whole site down: static pages and application"
            + " requests fail. web-1 and web-2 count only through the host: every peer runs on webs too.");
    assertThat(audit.has(DOWNTIME_DURING_MAINTENANCE)).isTrue(); // app-1 still
    assertThat(audit.findings(DOWNTIME_DURING_MAINTENANCE)).extracting(Finding::subject).containsExactly("app-1");
  }

  @Test
  void secondAddressForTheSiteName_makesTheBalancerNoLongerASinglePointOfFailure() {
    Audit audit = Topologies.TWO_ENTRY_POINTS.spec().audit();

    assertThat(audit.impactOfLosingComponent("lb-1")).isEqualTo(Impact.NONE);
    assertThat(audit.impactOfLosingComponent("web-1")).isEqualTo(Impact.NONE);
    assertThat(audit.singlePointOfFailureComponents()).containsExactly("app-1", "db-1");
    assertThat(audit.toString()).startsWith("audit of foobar.com: www.foobar.com -> 8.8.8.8, 10.0.0.11 -> lb-1 and"
        + " web-1; application requests /api/ -> app-1 -> db-1");
  }

  @Test
  void withoutDatabase_theApplicationServerIsTheTarget() {
    Audit audit = Topologies.NO_DATABASE.spec().audit();

    assertThat(audit.impactOfLosingComponent("app-1")).isEqualTo(Impact.APPLICATION);
    assertThat(audit.findings(SINGLE_POINT_OF_FAILURE)).extracting(Finding::subject).containsExactly("lb-1", "app-1");
    assertThat(audit.findings(SINGLE_POINT_OF_FAILURE).get(1).explanation())
        .contains("every path to the application passes through it");
  }

  @Test
  void withoutApplicationTier_staticPagesAreTheTarget() {
    Audit audit = StackSpec.distributed().toBuilder().appServers(0).noDatabase().build().audit();

    assertThat(audit.findings(SINGLE_POINT_OF_FAILURE)).extracting(Finding::subject).containsExactly("lb-1");
    assertThat(audit.toString()).startsWith(
        "audit of foobar.com: www.foobar.com -> 8.8.8.8 -> lb-1; static pages only (no application tier)");
  }

  @Test
  void siteNameLeadingNowhere_isUnreachable() {
    Audit audit = StackSpec.distributed().toBuilder().dns(d -> d.a("www", "192.0.2.1")).build().audit();

    assertThat(audit.findings(UNREACHABLE)).singleElement().extracting(Finding::explanation)
        .isEqualTo("www.foobar.com resolves to 192.0.2.1, where nothing listens on port 80: no request reaches the"
            + " stack");
    assertThat(audit.has(SINGLE_POINT_OF_FAILURE)).isFalse();
    assertThat(audit.impactOfLosingComponent("web-1")).isEqualTo(Impact.SITE);
  }

  @Test
  void apexIsAudited_whenTheZoneHasNoWww() {
    Audit audit = StackSpec.distributed().toBuilder().dns(d -> d.a("@", "10.0.0.12")).build().audit();

    assertThat(audit.toString()).startsWith("audit of foobar.com: foobar.com -> 10.0.0.12 -> web-2;");
    assertThat(audit.impactOfLosingComponent("web-2")).isEqualTo(Impact.SITE);
    assertThat(audit.impactOfLosingComponent("lb-1")).isEqualTo(Impact.NONE);
  }

  @Test
  void runningStack_auditsItsZoneAsChangedAtRunTime() throws Exception {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThat(stack.audit()).isEqualTo(stack.spec().audit());

      stack.dns().setA("www", Duration.ofSeconds(30), "10.0.0.11");

      Audit after = stack.audit();
      assertThat(after.impactOfLosingComponent("web-1")).isEqualTo(Impact.SITE);
      assertThat(after.impactOfLosingComponent("lb-1")).isEqualTo(Impact.NONE);
      // The emulation agrees: the stack's clients, which had cached nothing, now go straight to web-1.
      stack.node("lb-1").kill();
      assertThat(stack.httpClient().send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://www.foobar.com/")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

      stack.dns().healAll();
      assertThat(stack.audit()).isEqualTo(stack.spec().audit());
    }
  }

  @Test
  void auditIgnoresKilledNodesAndFaults_itReadsTheDesign() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      stack.node("web-1").kill();
      stack.dns().servfail("www");

      assertThat(stack.audit()).isEqualTo(StackSpec.distributed().audit());
    }
  }

  @Test
  void replicas_areComponentsOfTheAudit_andTheirLossLeavesEveryRequestServed() {
    // StackSpec.components() and the stack's nodes list the replicas; the audit must answer for each of them.
    StackSpec spec = StackSpec.distributed().toBuilder().database(db -> db.replicas(1)).build();
    Audit audit = spec.audit();

    spec.components().forEach(c -> assertThat(audit.impactOfLosingComponent(c.name())).as(c.name()).isNotNull());
    assertThat(audit.impactOfLosingComponent("db-2")).isEqualTo(Impact.NONE);
    assertThat(audit.impactOfLosingHost("db-2")).isEqualTo(Impact.NONE);
    assertThat(audit.findings(SINGLE_POINT_OF_FAILURE)).extracting(Finding::subject)
        .containsExactly("lb-1", "app-1", "db-1");
    assertThat(audit.findings(SINGLE_POINT_OF_FAILURE).get(2).explanation())
        .doesNotContain("with no replica").contains("db-2");
  }

  @Test
  void losingThePrimaryOfAReplicatedDatabase_stopsOnlyTheWrites_untilAFailover() {
    Audit audit = StackSpec.distributed().toBuilder().database(db -> db.replicas(1)).build().audit();

    assertThat(audit.impactOfLosingComponent("db-1")).isEqualTo(Impact.WRITES);
    assertThat(audit.impactOfLosingHost("db-1")).isEqualTo(Impact.WRITES);
    assertThat(audit.findings(SINGLE_POINT_OF_FAILURE).get(2).explanation()).contains(
        "stops the application's writes: application requests (/api/) that write fail until a failover promotes a"
            + " replica; reads are served by db-2");

    Audit automatic = StackSpec.distributed().toBuilder()
        .database(db -> db.replicas(1).automaticFailover(java.time.Duration.ofSeconds(5))).build().audit();
    assertThat(automatic.findings(SINGLE_POINT_OF_FAILURE).get(2).explanation())
        .contains("until the automatic failover promotes a replica (after 5000 ms down)");
  }

  @Test
  void simplePresetWithAReplica_isNotOneServerRunningEverything() {
    Audit audit = StackSpec.simpleWebStack().toBuilder().database(db -> db.replicas(1)).build().audit();
    assertThat(audit.has(NOT_SCALABLE)).as(audit.toString()).isFalse();
    assertThat(audit.impactOfLosingComponent("db-2")).isEqualTo(Impact.NONE);
  }

  @Test
  void impactOfUnknownNames_isRejectedNamingTheKnownOnes() {
    Audit audit = StackSpec.distributed().audit();

    assertThatThrownBy(() -> audit.impactOfLosingComponent("web-9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no component named web-9 (components: ");
    assertThatThrownBy(() -> audit.impactOfLosingHost("nowhere"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no host named nowhere (hosts: ");
  }

  @Test
  void findings_areImmutable() {
    List<Finding> findings = StackSpec.distributed().audit().findings();

    assertThatThrownBy(() -> findings.add(new Finding(NO_HTTPS, "x", "y")))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
