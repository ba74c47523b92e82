package dev.webstack.database;

/** When a primary's commit returns, relative to its replicas. */
public enum ReplicationMode {
  /** MySQL's default: the commit returns without waiting; a failover loses what no replica received. */
  ASYNC,
  /**
   * Semi-synchronous replication, {@code rpl_semi_sync_source_wait_point=AFTER_SYNC} with {@code
   * wait_for_replica_count=1}: the transaction is logged, then the commit waits until a replica's receiver has it
   * in its relay log (received, not applied), then the engine commits and the client gets its answer. When no
   * acknowledgement comes within the timeout the source falls back to asynchronous ({@code
   * Rpl_semi_sync_source_status=OFF}) and returns to semi-sync once a replica has caught up; the stack records
   * both as events and the window in {@link DatabaseCluster#semiSyncFallbacks()}.
   */
  SEMI_SYNC
}
