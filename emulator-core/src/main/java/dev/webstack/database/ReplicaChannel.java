package dev.webstack.database;

import dev.webstack.StackClock;
import dev.webstack.database.internal.Capture;
import dev.webstack.database.internal.Identity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.value.Value;
import org.h2.value.ValueNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's replication threads: the receiver (MySQL's IO thread) copies its source's binary log into the relay
 * log, the applier (SQL thread) applies relay-log transactions to the replica's H2 database.
 *
 * <p>The receiver pulls by GTID auto-positioning: everything in the source's log that the replica has neither
 * received nor executed, in log order, each transaction once {@code commitTime + shipDelay} has passed on the
 * stack's clock. Its receipt is the semi-sync acknowledgement. The applier applies a transaction once {@code
 * commitTime + applyDelay} has passed (MySQL's {@code SOURCE_DELAY}), in one H2 transaction, row images as {@code
 * MERGE ... KEY(pk)} and deletes by key, idempotently ({@code replica_exec_mode=IDEMPOTENT}), and records it with
 * its original GTID. An apply error stops the applier, as MySQL's SQL thread stops, with the error in the status.
 * Identity (auto-increment) counters end past the highest applied value, as a MySQL replica's do; they are raised
 * once per applied batch rather than by H2 for every row ({@link Identity}).
 *
 * <p>Both run as short tasks: on a manual clock in the thread that commits or advances the clock (so a test sees
 * their effect when the call returns). On the real clock the applier runs on the stack's task pool, woken at most
 * once a millisecond (so a transaction applies up to 1 ms after it is due), up to {@value #BATCH} transactions per
 * H2 commit; the receiver runs in the committing thread in semi-synchronous mode (the commit waits for its receipt)
 * and on the task pool in asynchronous mode, woken at most once a millisecond after a commit and handing over to
 * the applier in the same task. No thread of their own.
 *
 * <p>A kill of the replica empties the relay log ({@code relay_log_recovery=ON}): after the restart the receiver
 * fetches again from what was executed.
 *
 * <p>When the source goes down (killed, its host down) the receiver loses it and shows {@code Connecting}; it tries
 * again every {@link #connectRetry} of stack-clock time (MySQL's {@code SOURCE_CONNECT_RETRY}) and, once the source
 * is back, resumes by GTID auto-positioning, so replicas converge after a source restart without a {@code START
 * REPLICA}. Differences from MySQL: the default interval is MySQL's 60 s divided by 20 ({@value
 * #DEFAULT_CONNECT_RETRY_MILLIS} ms), as the stack scales HAProxy's health-check timings, so that a test sees the
 * reconnection quickly; there is no {@code SOURCE_RETRY_COUNT}: the receiver retries for as long as it runs (MySQL
 * stops the IO thread with an error after that many attempts); {@code START REPLICA IO_THREAD} on a receiver that is
 * retrying connects at once (MySQL ignores it on a running thread; STOP then START does that); a partition healed
 * with {@link #reconnect} fetches at once rather than at the next retry.
 */
final class ReplicaChannel {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaChannel.class);

  /** How long a transaction waits at most for the applier to wake up on the real clock. */
  static final Duration APPLIER_WAKE_UP = Duration.ofMillis(1);

  /** How long an asynchronous commit waits at most for the receiver to fetch it on the real clock. */
  static final Duration RECEIVER_WAKE_UP = Duration.ofMillis(1);

  /** How many looks a receiver's task makes in a row on one pool thread before it hands the thread back. */
  static final int LOOKS_IN_A_ROW = 1_000;

  /** Transactions applied per H2 commit at most. */
  static final int BATCH = 64;

  /** {@link #connectRetry} unless set: MySQL's {@code SOURCE_CONNECT_RETRY} of 60 s divided by 20. */
  static final long DEFAULT_CONNECT_RETRY_MILLIS = 3_000;

  private final H2Database node;
  private final ReplicationCluster cluster;
  private final StackClock clock;
  private volatile H2Database source;
  private boolean receiverRunning = true;
  private boolean applierRunning = true;
  private boolean connected = true;
  // Whether a look could fetch at all (running, connected, source reachable, node up, not closed), for the writer's
  // pollSoon to read without this monitor: a stopped or cut-off receiver is not woken by every commit. Written
  // under this monitor by refreshMayFetch(); every change that makes fetching possible again polls afterwards.
  private volatile boolean mayFetch = true;
  /** The receiver lost its source (it went down) and retries every connectRetry: {@code Connecting}. */
  private boolean sourceLost;
  private long connectRetryNanos = Duration.ofMillis(DEFAULT_CONNECT_RETRY_MILLIS).toNanos();
  private StackClock.Scheduled retryTimer;
  private boolean closed;
  private long shipDelayNanos;
  private long applyDelayNanos;
  private final ArrayDeque<BinlogTx> relay = new ArrayDeque<>();
  private final GtidSet.Mutable retrieved = new GtidSet.Mutable();
  /** Position in the source's log up to which the receiver has looked. */
  private long cursor;
  private StackClock.Scheduled pollTimer;
  private long pollDue = Long.MAX_VALUE;
  private StackClock.Scheduled applyTimer;
  private long applyDue = Long.MAX_VALUE;
  private String lastError = "";
  /** Set by {@link #fetch} when it stopped the receiver, for {@link #poll} to record outside the monitor. */
  private String receiverError;
  private int lastErrno;
  /**
   * True while {@link #lastErrno} is the receiver's error (MySQL's {@code Last_IO_Errno}), not the applier's ({@code
   * Last_SQL_Errno}): the two share one field here, and {@code START REPLICA SQL_THREAD} clears only the applier's.
   */
  private boolean receiverFailed;

  private final AtomicBoolean applyQueued = new AtomicBoolean();
  private final AtomicBoolean pollQueued = new AtomicBoolean();
  private final ReentrantLock applyLock = new ReentrantLock();
  private Connection applier;
  /**
   * The applier's prepared INSERT, MERGE and DELETE per table (indexes {@link #INSERT}, {@link #MERGE}, {@link
   * #DELETE}), keyed by the table's description itself: once a DDL or a rejoin replaces the descriptions, the next
   * apply closes and clears them ({@link #preparedFor}).
   */
  private final Map<TableInfo, PreparedStatement[]> statements = new IdentityHashMap<>();
  /** Per table, its {@link TableInfo#firstColumns} for the narrower rows of a source; cleared with the statements. */
  private final Map<TableInfo, TableInfo> narrowed = new IdentityHashMap<>();
  /** The highest identity value per table in the batch being applied; reused from batch to batch. */
  private final Map<TableInfo, long[]> identityHighs = new IdentityHashMap<>();
  /** The table descriptions {@link #statements} were prepared for. */
  private Map<String, TableInfo> preparedFor;

  private static final int INSERT = 0;
  private static final int MERGE = 1;
  private static final int DELETE = 2;

  ReplicaChannel(H2Database node, ReplicationCluster cluster, H2Database source, Duration shipDelay,
      Duration applyDelay) {
    this.node = node;
    this.cluster = cluster;
    this.clock = node.context().clock();
    this.source = source;
    this.connected = !cluster.linkCut(node.name(), source.name()); // a rejoin or rebuild over a cut link
    this.shipDelayNanos = shipDelay.toNanos();
    this.applyDelayNanos = applyDelay.toNanos();
  }

  // ---- control

  H2Database source() {
    return source;
  }

  void repoint(H2Database newSource) {
    synchronized (this) {
      source = newSource;
      cursor = 0;
      connected = !cluster.linkCut(node.name(), newSource.name()); // the link to the new source, cut or not
      sourceFound();
    }
    poll();
  }

  /** Reads the source's log from its beginning at the next fetch (GTID auto-positioning skips what it has). */
  synchronized void rewind() {
    cursor = 0;
  }

  /**
   * {@code START REPLICA IO_THREAD}; on a receiver retrying a lost source, connects at once. Clears the receiver's
   * error, which the next fetch sets again if it persists.
   */
  void startReceiver() {
    synchronized (this) {
      receiverRunning = true;
      if (receiverFailed) {
        receiverFailed = false;
        lastError = "";
        lastErrno = 0;
      }
      sourceFound();
    }
    poll();
  }

  void stopReceiver() {
    synchronized (this) {
      receiverRunning = false;
      cancelPoll();
      sourceFound();
    }
  }

  /** {@code SOURCE_CONNECT_RETRY}: how long the receiver waits between attempts to reach a source that is down. */
  void connectRetry(Duration interval) {
    synchronized (this) {
      connectRetryNanos = interval.toNanos();
      if (retryTimer != null) { // the next attempt follows the new interval
        cancelRetry();
        scheduleRetry();
      }
    }
  }

  synchronized Duration connectRetry() {
    return Duration.ofNanos(connectRetryNanos);
  }

  /** The source went down: the receiver notices at once (the connection breaks) and starts retrying. */
  void sourceDown(H2Database which) {
    synchronized (this) {
      if (which != source || closed || !receiverRunning || !node.isAccepting() || sourceLost) {
        return;
      }
      loseSource();
    }
    lostEvent(which);
  }

  /** Marks the source lost and schedules the next connection attempt. Caller holds this monitor. */
  private void loseSource() {
    sourceLost = true;
    refreshMayFetch();
    cancelPoll();
    scheduleRetry();
  }

  /** Recomputes {@link #mayFetch} after a change of state. Caller holds this monitor. */
  private void refreshMayFetch() {
    mayFetch = node.isAccepting() && !closed && receiverRunning && connected && !sourceLost;
  }

  /** The receiver (re)connects, or stops trying: no retry pending. Caller holds this monitor. */
  private void sourceFound() {
    sourceLost = false;
    refreshMayFetch();
    cancelRetry();
  }

  private void lostEvent(H2Database which) {
    node.context().events().record(node.name(), "replica-connecting", "lost the source " + which.name()
        + "; reconnecting every " + connectRetry() + " (Replica_IO_Running: Connecting)");
  }

  private void scheduleRetry() {
    if (retryTimer != null) {
      return;
    }
    try {
      retryTimer = clock.schedule(Duration.ofNanos(connectRetryNanos), this::retryConnect);
    } catch (IllegalStateException closing) {
      LOG.debug("the stack's clock is closed; the receiver of {} stops retrying", node.name(), closing);
    }
  }

  private void cancelRetry() {
    if (retryTimer != null) {
      retryTimer.cancel();
      retryTimer = null;
    }
  }

  /** One connection attempt of a receiver that lost its source: resumes by GTID if it is back, else waits again. */
  private void retryConnect() {
    H2Database s;
    synchronized (this) {
      retryTimer = null;
      if (!sourceLost || closed || !receiverRunning || !node.isAccepting()) {
        return;
      }
      s = source;
      if (s == null || !s.isAccepting() || !connected) {
        scheduleRetry();
        return;
      }
      sourceLost = false;
      refreshMayFetch();
      cursor = 0; // GTID auto-positioning: whatever is missing, from the start of the source's log
    }
    LOG.debug("the receiver of {} reconnected to {}", node.name(), s.name());
    node.context().events().record(node.name(), "replica-connected", "reconnected to the source " + s.name()
        + "; fetching what is missing by GTID (Replica_IO_Running: Yes)");
    poll();
  }

  /**
   * {@code START REPLICA SQL_THREAD}: clears the applier's error, never the receiver's. Why: starting the applier
   * used to erase the 1236 that stopped the receiver, leaving a replica whose receiver showed {@code No} with no
   * error, though it needs a rebuild.
   */
  void startApplier() {
    synchronized (this) {
      applierRunning = true;
      if (!receiverFailed) {
        lastError = "";
        lastErrno = 0;
      }
    }
    kick();
  }

  void stopApplier() {
    synchronized (this) {
      applierRunning = false;
      cancelApply();
    }
    applyLock.lock(); // waits for a transaction being applied
    applyLock.unlock();
  }

  /** The network between source and replica fails: the receiver can no longer fetch, the server stays up. */
  void disconnect() {
    synchronized (this) {
      connected = false;
      refreshMayFetch();
      cancelPoll();
    }
  }

  void reconnect() {
    synchronized (this) {
      connected = true;
      refreshMayFetch();
    }
    poll();
  }

  void shipDelay(Duration d) {
    synchronized (this) {
      shipDelayNanos = d.toNanos();
      cancelPoll();
    }
    poll();
  }

  void applyDelay(Duration d) {
    synchronized (this) {
      applyDelayNanos = d.toNanos();
      cancelApply();
    }
    kick();
  }

  synchronized Duration shipDelay() {
    return Duration.ofNanos(shipDelayNanos);
  }

  synchronized Duration applyDelay() {
    return Duration.ofNanos(applyDelayNanos);
  }

  void nodeUp() {
    synchronized (this) {
      retrieved.clear();
      retrieved.addAll(node.executedGtids());
      cursor = 0;
      sourceFound(); // a starting IO thread connects at once
    }
    poll();
  }

  void nodeDown() {
    synchronized (this) {
      cancelPoll();
      cancelApply();
      sourceFound(); // the node is down by now: no fetching
      relay.clear(); // relay_log_recovery=ON
    }
    closeApplier();
  }

  /** Stops for good: the replica was promoted, or the stack closes. */
  void close() {
    synchronized (this) {
      closed = true;
      refreshMayFetch();
      cancelPoll();
      cancelApply();
      cancelRetry();
    }
    closeApplier();
  }

  private void closeApplier() {
    applyLock.lock();
    try {
      statements.clear(); // closed with their connection
      preparedFor = null;
      if (applier != null) {
        try {
          applier.close();
        } catch (SQLException e) {
          LOG.debug("closing the applier connection of {} failed", node.name(), e);
        }
        applier = null;
      }
    } finally {
      applyLock.unlock();
    }
  }

  private void cancelPoll() {
    if (pollTimer != null) {
      pollTimer.cancel();
      pollTimer = null;
      pollDue = Long.MAX_VALUE;
    }
  }

  private void cancelApply() {
    if (applyTimer != null) {
      applyTimer.cancel();
      applyTimer = null;
      applyDue = Long.MAX_VALUE;
    }
  }

  // ---- receiver

  /**
   * Asynchronous replication on the real clock: the receiver fetches on the task pool within {@link
   * #RECEIVER_WAKE_UP} of the commit instead of in the committing thread, as MySQL's binlog dump thread sends what a
   * commit wrote after it returned. One wake-up serves every commit of that interval: a hand-off per commit would
   * cost the writer more than the insert it replicates.
   */
  void pollSoon() {
    // A receiver that cannot fetch (stopped, cut off, source lost) is not woken: whatever makes it able to again
    // polls. Then a plain read: while the receiver is armed, the writer only reads the flag's cache line, which
    // the receiver's thread then need not win back.
    if (mayFetch && !pollQueued.get() && pollQueued.compareAndSet(false, true)) {
      armReceiver();
    }
  }

  /** Schedules the receiver's next look; {@link #pollQueued} is set and stays set until a look finds nothing. */
  private void armReceiver() {
    wakeLater(RECEIVER_WAKE_UP, this::receiverTask, pollQueued, "receiver");
  }

  /**
   * Runs {@code task} on the task pool after {@code delay} of the real clock; when the clock is already closed
   * (the stack is closing), clears {@code queued} and leaves the thread asleep.
   */
  private void wakeLater(Duration delay, Runnable task, AtomicBoolean queued, String thread) {
    try {
      clock.schedule(delay, () -> cluster.execute(task));
    } catch (IllegalStateException closing) {
      queued.set(false);
      LOG.debug("the stack's clock is closed; the {} of {} stays asleep", thread, node.name(), closing);
    }
  }

  /**
   * The asynchronous receiver's looks. While commits keep arriving it stays on its thread and looks again every
   * {@link #RECEIVER_WAKE_UP}, parked in between (the writer's commits only read a flag); going through the clock's
   * timer for each look woke two threads a millisecond, which on a 2-core machine took the core from the writer.
   * It hands the thread back through the timer after {@link #LOOKS_IN_A_ROW} looks. A look that finds nothing
   * clears the flag, then checks the source's log once more for a commit that saw the flag still set.
   */
  private void receiverTask() {
    for (int looks = 1; poll(true); looks++) {
      if (looks == LOOKS_IN_A_ROW || Thread.currentThread().isInterrupted()) {
        armReceiver();
        return;
      }
      LockSupport.parkNanos(RECEIVER_WAKE_UP.toNanos());
    }
    pollQueued.set(false);
    if (hasUnfetched() && pollQueued.compareAndSet(false, true)) {
      armReceiver();
    }
  }

  /** True while an asynchronous receiver's look is scheduled or running (for tests: it must go quiet when idle). */
  boolean receiverArmed() {
    return pollQueued.get();
  }

  /** True when a look now would find something: not while stopped, cut off, or waiting for a shipping delay. */
  private synchronized boolean hasUnfetched() {
    H2Database s = source;
    return s != null && !closed && receiverRunning && connected && !sourceLost && node.isAccepting()
        && pollTimer == null && s.binlogEnd() > cursor;
  }

  /** Fetches what is due from the source; called on every commit of the source and whenever something changed. */
  void poll() {
    poll(false);
  }

  /**
   * {@code onTaskPool}: called by a task of the stack's pool, which then applies what arrived itself. True when
   * something arrived.
   */
  private boolean poll(boolean onTaskPool) {
    boolean received = false;
    H2Database lost = null;
    String purgedError = null;
    synchronized (this) {
      if (closed || !receiverRunning || !connected || sourceLost || !node.isAccepting() || source == null) {
        return false; // a lost source is tried again by retryConnect only
      }
      if (!source.isAccepting()) {
        loseSource();
        lost = source;
      } else {
        received = fetch();
        purgedError = receiverError;
        receiverError = null;
      }
    }
    if (lost != null) {
      lostEvent(lost); // outside the monitor: the event log has its own lock
    }
    if (purgedError != null) {
      LOG.warn("the receiver of {} stopped: {}", node.name(), purgedError);
      node.context().events().record(node.name(), "replica-error", "receiver stopped: " + purgedError);
    }
    if (received) {
      cluster.received(this);
      kick(onTaskPool);
    }
    return received;
  }

  /** Copies what is due from the source's log to the relay log; true when something arrived. Holds this monitor. */
  private boolean fetch() {
    boolean received = false;
    long now = clock.nanoTime();
    H2Database.LogSlice slice = source.binlogFrom(cursor);
    if (slice.start() > cursor) {
      GtidSet missing = source.purgedGtids().subtract(retrieved.snapshot());
      if (!missing.isEmpty()) {
        sourcePurged(missing);
        return false;
      }
    }
    cursor = Math.max(cursor, slice.start()); // what was purged, this replica has
    for (BinlogTx tx : slice.txs()) {
      // retrieved includes everything executed here: nodeUp() starts it from gtid_executed.
      if (retrieved.contains(tx.uuid(), tx.id())) {
        cursor++;
        continue;
      }
      long due = tx.commitNanos() + shipDelayNanos;
      if (due > now) {
        schedulePoll(due, now);
        break;
      }
      relay.addLast(tx);
      retrieved.add(tx.uuid(), tx.id());
      cursor++;
      received = true;
    }
    return received;
  }

  /**
   * The source no longer logs transactions this replica lacks (purged, or the source is a rebuild's clone, whose
   * log starts empty): the receiver stops with MySQL's error 1236, as a MySQL replica's IO thread does, instead of
   * skipping them. Before, it fetched what followed the gap, so the replica silently lacked those rows (or its
   * applier stopped on a row that depended on them) and never converged. {@code rebuild} is the remedy. Caller
   * holds this monitor.
   */
  private void sourcePurged(GtidSet missing) {
    receiverRunning = false;
    refreshMayFetch();
    cancelPoll();
    lastErrno = 13114; // ER_SERVER_SOURCE_FATAL_ERROR_READING_BINLOG, Last_IO_Errno
    receiverFailed = true;
    lastError = "Got fatal error 1236 from source when reading data from binary log: 'Cannot replicate because the"
        + " source purged required binary logs. Replicate the missing transactions from elsewhere, or provision a"
        + " new replica from backup. The missing transactions are '" + missing + "'' (source " + source.name() + ")";
    receiverError = lastError;
  }

  private void schedulePoll(long due, long now) {
    if (pollTimer != null && pollDue <= due) {
      return;
    }
    cancelPoll();
    pollDue = due;
    pollTimer = clock.schedule(Duration.ofNanos(due - now), () -> {
      synchronized (this) {
        pollTimer = null;
        pollDue = Long.MAX_VALUE;
      }
      poll();
    });
  }

  /** True when the receiver has this transaction (in the relay log or applied): a semi-sync acknowledgement. */
  synchronized boolean hasReceived(String uuid, long id) {
    return retrieved.contains(uuid, id) || node.hasExecuted(uuid, id);
  }

  /** True when the receiver has every transaction of its source's log. */
  boolean caughtUpWith(H2Database primary) {
    H2Database s;
    synchronized (this) {
      s = source;
    }
    if (s != primary) {
      return false;
    }
    for (BinlogTx tx : primary.binlogFrom(0).txs()) {
      if (!hasReceived(tx.uuid(), tx.id())) {
        return false;
      }
    }
    return true;
  }

  // ---- applier

  /** Makes the applier look at the relay log: now if the head is due, else when it will be. */
  void kick() {
    kick(false);
  }

  /**
   * {@code onTaskPool}: called by the receiver's task on the real clock, which then applies in its own thread
   * instead of waking another.
   */
  private void kick(boolean onTaskPool) {
    long now;
    synchronized (this) {
      if (closed || !applierRunning || !node.isAccepting() || relay.isEmpty()) {
        return;
      }
      now = clock.nanoTime();
      long due = relay.peekFirst().commitNanos() + applyDelayNanos;
      if (due > now) {
        scheduleApply(due, now);
        return;
      }
    }
    if (clock.isManual()) {
      applyDue(false); // deterministic: in the committing or advancing thread
    } else if (applyQueued.compareAndSet(false, true)) { // else a queued or running applier task sees the news
      if (onTaskPool) {
        applierTask();
      } else {
        // Group the wake-ups: one per millisecond at most rather than one per commit, which cost the writer more
        // than the commit itself (a thread hand-off each time on 2 cores).
        wakeLater(APPLIER_WAKE_UP, this::applierTask, applyQueued, "applier");
      }
    }
  }

  /**
   * The applier on the real clock: one task at a time drains the relay log; commits arriving meanwhile do not
   * submit another (a task per commit would cost more than the insert it replicates).
   */
  private void applierTask() {
    while (true) {
      try {
        applyDue(false);
      } finally {
        applyQueued.set(false);
      }
      if (!hasDueWork() || !applyQueued.compareAndSet(false, true)) {
        return; // a commit after our last look found the flag clear and submitted a task, or nothing is due
      }
    }
  }

  private synchronized boolean hasDueWork() {
    BinlogTx head = relay.peekFirst();
    return head != null && !closed && applierRunning && node.isAccepting()
        && head.commitNanos() + applyDelayNanos <= clock.nanoTime();
  }

  private void scheduleApply(long due, long now) {
    if (applyTimer != null && applyDue <= due) {
      return;
    }
    cancelApply();
    applyDue = due;
    applyTimer = clock.schedule(Duration.ofNanos(due - now), () -> {
      synchronized (this) {
        applyTimer = null;
        applyDue = Long.MAX_VALUE;
      }
      kick();
    });
  }

  /** Applies every received transaction now, whatever the apply delay: what a failover does before promoting. */
  void drain() {
    applyDue(true);
  }

  /**
   * Applies what is due, up to {@value #BATCH} transactions per H2 commit (a group commit: they become visible
   * together; each keeps its GTID, and none is marked executed before the commit).
   */
  private void applyDue(boolean drain) {
    applyLock.lock();
    try {
      List<BinlogTx> batch = new ArrayList<>(BATCH);
      while (true) {
        batch.clear();
        synchronized (this) {
          if (closed && !drain) {
            return;
          }
          if (!drain && (!applierRunning || !node.isAccepting())) {
            return;
          }
          long now = clock.nanoTime();
          for (BinlogTx tx : relay) {
            if (!drain && tx.commitNanos() + applyDelayNanos > now) {
              break;
            }
            boolean ddl = tx.events().size() == 1 && tx.events().get(0) instanceof BinlogTx.StatementEvent;
            if (ddl && !batch.isEmpty()) {
              break; // DDL commits on its own
            }
            batch.add(tx);
            if (ddl || batch.size() == BATCH) {
              break;
            }
          }
          if (batch.isEmpty()) {
            BinlogTx head = relay.peekFirst();
            if (head != null) {
              scheduleApply(head.commitNanos() + applyDelayNanos, now);
            }
            return;
          }
        }
        List<BinlogTx> done = new ArrayList<>(batch.size());
        BinlogTx current = null;
        Capture.Slot slot = Capture.slot();
        Capture.RowSink caller = slot.sink; // a committing thread's, on a manual clock: null by now
        slot.sink = Capture.APPLIER; // row events fire no trigger on a replica, as in MySQL
        try {
          current = batch.get(0);
          raiseIdentities(batch);
          for (BinlogTx tx : batch) {
            current = tx;
            if (!node.hasExecuted(tx.uuid(), tx.id())) {
              apply(tx);
              done.add(tx);
            }
          }
          if (applier != null) {
            applier.commit();
          }
        } catch (SQLException e) {
          failed(current, e);
          return;
        } catch (RuntimeException e) {
          // A defect of the applier, or an H2 failure outside JDBC: it stops this applier with an error in its
          // status, as MySQL's SQL thread stops with ER_UNKNOWN_ERROR, rather than escaping into whatever thread
          // applied (the source's committing client, on a manual clock or in semi-sync, or a pool task).
          failed(current, new SQLException("Error applying the row events: " + e, "HY000", 1105, e));
          return;
        } finally {
          slot.sink = caller;
        }
        for (BinlogTx tx : done) {
          node.applied(tx);
        }
        synchronized (this) {
          for (BinlogTx tx : batch) {
            if (relay.peekFirst() == tx) {
              relay.pollFirst();
            }
          }
        }
        cluster.appliedOn(node);
      }
    } finally {
      applyLock.unlock();
    }
  }

  private void failed(BinlogTx tx, SQLException e) {
    if (!node.isAccepting()) { // killed while applying: the restart fetches again
      LOG.debug("the applier of {} was interrupted at {} as the node went down", node.name(), tx.gtid(), e);
      closeApplier();
      return;
    }
    synchronized (this) {
      applierRunning = false;
      receiverFailed = false;
      lastErrno = e.getErrorCode();
      lastError = "Error applying " + tx.gtid() + ": " + e.getMessage();
    }
    try {
      if (applier != null) {
        applier.rollback();
      }
    } catch (SQLException rollback) {
      e.addSuppressed(rollback);
    }
    LOG.warn("the applier of {} stopped at {}", node.name(), tx.gtid(), e);
    node.context().events().record(node.name(), "replica-error",
        "applier stopped at " + tx.gtid() + ": " + e.getMessage());
  }

  private Connection applier() throws SQLException {
    if (applier == null) {
      applier = node.privilegedConnection();
      applier.setAutoCommit(false);
    }
    return applier;
  }

  /**
   * Moves each identity counter past the batch's highest inserted value before applying it, so that H2 need not
   * write the counter to its metadata for every row ({@link Identity}). A batch with a DDL has it alone and is
   * skipped: its statement replicates the counter as it replicates the table.
   */
  private void raiseIdentities(List<BinlogTx> batch) throws SQLException {
    Map<String, TableInfo> tables = node.tables();
    identityHighs.clear();
    for (BinlogTx tx : batch) {
      for (Object event : tx.events()) {
        if (event instanceof BinlogTx.RowEvent row && row.after() != null) {
          TableInfo t = tables.get(row.table());
          if (t != null && t.identity() >= 0 && t.identity() < row.after().length) {
            Value v = row.after()[t.identity()];
            if (v != null && v != ValueNull.INSTANCE) {
              long value = v.getLong();
              long[] high = identityHighs.get(t);
              if (high == null) {
                identityHighs.put(t, new long[] {value});
              } else if (value > high[0]) {
                high[0] = value;
              }
            }
          }
        }
      }
    }
    for (Map.Entry<TableInfo, long[]> e : identityHighs.entrySet()) {
      Identity.raise(applier(), e.getKey().schema(), e.getKey().table(), e.getKey().identity(), e.getValue()[0]);
    }
  }

  /** Closes the applier's prepared statements: their tables changed. */
  private void forgetStatements() {
    for (PreparedStatement[] prepared : statements.values()) {
      for (PreparedStatement ps : prepared) {
        if (ps != null) {
          try {
            ps.close();
          } catch (SQLException e) {
            LOG.debug("closing an applier statement of {} failed", node.name(), e);
          }
        }
      }
    }
    statements.clear();
    narrowed.clear();
  }

  /** The applier's INSERT, MERGE and DELETE slots for table {@code t}, prepared on first use. */
  private PreparedStatement[] prepared(TableInfo t) {
    return statements.computeIfAbsent(t, k -> new PreparedStatement[3]);
  }

  private void apply(BinlogTx tx) throws SQLException {
    applier();
    Map<String, TableInfo> tables = node.tables();
    if (tables != preparedFor) { // the tables were described anew (a DDL, a rejoin): prepare anew
      forgetStatements();
      preparedFor = tables;
    }
    List<Object> events = tx.events();
    for (int i = 0; i < events.size(); i++) {
      Object event = events.get(i);
      if (event instanceof BinlogTx.StatementEvent st) {
        applier.commit();
        applier.setSchema(st.schema()); // the source session's current schema (its row statements name theirs)
        try (Statement s = applier.createStatement()) {
          s.execute(st.sql());
        }
        applier.commit();
        node.refreshTables(applier); // new descriptions: the next apply prepares anew
        tables = node.tables();
        continue;
      }
      if (event instanceof BinlogTx.SequenceEvent seq) {
        Identity.raiseSequence(applier, seq.schema(), seq.name(), seq.value());
        continue;
      }
      BinlogTx.RowEvent row = (BinlogTx.RowEvent) event;
      int end = statementEnd(events, i);
      if (end - i > 1 && hasUpdate(events, i, end)) {
        applyStatement(tables, events.subList(i, end));
        i = end - 1;
        continue;
      }
      TableInfo t = table(tables, row);
      Value[] before = row.before();
      Value[] after = row.after();
      int width = (after != null ? after : before).length;
      if (width != t.columns().size()) {
        t = fitted(t, width, row.table());
        before = fit(before, t);
        after = fit(after, t);
      }
      if (after == null) {
        delete(t, before);
      } else if (before == null) {
        insert(t, after);
      } else if (t.primaryKey().length == 0) {
        delete(t, before); // one row: a table without a key may hold identical ones
        insert(t, after);
      } else {
        if (!sameKey(t, before, after)) {
          delete(t, before);
        }
        merge(t, after);
      }
    }
  }

  /** The replica's description of the row's table; 1146 when it has none. */
  private static TableInfo table(Map<String, TableInfo> tables, BinlogTx.RowEvent row) throws SQLException {
    TableInfo t = tables.get(row.table());
    if (t == null) {
      throw new SQLException("Table '" + row.table() + "' doesn't exist", "42S02", 1146);
    }
    return t;
  }

  /**
   * The replica's table {@code t} as rows of {@code width} columns are applied to it, as MySQL applies rows to a
   * table defined differently on the replica: with extra trailing columns here, the rows fill the first ones and the
   * others keep their defaults (or, on update, their values); with fewer, the source's extra trailing values are
   * dropped ({@link #fit}). The common columns must come first and in the same order, as MySQL requires; their
   * types are H2's to convert or refuse. When the replica's primary key reaches past the source's columns, the rows
   * cannot be found: the applier stops with MySQL's 1532. Why at all: a replica holding an errant {@code ALTER
   * TABLE} (a rejoined old primary) has another shape than its source, and binding by position threw {@code
   * ArrayIndexOutOfBoundsException} out of the applier, on a manual clock into the source's committing client.
   */
  private TableInfo fitted(TableInfo t, int width, String table) throws SQLException {
    if (width >= t.columns().size()) {
      return t; // the same shape, or the source's extra values, which fit drops
    }
    TableInfo n = narrowed.get(t);
    if (n == null || n.columns().size() != width) {
      n = t.firstColumns(width);
      if (n == null) {
        throw new SQLException("Table definition on source and replica does not match: table '" + table + "' has "
            + t.columns().size() + " columns here and a primary key beyond the source's " + width, "HY000", 1532);
      }
      narrowed.put(t, n);
    }
    return n;
  }

  /** A row image cut to {@code t}'s columns: the source's extra trailing values dropped. */
  private static Value[] fit(Value[] image, TableInfo t) {
    return image == null || image.length <= t.columns().size() ? image : Arrays.copyOf(image, t.columns().size());
  }

  /** The end (exclusive) of the run of row events from {@code start} that one statement wrote. */
  private static int statementEnd(List<Object> events, int start) {
    int statement = ((BinlogTx.RowEvent) events.get(start)).statement();
    if (statement == 0) {
      return start + 1; // a batch's rows: one after the other
    }
    int end = start + 1;
    while (end < events.size() && events.get(end) instanceof BinlogTx.RowEvent r && r.statement() == statement) {
      end++;
    }
    return end;
  }

  private static boolean hasUpdate(List<Object> events, int from, int to) {
    for (int i = from; i < to; i++) {
      BinlogTx.RowEvent r = (BinlogTx.RowEvent) events.get(i);
      if (r.before() != null && r.after() != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * One multi-row statement that updated rows, applied as H2 ran it on the source: every old row removed, then
   * every new row added. Row by row, as MySQL's applier goes, an update that moves keys ({@code SET id = id + 1})
   * would overwrite rows it has yet to move, and one that shifts a unique column would collide with the next row's
   * old value; MySQL's own source refuses such statements row by row, H2's accepts them. Foreign keys are not
   * checked meanwhile ({@link Capture#APPLIER_STATEMENT}): the statement passed them on the source, and its
   * cascaded rows are among its events.
   */
  private void applyStatement(Map<String, TableInfo> tables, List<Object> rows) throws SQLException {
    Capture.Slot slot = Capture.slot();
    Capture.RowSink before = slot.sink;
    slot.sink = Capture.APPLIER_STATEMENT;
    try {
      for (Object o : rows) {
        BinlogTx.RowEvent r = (BinlogTx.RowEvent) o;
        if (r.before() != null) {
          TableInfo t = fitted(table(tables, r), r.before().length, r.table());
          delete(t, fit(r.before(), t));
        }
      }
      for (Object o : rows) {
        BinlogTx.RowEvent r = (BinlogTx.RowEvent) o;
        if (r.after() != null) {
          TableInfo t = fitted(table(tables, r), r.after().length, r.table());
          insert(t, fit(r.after(), t));
        }
      }
    } finally {
      slot.sink = before;
    }
  }

  private static boolean sameKey(TableInfo t, Value[] a, Value[] b) {
    for (int i : t.keyColumns()) {
      if (!Objects.equals(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * An inserted row: a plain INSERT, which costs H2 less than MERGE's key lookup; a row already there (the replica
   * was written to, or a re-pointed receiver fetched a transaction twice) is overwritten with MERGE, as
   * {@code replica_exec_mode=IDEMPOTENT} does. H2 undoes only the failed statement, not the batch's transaction.
   */
  private void insert(TableInfo t, Value[] image) throws SQLException {
    try {
      insertOnly(t, image);
    } catch (SQLException e) {
      if (e.getErrorCode() != org.h2.api.ErrorCode.DUPLICATE_KEY_1) {
        throw e;
      }
      merge(t, image);
    }
  }

  private void insertOnly(TableInfo t, Value[] image) throws SQLException {
    PreparedStatement[] prepared = prepared(t);
    PreparedStatement ps = prepared[INSERT];
    if (ps == null) {
      // OVERRIDING SYSTEM VALUE: an identity GENERATED ALWAYS takes the source's value (TableInfo)
      ps = applier.prepareStatement("INSERT INTO " + t.sqlName() + " (" + columnList(t) + ")"
          + (t.identityAlways() ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES (" + marks(t) + ")");
      prepared[INSERT] = ps;
    }
    bind(ps, t, image);
    ps.executeUpdate();
  }

  /**
   * A row written over the one with its key, or inserted. With an identity {@code GENERATED ALWAYS}, which H2's
   * {@code MERGE} cannot be given, an {@code UPDATE} of the row's other columns and, when it finds none, an insert
   * (the identity itself cannot change on the source: H2 refuses to assign it).
   */
  private void merge(TableInfo t, Value[] image) throws SQLException {
    if (t.identityAlways()) {
      updateOrInsert(t, image);
      return;
    }
    PreparedStatement[] prepared = prepared(t);
    PreparedStatement ps = prepared[MERGE];
    if (ps == null) {
      StringBuilder key = new StringBuilder();
      for (int i : t.keyColumns()) {
        if (contains(t.written(), i)) {
          key.append(key.length() == 0 ? "" : ", ").append(TableInfo.quote(t.columns().get(i)));
        }
      }
      ps = applier.prepareStatement("MERGE INTO " + t.sqlName() + " (" + columnList(t) + ") KEY ("
          + key + ") VALUES (" + marks(t) + ")");
      prepared[MERGE] = ps;
    }
    bind(ps, t, image);
    ps.executeUpdate();
  }

  /** {@link #merge} for a table whose identity is {@code GENERATED ALWAYS}: an UPDATE by key, else an insert. */
  private void updateOrInsert(TableInfo t, Value[] image) throws SQLException {
    int[] set = updatedColumns(t);
    if (set.length == 0) { // nothing but the identity to write: the row is there, or is inserted
      insertOnly(t, image);
      return;
    }
    int[] key = t.keyColumns();
    PreparedStatement[] prepared = prepared(t);
    PreparedStatement ps = prepared[MERGE];
    if (ps == null) {
      StringBuilder sql = new StringBuilder("UPDATE ").append(t.sqlName()).append(" SET ");
      for (int j = 0; j < set.length; j++) {
        sql.append(j == 0 ? "" : ", ").append(TableInfo.quote(t.columns().get(set[j]))).append(" = ?");
      }
      sql.append(" WHERE ");
      for (int j = 0; j < key.length; j++) {
        sql.append(j == 0 ? "" : " AND ").append(TableInfo.quote(t.columns().get(key[j])))
            .append(" IS NOT DISTINCT FROM ?");
      }
      ps = applier.prepareStatement(sql.toString());
      prepared[MERGE] = ps;
    }
    int p = 1;
    for (int i : set) {
      ps.setObject(p++, image[i]);
    }
    for (int k : key) {
      ps.setObject(p++, image[k]);
    }
    if (ps.executeUpdate() == 0) {
      insertOnly(t, image);
    }
  }

  /**
   * The columns an update by key sets: the written ones outside the key and the identity; when the key is all
   * there is, its first written column besides the identity (an update that changes nothing but finds the row).
   */
  private static int[] updatedColumns(TableInfo t) {
    int[] key = t.keyColumns();
    int[] out = new int[t.written().length];
    int n = 0;
    for (int i : t.written()) {
      if (i != t.identity() && !contains(key, i)) {
        out[n++] = i;
      }
    }
    if (n == 0) {
      for (int i : key) {
        if (i != t.identity() && contains(t.written(), i)) {
          return new int[] {i};
        }
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static boolean contains(int[] values, int value) {
    for (int v : values) {
      if (v == value) {
        return true;
      }
    }
    return false;
  }

  /** The columns a row is written with: all but the generated ones, which the replica computes. */
  private static String columnList(TableInfo t) {
    StringBuilder cols = new StringBuilder();
    for (int i : t.written()) {
      cols.append(cols.length() == 0 ? "" : ", ").append(TableInfo.quote(t.columns().get(i)));
    }
    return cols.toString();
  }

  private static String marks(TableInfo t) {
    return "?" + ", ?".repeat(t.written().length - 1);
  }

  private static void bind(PreparedStatement ps, TableInfo t, Value[] image) throws SQLException {
    int[] written = t.written();
    for (int j = 0; j < written.length; j++) {
      ps.setObject(j + 1, image[written[j]]);
    }
  }

  private void delete(TableInfo t, Value[] image) throws SQLException {
    PreparedStatement[] prepared = prepared(t);
    PreparedStatement ps = prepared[DELETE];
    int[] key = t.keyColumns();
    if (ps == null) {
      StringBuilder where = new StringBuilder();
      for (int i : key) {
        where.append(where.length() == 0 ? "" : " AND ").append(TableInfo.quote(t.columns().get(i)))
            .append(" IS NOT DISTINCT FROM ?");
      }
      // Without a primary key every column is the key and identical rows may exist: remove one, as the source did.
      ps = applier.prepareStatement("DELETE FROM " + t.sqlName() + " WHERE " + where
          + (t.primaryKey().length == 0 ? " FETCH FIRST ROW ONLY" : ""));
      prepared[DELETE] = ps;
    }
    for (int k = 0; k < key.length; k++) {
      ps.setObject(k + 1, image[key[k]]);
    }
    ps.executeUpdate();
  }

  // ---- status

  /** {@code SHOW REPLICA STATUS}, with the true lag beside the faithful {@code Seconds_Behind_Source}. */
  ReplicationStatus status() {
    H2Database s;
    boolean io;
    boolean sql;
    boolean link;
    boolean lost;
    long retry;
    GtidSet got;
    BinlogTx head;
    int relaySize;
    String error;
    int errno;
    synchronized (this) {
      s = source;
      io = receiverRunning;
      sql = applierRunning;
      link = connected;
      lost = sourceLost;
      retry = connectRetryNanos;
      got = retrieved.snapshot();
      head = relay.peekFirst();
      relaySize = relay.size();
      error = lastError;
      errno = lastErrno;
    }
    long now = clock.nanoTime();
    boolean up = node.isAccepting();
    boolean ioConnected = up && io && link && !lost && s != null && s.isAccepting();
    OptionalLong sbs;
    if (!ioConnected || !sql) {
      sbs = OptionalLong.empty();
    } else if (head == null) {
      sbs = OptionalLong.of(0);
    } else {
      sbs = OptionalLong.of(Math.max(0, (now - head.commitNanos()) / 1_000_000_000L));
    }
    Duration receiveLag = Duration.ZERO;
    Duration applyLag = Duration.ZERO;
    if (s != null) {
      for (BinlogTx tx : s.binlogFrom(0).txs()) {
        boolean done = node.hasExecuted(tx.uuid(), tx.id());
        if (!done && applyLag.isZero()) {
          applyLag = Duration.ofNanos(Math.max(1, now - tx.commitNanos()));
        }
        if (!done && !got.contains(tx.uuid(), tx.id())) {
          receiveLag = Duration.ofNanos(Math.max(1, now - tx.commitNanos()));
          break;
        }
      }
    }
    return new ReplicationStatus(node.name(), node.role(), up, node.isReadOnly(), node.isSuperReadOnly(),
        s == null ? null : s.name(), up && io ? (ioConnected ? "Yes" : "Connecting") : "No", up && sql, link,
        node.executedGtids(), got, sbs, receiveLag, applyLag, relaySize, errno, error, shipDelay(), applyDelay(),
        Duration.ofNanos(retry));
  }

  synchronized boolean isIdle() {
    return relay.isEmpty() && receiverRunning && applierRunning && connected && !sourceLost;
  }
}
