package dev.webstack.database;

import dev.webstack.DatabaseNode;
import java.time.Duration;

/**
 * A replica's replication controls, MySQL's {@code START/STOP REPLICA IO_THREAD | SQL_THREAD} and {@code
 * SOURCE_DELAY}, plus the faults a test injects. Valid while the node is a replica; after a failover promoted it,
 * every call throws {@link IllegalStateException}. Thread-safe.
 */
public interface Replica {

  String name();

  DatabaseNode node();

  ReplicationStatus status();

  /** {@code STOP REPLICA IO_THREAD}: nothing more arrives; semi-sync gets no acknowledgement from this replica. */
  void stopReceiver();

  /** {@code START REPLICA IO_THREAD}: fetches everything missing by GTID. */
  void startReceiver();

  /** {@code STOP REPLICA SQL_THREAD}: received transactions pile up in the relay log. */
  void stopApplier();

  /** {@code START REPLICA SQL_THREAD}: also clears the last apply error. */
  void startApplier();

  /** Stops both threads ({@code STOP REPLICA}). */
  default void pause() {
    stopReceiver();
    stopApplier();
  }

  /** Starts both threads ({@code START REPLICA}). */
  default void resume() {
    startApplier();
    startReceiver();
  }

  /**
   * How long after its commit a transaction reaches this replica's relay log: network and receiver delay, the
   * window in which an asynchronous failover loses it. Zero by default.
   */
  void shipDelay(Duration delay);

  /**
   * How long after its commit a transaction is applied here, at the earliest (MySQL's {@code SOURCE_DELAY}, in
   * stack-clock time rather than whole seconds): the staleness of reads on this replica. Zero by default.
   */
  void applyDelay(Duration delay);

  /**
   * MySQL's {@code SOURCE_CONNECT_RETRY}: when its source goes down, the receiver shows {@code Connecting} and tries
   * to reach it again every {@code interval} of stack-clock time, resuming by GTID once the source is back. By
   * default 3 s: MySQL's 60 s divided by 20, as the stack scales other timings for tests. Unlike MySQL there is no
   * {@code SOURCE_RETRY_COUNT}: it retries for as long as it runs.
   *
   * @throws IllegalArgumentException when {@code interval} is not positive
   */
  void connectRetry(Duration interval);

  /** Partitions the link from the source: the receiver cannot fetch; the server and its clients are unaffected. */
  void disconnect();

  /** Heals the partition; the receiver fetches what it missed. */
  void reconnect();
}
