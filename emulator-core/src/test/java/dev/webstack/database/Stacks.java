package dev.webstack.database;

import dev.webstack.DatabaseSpec;
import dev.webstack.StackSpec;
import java.util.function.Consumer;

/** Specs of the replication tests: a load balancer, one web and one application server, a replicated database. */
final class Stacks {

  private Stacks() {}

  /** The KV application over a database configured by {@code db} (schema set), on a manual clock. */
  static StackSpec kv(Consumer<DatabaseSpec.Builder> db) {
    return StackSpec.builder("foobar.com")
        .manualClock()
        .seed(42)
        .loadBalancer(lb -> {})
        .webServers(1)
        .appServers(1, app -> app.handler(KvApp.handler()))
        .database(d -> {
          d.schema(KvApp.SCHEMA);
          db.accept(d);
        })
        .build();
  }
}
