package dev.webstack.database;

import dev.webstack.internal.DataSourceBase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read/write-splitting data source of one client (an application server), in the role of ProxySQL or MySQL
 * Router 8.2+ with {@code access_mode=auto}, with Connector/J's {@code setReadOnly} rule:
 *
 * <ul>
 *   <li>autocommit {@code SELECT} (also {@code WITH}, {@code SHOW}...) without {@code FOR UPDATE/FOR SHARE} → a
 *       replica, round robin per statement over running replicas; a connection marked {@code setReadOnly(true)}
 *       sends every statement there, as Connector/J's replication driver does (a write then fails with 1290;
 *       with no replica running it reaches the primary and fails with 1792, the read-only session's error);
 *   <li>everything else (DML, DDL, locking reads, {@code BEGIN}) → the primary;
 *   <li>a transaction ({@code setAutoCommit(false)}, {@code BEGIN} or {@code SET autocommit = 0}) stays on one node
 *       until it ends: the primary, or a replica for a read-only connection or {@code START TRANSACTION READ
 *       ONLY}; a statement prepared earlier runs there too when executed inside it; when that node dies, the
 *       transaction is lost, and statements fail with 08S01 until the application ends it (see
 *       {@link RouterConnection});
 *   <li>replicas whose {@code Seconds_Behind_Source} exceeds {@code maxReplicationLag}, or is NULL, are shunned
 *       (ProxySQL's {@code SHUNNED_REPLICATION_LAG}, NULL counting as lagging); with no replica left reads go to the
 *       primary;
 *   <li>with causal reads on, a read goes to a replica that has executed every transaction this data source
 *       committed (MySQL Router's {@code wait_for_my_writes}; the token is this client's, so one application
 *       server reads its own writes across requests and connections), waiting up to the configured time of real
 *       time (none on a manual clock), then falls back to the primary.
 * </ul>
 *
 * The writer is whichever node accepts writes now: the router follows a failover at once (ProxySQL's monitor polls
 * {@code read_only} every 1.5 s; here the poll is instantaneous). With two writable nodes (split brain) writes
 * alternate between them, as a ProxySQL writer hostgroup with two writers does. When no node is writable, writes go
 * to the primary of record and fail there (08S01 while it is down, 1290 when it came back read-only).
 *
 * <p>Differences from the real routers: routing looks at each statement's text when it is executed (a prepared
 * statement outside a transaction stays on the node it was prepared on);
 * statements are not parsed (a write hidden in a function call inside a SELECT goes to a replica and fails with
 * 1290 there).
 */
final class ReadWriteRouter extends DataSourceBase {

  private final ReplicationCluster cluster;
  private final String client;
  private final Duration maxLag;
  private final Duration causalWait;
  private final AtomicInteger readTurn = new AtomicInteger();
  private final AtomicInteger writeTurn = new AtomicInteger();
  private final GtidSet.Mutable written = new GtidSet.Mutable();

  ReadWriteRouter(ReplicationCluster cluster, String client, Duration maxLag, Duration causalWait) {
    this.cluster = cluster;
    this.client = client;
    this.maxLag = maxLag;
    this.causalWait = causalWait;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return new RouterConnection(this);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  // ---- choosing nodes

  H2Database writer() {
    List<H2Database> writers = cluster.writers();
    if (writers.isEmpty()) {
      return cluster.currentPrimary();
    }
    return writers.size() == 1 ? writers.get(0)
        : writers.get(Math.floorMod(writeTurn.getAndIncrement(), writers.size()));
  }

  H2Database reader() throws SQLException {
    List<H2Database> usable = new ArrayList<>();
    for (H2Database r : cluster.readers()) {
      if (maxLag == null || withinLag(r)) {
        usable.add(r);
      }
    }
    if (usable.isEmpty()) {
      return writer();
    }
    if (causalWait == null) {
      return usable.get(Math.floorMod(readTurn.getAndIncrement(), usable.size()));
    }
    GtidSet mine;
    synchronized (written) {
      mine = written.snapshot();
    }
    long deadline = System.nanoTime() + (cluster.context().clock().isManual() ? 0 : causalWait.toNanos());
    int start = Math.floorMod(readTurn.getAndIncrement(), usable.size());
    while (true) {
      for (int i = 0; i < usable.size(); i++) {
        H2Database r = usable.get((start + i) % usable.size());
        if (r.hasExecutedAll(mine)) {
          return r;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return writer(); // wait_for_my_writes timed out: read the primary
      }
      try {
        cluster.awaitProgress(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for a replica to catch up", "70100", e);
      }
    }
  }

  private boolean withinLag(H2Database replica) {
    ReplicaChannel c = replica.channel();
    if (c == null) {
      return false;
    }
    var sbs = c.status().secondsBehindSource();
    return sbs.isPresent() && sbs.getAsLong() <= maxLag.toSeconds();
  }

  /** Remembers a commit of one of this client's connections, for causal reads. */
  void committed(H2Database node, BinlogTx tx) {
    synchronized (written) {
      written.add(tx.uuid(), tx.id());
    }
  }

  String client() {
    return client;
  }

  @Override
  public String toString() {
    return "read/write-splitting DataSource of " + client;
  }
}
