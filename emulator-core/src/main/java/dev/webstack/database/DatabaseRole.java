package dev.webstack.database;

/** What a database node is in its replication topology. */
public enum DatabaseRole {
  /** Takes the writes; replicas copy its binary log. */
  PRIMARY,
  /** Copies a source's binary log (receiver) and applies it (applier); read-only for clients. */
  REPLICA,
  /** Neither: a former primary after a failover, until {@link DatabaseCluster#rejoin} or a rebuild attaches it. */
  DETACHED
}
