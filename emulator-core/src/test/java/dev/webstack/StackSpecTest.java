package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.dns.DnsRecord;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StackSpecTest {

  @Test
  void simplePreset_putsEveryComponentOnOneServer() {
    StackSpec spec = StackSpec.simpleWebStack();

    assertThat(spec.hosts()).containsExactly(new HostSpec("server-1", "8.8.8.8"));
    assertThat(spec.components()).extracting(ComponentSpec::host).containsOnly("server-1");
    assertThat(spec.components()).extracting(ComponentSpec::name).containsExactly("db-1", "app-1", "web-1");
    assertThat(spec.balancer()).isEmpty();
    assertThat(spec.dns().records()).extracting(DnsRecord::toString)
        .containsExactly("foobar.com. 300 IN A 8.8.8.8", "www.foobar.com. 300 IN A 8.8.8.8");
  }

  @Test
  void distributedPreset_drawsTheSecondDesign() {
    StackSpec spec = StackSpec.distributed();

    assertThat(spec.balancer()).map(BalancerSpec::host).contains("lb-1");
    assertThat(spec.balancer().orElseThrow().algorithm().name()).isEqualTo("roundrobin");
    assertThat(spec.webServers()).extracting(ComponentSpec::name).containsExactly("web-1", "web-2");
    assertThat(spec.appServers()).extracting(ComponentSpec::name).containsExactly("app-1");
    assertThat(spec.database()).isPresent();
    assertThat(spec.hosts()).extracting(HostSpec::name).containsExactly("lb-1", "web-1", "web-2", "app-1", "db-1");
    assertThat(spec.entryPoint().name()).isEqualTo("lb-1");
    assertThat(spec.dns().records()).allMatch(r -> r.value().equals("8.8.8.8"));
  }

  @Test
  void toBuilder_replacesTheAppTierAndKeepsTheRest() {
    StackSpec spec = StackSpec.distributed().toBuilder().appServers(3).build();

    assertThat(spec.appServers()).extracting(ComponentSpec::name).containsExactly("app-1", "app-2", "app-3");
    assertThat(spec.webServers()).hasSize(2);
    assertThat(spec.hosts()).extracting(HostSpec::name).contains("app-2", "app-3");
    assertThat(spec.hosts()).extracting(HostSpec::address).doesNotHaveDuplicates();
    assertThat(spec.toString()).isEqualTo(spec.toBuilder().build().toString());
  }

  @Test
  void ioThreads_defaultsToOne_survivesToBuilder_andIsBounded() {
    assertThat(StackSpec.distributed().ioThreads()).isEqualTo(1);
    StackSpec four = StackSpec.distributed().toBuilder().ioThreads(4).build();
    assertThat(four.ioThreads()).isEqualTo(4);
    assertThat(four.toBuilder().build().ioThreads()).isEqualTo(4);
    assertThatThrownBy(() -> StackSpec.distributed().toBuilder().ioThreads(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ioThreads (0)");
    assertThatThrownBy(() -> StackSpec.distributed().toBuilder().ioThreads(65))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ioThreads (65)");
  }

  @Test
  void componentsWithoutHosts_getHostsOfTheirOwn() {
    StackSpec spec = StackSpec.builder("example.org").webServers(2).appServers(1).build();

    assertThat(spec.hosts()).extracting(HostSpec::name).containsExactly("app-1", "web-1", "web-2");
    assertThat(spec.hosts()).extracting(HostSpec::address).containsExactly("10.0.0.10", "10.0.0.11", "10.0.0.12");
    assertThat(spec.dns().records()).extracting(DnsRecord::value).containsOnly("10.0.0.11");
  }

  @Test
  void build_rejectsABalancerWithoutWebServers() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").loadBalancer(lb -> {}).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loadBalancer lb-1 needs web servers behind it, but webServers = 0");
  }

  @Test
  void build_rejectsAStackWithoutWebServers() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").appServers(1).build())
        .hasMessageContaining("webServers (0) must be positive");
  }

  @Test
  void build_rejectsSemiSyncWithoutReplicas_sayingWhatToDo() {
    assertThatThrownBy(() -> StackSpec.distributed().toBuilder().database(db -> db.semiSync()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("semiSync of db-1 needs replicas to acknowledge commits, but replicas = 0; add replicas(n) or"
            + " drop semiSync()");
    assertThat(StackSpec.distributed().toBuilder().database(db -> db.replicas(1).semiSync()).build().database())
        .isPresent();
  }

  @Test
  void build_rejectsDuplicateHostNames() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com")
            .host("a", "1.1.1.1").host("a", "1.1.1.2").webServers(1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host name (a) is declared twice");
  }

  @Test
  void build_rejectsDuplicateHostAddresses() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com")
            .host("a", "1.1.1.1").host("b", "1.1.1.1").webServers(1).build())
        .hasMessage("host address (1.1.1.1) is used by both a and b");
  }

  @Test
  void build_rejectsDuplicateComponentNames() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com")
            .webServers(1).appServers(1, app -> app.name("web-1")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("component name (web-1) is used twice: by a APP_SERVER and by a WEB_SERVER");
  }

  @Test
  void builder_rejectsMalformedDomains() {
    assertThatThrownBy(() -> StackSpec.builder("foo_bar.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("domain (foo_bar.com) must be a valid host name");
    assertThatThrownBy(() -> StackSpec.builder("-foobar.com")).hasMessageContaining("(-foobar.com)");
    assertThatThrownBy(() -> StackSpec.builder("localhost")).hasMessageContaining("at least two labels");
  }

  @Test
  void build_rejectsADynamicPrefixWithoutAnAppTier() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").webServers(1, w -> w.dynamicPrefix("/app/")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dynamicPrefix (/app/) of web-1 forwards to an application tier, but appServers = 0");
  }

  @Test
  void withoutAnAppTier_theDefaultPrefixIsDropped() {
    StackSpec spec = StackSpec.builder("foobar.com").webServers(1).build();

    assertThat(spec.webServers().get(0).dynamicPrefix()).isEmpty();
  }

  @Test
  void builder_rejectsPortsOutsideTheTcpRange() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").webServers(1, w -> w.port(65536)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port (65536) of web-1 must be between 1 and 65535");
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").webServers(1, w -> w.port(-1)))
        .hasMessageContaining("port (-1)");
  }

  @Test
  void build_rejectsTwoListenersOnOneHostPort() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").host("s", "8.8.8.8")
            .webServers(2, w -> w.host("s")).build())
        .hasMessage("web-1 and web-2 both listen on port 80 of host s; give one another port(..)");
  }

  @Test
  void build_rejectsCnameLoops() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").webServers(1)
            .dns(d -> d.cname("a", "b").cname("b", "c").cname("c", "a")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("CNAME loop in zone foobar.com: ")
        .hasMessageContaining("a.foobar.com")
        .hasMessageContaining("c.foobar.com");
  }

  @Test
  void build_rejectsACnameBesideOtherRecords() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").webServers(1)
            .dns(d -> d.a("www", "8.8.8.8").cname("www", "foobar.com.")).build())
        .hasMessage("name (www.foobar.com) has a CNAME and other records; a CNAME must stand alone (RFC 1034)");
  }

  @Test
  void dns_rejectsBadAddressesNamesAndTtls() {
    var builder = StackSpec.builder("foobar.com");
    assertThatThrownBy(() -> builder.dns(d -> d.a("www", "8.8.8")))
        .hasMessage("A record www.foobar.com: address (8.8.8) must be a dotted-quad IPv4 address");
    assertThatThrownBy(() -> builder.dns(d -> d.a("bad name", "8.8.8.8")))
        .hasMessage("record name (bad name) is not a valid host name");
    assertThatThrownBy(() -> builder.dns(d -> d.a("www", "8.8.8.8", Duration.ofSeconds(-1))))
        .hasMessageContaining("ttl (PT-1S)");
  }

  @Test
  void build_rejectsRecordsOutsideTheZone() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").webServers(1)
            .dns(d -> d.a("www.other.com.", "8.8.8.8")).build())
        .hasMessage("record name (www.other.com) is outside zone foobar.com");
  }

  @Test
  void database_rejectsAMissingSchema() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").database(db -> db.schema("classpath:nope.sql")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("schema (classpath:nope.sql) of db-1 does not exist (use classpath:<path> or a file path)");
  }

  @Test
  void host_rejectsAMalformedAddress() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").host("s", "300.1.1.1"))
        .hasMessage("address (300.1.1.1) of host s must be a dotted-quad IPv4 address");
  }

  @Test
  void toString_listsHostsRolesAndRecords() {
    assertThat(StackSpec.simpleWebStack().toString()).isEqualTo("""
        stack foobar.com serving foobar.com
          host server-1 (8.8.8.8)
            MySQL role: db-1 on server-1:3306 (schema classpath:webstack/demo/schema.sql)
            Gunicorn role: app-1 on server-1:8000
            Nginx role: web-1 on server-1:80 (static classpath:webstack/static, /api/* to app tier)
          dns foobar.com. 300 IN A 8.8.8.8
          dns www.foobar.com. 300 IN A 8.8.8.8""");
  }

  @Test
  void componentName_rejectsNullNamingTheField() {
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").webServers(1, w -> w.name(null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name (null) must be 1-63 lower-case letters, digits or inner hyphens");
  }

  @Test
  void serverCounts_farBeyondAnyStack_areRejectedBeforeConfiguringEachServer() {
    AtomicInteger configured = new AtomicInteger();
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").webServers(Integer.MAX_VALUE, web -> {
      if (configured.incrementAndGet() > 1_000) {
        throw new AssertionError("configured " + configured + " web servers before checking the count");
      }
    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("webServers (2147483647) must be between 0 and 1000");
    assertThatThrownBy(() -> StackSpec.builder("foobar.com").appServers(1_001, app -> configured.incrementAndGet()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("appServers (1001) must be between 0 and 1000");
    assertThat(configured).hasValue(0);
  }

  @Test
  void builder_rejectsADomainWithANumericTopLevelLabel() {
    // RFC 1123 section 2.1: a host name never has the dotted-decimal form, its top-level label is alphabetic.
    assertThatThrownBy(() -> StackSpec.builder("10.0.0.10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("domain (10.0.0.10) must be a valid host name");
    assertThatThrownBy(() -> StackSpec.builder("foobar.123")).hasMessageStartingWith("domain (foobar.123)");
  }

  @Test
  void healthCheckToBuilder_keepsIntervalsThatWereSetExplicitly() {
    HealthCheckSpec set = HealthCheckSpec.builder()
        .fastInter(HealthCheckSpec.DEFAULT_INTER)
        .downInter(HealthCheckSpec.DEFAULT_INTER)
        .timeout(HealthCheckSpec.DEFAULT_INTER)
        .build();

    HealthCheckSpec slower = set.toBuilder().inter(Duration.ofSeconds(1)).build();

    assertThat(slower.fastInter()).isEqualTo(HealthCheckSpec.DEFAULT_INTER);
    assertThat(slower.downInter()).isEqualTo(HealthCheckSpec.DEFAULT_INTER);
    assertThat(slower.timeout()).isEqualTo(HealthCheckSpec.DEFAULT_INTER);
    // Unset ones still follow inter.
    assertThat(HealthCheckSpec.defaults().toBuilder().inter(Duration.ofSeconds(1)).build().fastInter())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void toBuilder_roundTripsEverySetting() {
    StackSpec spec = StackSpec.builder("foobar.com")
        .name("shop")
        .host("edge", "8.8.8.8")
        .loadBalancer(lb -> lb.host("edge").allBackups(true).serverTimeout(Duration.ofSeconds(2)))
        .webServers(2, w -> w.weight(3).backup(w.name().equals("web-2")).backupAppServers("app-2"))
        .appServers(2)
        .database(db -> db.replicas(2).semiSync(Duration.ofMillis(300)).fencing(false))
        .dns(d -> d.a("www", "8.8.8.8").cname("shop", "www", Duration.ofSeconds(30)).negativeTtl(Duration.ZERO))
        .seed(7)
        .manualClock()
        .ioThreads(2)
        .build();

    StackSpec copy = spec.toBuilder().build();

    assertThat(copy.toString()).isEqualTo(spec.toString());
    assertThat(copy.name()).isEqualTo("shop");
    assertThat(copy.seed()).hasValue(7);
    assertThat(copy.manualClock()).isTrue();
    assertThat(copy.ioThreads()).isEqualTo(2);
    assertThat(copy.dns().negativeTtl()).isEqualTo(Duration.ZERO);
    assertThat(copy.webServers().get(1).backup()).isTrue();
    assertThat(copy.webServers().get(0).backupAppServers()).containsExactly("app-2");
    assertThat(copy.database().orElseThrow().replicationMode()).isEqualTo(spec.database().orElseThrow().replicationMode());
    assertThat(copy.database().orElseThrow().fencing()).isFalse();
    assertThat(copy.balancer().orElseThrow().serverTimeout()).isEqualTo(Duration.ofSeconds(2));
  }
}
