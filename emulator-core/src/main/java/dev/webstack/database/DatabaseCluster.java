package dev.webstack.database;

import dev.webstack.DatabaseNode;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A stack's database tier: a primary and its replicas, with MySQL-style replication between them. Reach it with
 * {@code stack.databaseCluster()}; configure it with {@code StackSpec.Builder.database(db -> db.replicas(2)...)}.
 *
 * <p>{@snippet :
 * DatabaseCluster db = stack.databaseCluster();
 * db.replica("db-2").applyDelay(Duration.ofSeconds(1));  // reads on db-2 are a second stale
 * stack.node("db-1").kill();
 * FailoverReport report = db.failover();                  // promotes db-2 (or the most advanced replica)
 * report.lostAcknowledged();                              // what clients were told was committed, now gone
 * }
 *
 * <p>Application servers get {@link #dataSource()}'s routing kind: writes, transactions and locking reads to the
 * primary, plain reads round robin to replicas. Every replication event (failover, semi-sync fallback and return,
 * split brain, replica errors, partitions) is recorded in the stack's event log. Thread-safe.
 */
public interface DatabaseCluster {

  /** The current primary: {@code db-1} until a failover promotes a replica. */
  DatabaseNode primary();

  /** Every database node, primary first, in name order. */
  List<DatabaseNode> nodes();

  /** The nodes that currently are replicas. */
  List<Replica> replicas();

  /**
   * A replica by node name.
   *
   * @throws IllegalArgumentException when no node has that name or it is not a replica now
   */
  Replica replica(String name);

  ReplicationMode mode();

  /** {@code Rpl_semi_sync_source_status}: true while a semi-sync primary waits for acknowledgements. */
  boolean semiSyncActive();

  /** Every semi-sync fallback window so far, oldest first. */
  List<SemiSyncFallback> semiSyncFallbacks();

  /** One node's replication status. */
  ReplicationStatus status(String node);

  /** Every node's status, primary first. */
  List<ReplicationStatus> status();

  /**
   * Fails over now, as a failover tool does when asked: fences the old primary (unless the spec switched fencing
   * off), promotes the most advanced running replica after it applied everything it received, points the other
   * replicas at it by GTID and reports what acknowledged writes were lost. Routing data sources follow at once.
   *
   * @throws IllegalStateException when no replica runs
   */
  FailoverReport failover();

  /** Every failover so far, oldest first. */
  List<FailoverReport> failovers();

  /**
   * The cumulative view of lost writes, now: every transaction some node acknowledged to a client while it was a
   * writer (the first primary, a promoted one, an unfenced old primary during split brain) that the current
   * primary has not executed: {@code GTID_SUBTRACT(acked(all nodes), gtid_executed(primary))}. What a client
   * history checked against the primary's final content shows lost ({@link HistoryChecker#lostWrites}).
   *
   * <p>The failover reports split the same loss by failover: each GTID is in the report of the first failover that
   * lost it, so after any number of failovers their union equals this set, unless a lost write came back (a
   * former primary holding it rejoined and was promoted again), which this view shows and the reports do not.
   * MySQL keeps no such record; failover tools (Orchestrator, MHA) report per recovery.
   */
  GtidSet lostAcknowledged();

  /** The rows {@link #lostAcknowledged()} changed, as table and key values. */
  List<RowRef> lostRows();

  /** Present once two writable nodes committed at the same time (see {@link SplitBrainReport}). */
  Optional<SplitBrainReport> splitBrain();

  /**
   * Points a detached node (a former primary) or a replica at the current primary by GTID, read-only; returns its
   * errant transactions ({@code GTID_SUBTRACT(executed(node), executed(primary))}), which stay on it, as in MySQL.
   * Use {@link #rebuild} to get rid of them.
   */
  GtidSet rejoin(String node);

  /**
   * Re-creates a node from a clone of the current primary (data and {@code gtid_executed}, as MySQL's clone
   * plugin does) and attaches it as a read-only replica.
   */
  void rebuild(String node) throws SQLException;

  /** {@code SET GLOBAL read_only = ...} (and {@code super_read_only} with it) on a node. */
  void setReadOnly(String node, boolean readOnly);

  /**
   * True when every running replica has executed everything the primary executed, its threads run, its link is
   * up and its relay log is empty. Wait for it with {@code stack.await("replicas converged", timeout,
   * cluster::isConverged)}.
   */
  boolean isConverged();

  /**
   * Every table of a node, its rows ordered by primary key, read directly (whether the node runs or not): compare
   * two nodes row by row with {@code assertThat(db.content("db-2")).isEqualTo(db.content("db-1"))}.
   */
  Map<String, List<List<Object>>> content(String node) throws SQLException;

  /**
   * A routing data source for the test itself (client name {@code "client"}), as application servers get theirs.
   */
  DataSource dataSource();

  /** The history of client operations that tests record, and check with {@link HistoryChecker}. */
  OperationHistory history();

  /**
   * Partitions the link between two database nodes: when one replicates from the other, its receiver is
   * disconnected (events stop arriving; both servers keep serving their clients). The one entry point for link
   * faults between database nodes.
   */
  void partition(String nodeA, String nodeB);

  /** Heals a partition made by {@link #partition}. */
  void heal(String nodeA, String nodeB);
}
