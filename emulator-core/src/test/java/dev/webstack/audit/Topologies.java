package dev.webstack.audit;

import dev.webstack.StackSpec;
import java.time.Duration;
import java.util.List;

/** The topologies the audit tests run: both presets and variations that move single points of failure. */
final class Topologies {

  private Topologies() {}

  /** A named spec, and the application request that reads its data. */
  record Topology(String name, StackSpec spec, String appPath) {
    /** Whether the application also writes its data: a POST to {@link #appPath} (the demo's posts). */
    boolean writes() {
      return appPath.equals("/api/posts");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final Topology SIMPLE = new Topology("simple", StackSpec.simpleWebStack(), "/api/posts");

  static final Topology DISTRIBUTED = new Topology("distributed", StackSpec.distributed(), "/api/posts");

  /** The distributed preset with a second application server on a host of its own. */
  static final Topology TWO_APP_SERVERS = new Topology("two app servers",
      StackSpec.distributed().toBuilder().appServers(2).build(), "/api/posts");

  /** Both web servers on one host: neither is a single point of failure, their host is. */
  static final Topology WEB_SERVERS_SHARE_A_HOST = new Topology("web servers share a host",
      StackSpec.distributed().toBuilder().host("webs", "10.0.0.10").webServers(2, web -> web.host("webs").port(web.name().equals("web-1") ? 80 : 8080))
          .build(),
      "/api/posts");

  /** www has two A records, the balancer and web-1 (DNS round robin as clients meet it: first, then next). */
  static final Topology TWO_ENTRY_POINTS = new Topology("two entry points",
      StackSpec.distributed().toBuilder()
          .dns(d -> d.a("@", "8.8.8.8").a("www", "8.8.8.8", Duration.ofSeconds(60)).a("www", "10.0.0.11"))
          .build(),
      "/api/posts");

  /** The distributed preset with a replica of the database on a host of its own: the primary is a SPOF for writes. */
  static final Topology REPLICATED = new Topology("replicated database",
      StackSpec.distributed().toBuilder().database(db -> db.replicas(1)).build(), "/api/posts");

  /** No database: the application is the target, asked for a path that reads no data. */
  static final Topology NO_DATABASE = new Topology("no database",
      StackSpec.distributed().toBuilder().noDatabase().build(), "/api/whoami");

  static List<Topology> all() {
    return List.of(SIMPLE, DISTRIBUTED, TWO_APP_SERVERS, WEB_SERVERS_SHARE_A_HOST, TWO_ENTRY_POINTS, REPLICATED,
        NO_DATABASE);
  }
}
