/**
 * The database tier (MySQL's role): H2 in-memory databases in MySQL mode, a primary and optional replicas with
 * MySQL-style replication. Users meet {@link dev.webstack.database.DatabaseCluster} ({@code
 * stack.databaseCluster()}), {@link dev.webstack.database.Replica}, the value types it returns, and {@link
 * dev.webstack.database.OperationHistory} with {@link dev.webstack.database.HistoryChecker}; {@code docs/replication.md}
 * is the user guide.
 *
 * <h2>How it works</h2>
 *
 * <ul>
 *   <li>Each node ({@link dev.webstack.database.H2Database}) is its own H2 database. Client connections are
 *       wrapped ({@code NodeConnection}): the H2 connection never autocommits, the wrapper owns commit, rollback,
 *       savepoints, transaction-control text and DDL, and checks {@code read_only}.
 *   <li>Capture: every table of a replicated node comes from an H2 table engine ({@code internal.CaptureEngine},
 *       named in the URL's {@code DEFAULT_TABLE_ENGINE}) whose tables hand row images, as H2 values, to the
 *       statement's connection through a thread-local; a failed statement truncates them, a rollback drops them.
 *   <li>Commit (AFTER_SYNC): GTID and binary-log entry under the node's log lock, fetch by the replicas' receivers
 *       (in the committing thread in semi-synchronous mode, within a millisecond on the task pool in asynchronous
 *       mode), the semi-sync wait, then H2's commit. DDL is logged as a statement event.
 *   <li>Each replica has a {@code ReplicaChannel}: receiver (pull by GTID from its source's log, after the ship
 *       delay) and applier (after the apply delay, {@code MERGE ... KEY(pk)} / {@code DELETE} by key, idempotent,
 *       grouped per H2 commit). Both run as short tasks, inline on a manual clock, on the stack's task pool on the
 *       real clock: the package starts no thread of its own.
 *   <li>{@code ReadWriteRouter} is the data source application servers get; {@code ReplicationCluster} owns the
 *       topology, failover, semi-sync state and split-brain detection.
 * </ul>
 *
 * H2 types appear in no public signature except those of {@code dev.webstack.database.internal}, which H2 reaches by
 * class name.
 */
package dev.webstack.database;
