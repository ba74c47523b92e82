package dev.webstack.database;

import static dev.webstack.internal.Checks.checkArgument;
import static dev.webstack.internal.Checks.checkState;

import dev.webstack.DatabaseNode;
import dev.webstack.DatabaseSpec;
import dev.webstack.internal.NodeContext;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database tier of one stack: the nodes, who replicates from whom, semi-sync, failover, split-brain
 * detection. Built by the stack at boot; users see it as {@link DatabaseCluster}.
 *
 * <h2>Threads and locks</h2>
 *
 * No thread of its own: commits run in the client's thread, receivers and appliers as short tasks (see {@link
 * ReplicaChannel}), automatic failover on the stack's clock. Locks, outermost first: this cluster's monitor
 * (topology changes), a channel's apply lock, a channel's monitor, a node's log lock; the ack monitor is never held
 * while taking another.
 */
public final class ReplicationCluster implements DatabaseCluster {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicationCluster.class);

  private final NodeContext context;
  private final DatabaseSpec spec;
  private final List<H2Database> nodes = new ArrayList<>();
  private final Map<String, H2Database> byName = new LinkedHashMap<>();
  private volatile H2Database primary;
  private volatile List<String> baseline = List.of();
  private volatile Map<String, TableInfo> baselineTables = Map.of();
  private final OperationHistory history;
  private final DataSource clientDataSource;

  private final Object acks = new Object();
  private final java.util.concurrent.atomic.AtomicInteger waiters = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean semiSyncOn;
  private final List<SemiSyncFallback> fallbacks = new ArrayList<>();
  private final List<FailoverReport> failovers = new ArrayList<>();
  /** Every GTID a failover report counted as lost so far: each lost write is reported once. Guarded by this. */
  private GtidSet reportedLost = GtidSet.empty();
  /**
   * Rows that a {@link #rebuild} emptied from a node's binary log while some node still lacked their acknowledged
   * transaction: a later failover to that node loses them, and every log that held them may be gone by then (each
   * rebuild empties one, and a clone logs nothing). Bounded by the acknowledged writes some node lacked at a rebuild.
   */
  private final Set<RowRef> rebuiltAway = new LinkedHashSet<>();
  private volatile boolean splitBrainPossible;
  private SplitBrainReport splitBrain;
  /**
   * Per split-brain writer, the transactions it had that another writer lacked when a {@link #rebuild} of one of
   * them wiped the difference: the report keeps saying the histories forked after the fork was cleaned up.
   * Guarded by this.
   */
  private final Map<String, GtidSet> forkedBeforeRebuild = new LinkedHashMap<>();
  /**
   * The partitioned links between database nodes, as {@link #linkKey} pairs, whether one replicates from the other
   * now or not: a failover, a rejoin or a rebuild that gives a replica a new source looks here ({@link
   * #linkCut}), so the cut follows the link rather than the replication channel it happened to break.
   */
  private final java.util.Set<String> cutLinks = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Builds the nodes of {@code spec}: a primary and its replicas, not started. */
  public ReplicationCluster(NodeContext context, DatabaseSpec spec) {
    this.context = context;
    this.spec = spec;
    this.history = new OperationHistory(context.clock());
    this.semiSyncOn = spec.replicationMode() == ReplicationMode.SEMI_SYNC;
    H2Database first = new H2Database(context, spec, this, DatabaseRole.PRIMARY);
    add(first);
    primary = first;
    for (DatabaseSpec r : spec.replicaSpecs()) {
      H2Database replica = new H2Database(context, r, this, DatabaseRole.REPLICA);
      replica.channel(new ReplicaChannel(replica, this, first, spec.shipDelay(), spec.applyDelay()));
      add(replica);
    }
    this.clientDataSource = dataSourceFor("client");
  }

  private void add(H2Database node) {
    nodes.add(node);
    byName.put(node.name(), node);
  }

  /** Every node in start order: the primary first. */
  public List<H2Database> databaseNodes() {
    return List.copyOf(nodes);
  }

  /**
   * The routing data source an application server gets: all its connections are opened as {@code clientName}
   * through {@link H2Database#openConnection(String)}.
   */
  public DataSource dataSourceFor(String clientName) {
    return new ReadWriteRouter(this, clientName, spec.maxReplicationLag().orElse(null),
        spec.causalReadsWait().orElse(null));
  }

  boolean replicated() {
    return !spec.replicaSpecs().isEmpty();
  }

  void baseline(List<String> script, Map<String, TableInfo> tables) {
    this.baseline = List.copyOf(script);
    this.baselineTables = tables;
  }

  Map<String, TableInfo> baselineTables() {
    return baselineTables;
  }

  List<String> baseline() {
    return baseline;
  }

  NodeContext context() {
    return context;
  }

  H2Database currentPrimary() {
    return primary;
  }

  List<H2Database> all() {
    return nodes;
  }

  /** The nodes that accept writes now: running and not read-only. More than one is split brain. */
  List<H2Database> writers() {
    List<H2Database> out = new ArrayList<>(2);
    for (H2Database n : nodes) {
      if (n.isAccepting() && n.isWritable()) {
        out.add(n);
      }
    }
    return out;
  }

  /** Running replicas, in name order. */
  List<H2Database> readers() {
    List<H2Database> out = new ArrayList<>(nodes.size());
    for (H2Database n : nodes) {
      if (n.role() == DatabaseRole.REPLICA && n.isAccepting()) {
        out.add(n);
      }
    }
    return out;
  }

  // ---- replication plumbing

  /**
   * A node logged a transaction: its replicas' receivers fetch it (after their ship delay), in the committing
   * thread. (Measured: waking a receiver task for every commit costs the writer more than fetching inline.)
   */
  void shipped(H2Database source) {
    // Semi-sync needs the receipt before the commit returns, and a manual clock wants every effect in the calling
    // thread; otherwise the receivers fetch on the task pool, as MySQL's dump thread sends after the commit.
    boolean inline = spec.replicationMode() == ReplicationMode.SEMI_SYNC || context.clock().isManual();
    for (H2Database n : nodes) {
      ReplicaChannel c = n.channel();
      if (c != null && c.source() == source) {
        if (inline) {
          c.poll();
        } else {
          c.pollSoon();
        }
      }
    }
  }

  /** A receiver got something: wake semi-sync waiters, and end a fallback window once a replica caught up. */
  void received(ReplicaChannel channel) {
    wakeWaiters();
    if (spec.replicationMode() == ReplicationMode.SEMI_SYNC && !semiSyncOn) {
      H2Database p = primary;
      if (channel.caughtUpWith(p)) {
        restoreSemiSync(p);
      }
    }
  }

  private void restoreSemiSync(H2Database p) {
    synchronized (fallbacks) {
      if (semiSyncOn) {
        return;
      }
      semiSyncOn = true;
      Instant now = context.clock().instant();
      for (int i = 0; i < fallbacks.size(); i++) {
        SemiSyncFallback f = fallbacks.get(i);
        if (f.isOpen()) {
          fallbacks.set(i, new SemiSyncFallback(f.node(), f.from(), now));
        }
      }
    }
    context.events().record(p.name(), "semi-sync-on", "a replica caught up; semi-synchronous replication resumed");
  }

  /**
   * The semi-sync wait of AFTER_SYNC: returns once a replica of {@code node} received {@code tx}, or after the
   * timeout, falling back to asynchronous. On a manual clock the timeout is stack-clock time.
   *
   * @throws SQLException 08S01 when the node goes down while waiting (the client cannot know the outcome)
   */
  void awaitAck(H2Database node, BinlogTx tx) throws SQLException {
    if (spec.replicationMode() != ReplicationMode.SEMI_SYNC || !semiSyncOn) {
      return;
    }
    long timeout = spec.semiSyncTimeout().toNanos();
    long realStart = System.nanoTime();
    long clockStart = context.clock().nanoTime();
    if (acknowledged(node, tx)) {
      return; // the usual case: the receivers fetched in this thread already
    }
    waiters.incrementAndGet();
    try {
      awaitAckSlow(node, tx, timeout, realStart, clockStart);
    } finally {
      waiters.decrementAndGet();
    }
  }

  /** Real time a semi-sync commit waits on a manual clock before the log says what it waits for. */
  private static final long MANUAL_WAIT_WARNING_NANOS = TimeUnit.SECONDS.toNanos(5);

  private void awaitAckSlow(H2Database node, BinlogTx tx, long timeout, long realStart, long clockStart)
      throws SQLException {
    boolean warned = false;
    synchronized (acks) {
      while (!acknowledged(node, tx)) {
        if (!node.isAccepting()) {
          throw node.unreachable();
        }
        if (!semiSyncOn) {
          return; // another commit's wait timed out meanwhile
        }
        long waited = context.clock().isManual() ? context.clock().nanoTime() - clockStart
            : System.nanoTime() - realStart;
        if (waited >= timeout) {
          fallBack(node, tx);
          return;
        }
        if (!warned && context.clock().isManual() && System.nanoTime() - realStart > MANUAL_WAIT_WARNING_NANOS) {
          warned = true; // a test that commits and advances the clock in one thread waits here for good
          LOG.warn("{}: the semi-sync commit of {} has waited {} s of real time for an acknowledgement; on a manual"
              + " clock its timeout ({}) passes only when another thread advances the clock, or a replica that can"
              + " receive (running, receiver started, not cut off) acknowledges it", node.name(), tx.gtid(),
              TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - realStart), spec.semiSyncTimeout());
        }
        try {
          acks.wait(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException("interrupted while waiting for a semi-sync acknowledgement of " + tx.gtid(),
              "70100", e);
        }
      }
    }
  }

  private boolean acknowledged(H2Database source, BinlogTx tx) {
    for (H2Database n : nodes) {
      ReplicaChannel c = n.channel();
      if (c != null && c.source() == source && c.hasReceived(tx.uuid(), tx.id())) {
        return true;
      }
    }
    return false;
  }

  private void fallBack(H2Database node, BinlogTx tx) {
    synchronized (fallbacks) {
      if (!semiSyncOn) {
        return;
      }
      semiSyncOn = false;
      fallbacks.add(new SemiSyncFallback(node.name(), context.clock().instant(), null));
    }
    LOG.debug("{}: no semi-sync acknowledgement of {} within {}; asynchronous now", node.name(), tx.gtid(),
        spec.semiSyncTimeout());
    context.events().record(node.name(), "semi-sync-fallback", "no replica acknowledged " + tx.gtid() + " within "
        + spec.semiSyncTimeout() + "; replicating asynchronously (Rpl_semi_sync_source_status=OFF)");
  }

  /** A client commit finished on {@code node}: with two writers, that is split brain. */
  void committed(H2Database node) {
    if (!splitBrainPossible) {
      return;
    }
    List<H2Database> writers = writers();
    if (writers.size() > 1 && writers.contains(node)) {
      synchronized (this) {
        if (splitBrain == null) {
          splitBrain = new SplitBrainReport(context.clock().instant(),
              writers.stream().map(H2Database::name).toList(), Map.of());
          context.events().record(node.name(), "split-brain",
              "two writable nodes accept writes: " + splitBrain.writers());
        }
      }
    }
  }

  /**
   * An applier committed a transaction on {@code node}: wake causal-read waiters, and purge what every node has
   * executed from the logs once {@value #PURGE_AT} entries are kept on a node.
   */
  void appliedOn(H2Database node) {
    wakeWaiters();
    purgeLogs();
  }

  /** Kept log entries on a node above which an apply looks for entries to purge. */
  static final int PURGE_AT = 256;

  private void purgeLogs() {
    List<H2Database> live = new ArrayList<>();
    for (H2Database n : nodes) {
      if (n.role() != DatabaseRole.DETACHED) {
        live.add(n);
      }
    }
    for (H2Database n : live) {
      if (n.binlogRetained() < PURGE_AT) {
        continue;
      }
      // Each node's executed set is read under its own lock, before n's: no two log locks are held at once.
      List<GtidSet> others = new ArrayList<>(live.size());
      for (H2Database o : live) {
        if (o != n) {
          others.add(o.executedGtids());
        }
      }
      n.purgeExecutedEverywhere(others);
    }
  }

  /** Wakes semi-sync and causal-read waiters, if any: most commits have none, and skip the monitor. */
  private void wakeWaiters() {
    if (waiters.get() > 0) {
      synchronized (acks) {
        acks.notifyAll();
      }
    }
  }

  /** Waits up to {@code nanos} of real time for a change of apply progress. */
  void awaitProgress(long nanos) throws InterruptedException {
    waiters.incrementAndGet();
    try {
      synchronized (acks) {
        acks.wait(Math.max(1, Math.min(nanos / 1_000_000, 10)));
      }
    } finally {
      waiters.decrementAndGet();
    }
  }

  /**
   * Entries left the middle of {@code source}'s log ({@link H2Database#up}): positions after them moved, so every
   * receiver reading it starts again from the beginning, by GTID.
   */
  void logRewritten(H2Database source) {
    for (H2Database n : nodes) {
      ReplicaChannel c = n.channel();
      if (c != null && c.source() == source) {
        c.rewind();
      }
    }
  }

  void nodeDown(H2Database node) {
    synchronized (acks) {
      acks.notifyAll();
    }
    for (H2Database n : nodes) { // their receivers lose the connection and start retrying
      ReplicaChannel c = n.channel();
      if (c != null && c.source() == node) {
        c.sourceDown(node);
      }
    }
    if (node == primary) {
      scheduleAutomaticFailover(node);
    }
  }

  /** With {@code automaticFailover}: fails over from {@code node}, a primary that went down, after the detection. */
  private void scheduleAutomaticFailover(H2Database node) {
    if (spec.failoverDetection().isEmpty()) {
      return;
    }
    Duration detection = spec.failoverDetection().get();
    context.events().record(node.name(), "primary-down",
        "primary unreachable; automatic failover in " + detection + " unless it returns");
    try {
      context.clock().schedule(detection, () -> {
        if (primary == node && !node.isAccepting()) {
          dispatch(() -> {
            try {
              failoverFrom(node, "primary " + node.name() + " unreachable for " + detection);
            } catch (RuntimeException e) {
              LOG.warn("automatic failover of {} failed", node.name(), e);
              context.events().record(node.name(), "failover-failed", String.valueOf(e.getMessage()));
            }
          }, new AtomicBoolean());
        }
      });
    } catch (IllegalStateException closing) {
      LOG.debug("the stack's clock is closed; no automatic failover of {}", node.name(), closing);
    }
  }

  /**
   * The automatic failover itself: checks again, under this monitor, that {@code down} is still the primary and
   * still down. Why: the check on the clock's thread comes before the task runs; a manual failover (or a restart)
   * in between made another node the primary, and the task then failed over that healthy new primary as well,
   * fencing it, in a report that named the old one as unreachable.
   */
  private synchronized void failoverFrom(H2Database down, String reason) {
    if (primary != down || down.isAccepting()) {
      LOG.debug("automatic failover of {} dropped: the primary is {} now, {}", down.name(), primary.name(),
          down.isAccepting() ? "running" : "down");
      return;
    }
    failover(reason);
  }

  /** Runs {@code work} on the stack's task pool; dropped (with a debug line) when the stack is closing. */
  void execute(Runnable work) {
    try {
      context.tasks().execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          LOG.warn("replication task failed in stack {}", context.stackName(), e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("stack {} is closing; replication task dropped", context.stackName(), e);
    }
  }

  /** Runs replication work: inline on a manual clock (deterministic), else on the stack's task pool, once. */
  void dispatch(Runnable work, AtomicBoolean queued) {
    if (context.clock().isManual()) {
      work.run();
    } else if (queued.compareAndSet(false, true)) {
      try {
        context.tasks().execute(() -> {
          queued.set(false);
          try {
            work.run();
          } catch (RuntimeException e) {
            LOG.warn("replication task failed in stack {}", context.stackName(), e);
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        queued.set(false);
        LOG.debug("stack {} is closing; replication task dropped", context.stackName(), e);
      }
    }
  }

  // ---- DatabaseCluster

  @Override
  public DatabaseNode primary() {
    return primary;
  }

  @Override
  public List<DatabaseNode> nodes() {
    return List.copyOf(nodes);
  }

  @Override
  public List<Replica> replicas() {
    return nodes.stream().filter(n -> n.role() == DatabaseRole.REPLICA).map(n -> (Replica) new Handle(n))
        .toList();
  }

  @Override
  public Replica replica(String name) {
    H2Database n = node(name);
    checkArgument(n.role() == DatabaseRole.REPLICA, "%s is a %s, not a replica", name,
        n.role().name().toLowerCase(java.util.Locale.ROOT));
    return new Handle(n);
  }

  private H2Database node(String name) {
    H2Database n = byName.get(name);
    checkArgument(n != null, "no database node named %s (nodes: %s)", name, byName.keySet());
    return n;
  }

  @Override
  public ReplicationMode mode() {
    return spec.replicationMode();
  }

  @Override
  public boolean semiSyncActive() {
    return spec.replicationMode() == ReplicationMode.SEMI_SYNC && semiSyncOn;
  }

  @Override
  public List<SemiSyncFallback> semiSyncFallbacks() {
    synchronized (fallbacks) {
      return List.copyOf(fallbacks);
    }
  }

  @Override
  public ReplicationStatus status(String name) {
    H2Database n = node(name);
    ReplicaChannel c = n.channel();
    if (c != null) {
      return c.status();
    }
    return new ReplicationStatus(n.name(), n.role(), n.isAccepting(), n.isReadOnly(), n.isSuperReadOnly(), null,
        "No", false, true, n.executedGtids(), GtidSet.empty(), java.util.OptionalLong.empty(), Duration.ZERO,
        Duration.ZERO, 0, 0, "", Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }

  @Override
  public List<ReplicationStatus> status() {
    List<ReplicationStatus> out = new ArrayList<>();
    out.add(status(primary.name()));
    for (H2Database n : nodes) {
      if (n != primary) {
        out.add(status(n.name()));
      }
    }
    return out;
  }

  @Override
  public FailoverReport failover() {
    return failover("requested");
  }

  synchronized FailoverReport failover(String reason) {
    long started = System.nanoTime();
    Instant at = context.clock().instant();
    H2Database old = primary;
    List<H2Database> candidates = new ArrayList<>();
    for (H2Database n : nodes) {
      if (n != old && n.role() == DatabaseRole.REPLICA && n.isAccepting()) {
        candidates.add(n);
      }
    }
    checkState(!candidates.isEmpty(), "no running replica to promote in place of %s", old.name());
    // Most advanced: received the most of the old primary's transactions (received sets are prefixes of its log);
    // then the most in all, then the first name.
    GtidSet oldPrimarys = oldPrimarysTransactions(old);
    H2Database best = candidates.stream()
        .max(Comparator.comparingLong((H2Database n) -> receivedOf(n, oldPrimarys))
            .thenComparingLong(n -> received(n).size())
            .thenComparing(H2Database::name, Comparator.reverseOrder()))
        .orElseThrow();
    boolean fence = spec.fencing();
    if (fence) {
      old.setReadOnly(true, true);
    }
    ReplicaChannel promoted = best.channel();
    promoted.drain();
    promoted.close();
    best.channel(null);
    best.role(DatabaseRole.PRIMARY);
    best.setReadOnly(false, false);
    old.role(DatabaseRole.DETACHED);
    GtidSet executedNew = best.executedGtids();
    // Acknowledged by any primary so far, not only the one that died: after a second failover the new primary can
    // lack writes of the first primary that the second had executed (and which the first failover therefore did
    // not count). Each lost GTID is reported once, by the first failover that loses it.
    GtidSet lost = ackedAnywhere().subtract(executedNew).subtract(reportedLost);
    reportedLost = reportedLost.union(lost);
    List<RowRef> lostRows = lost.isEmpty() ? List.of() : rowsOf(lost, old);
    Map<String, GtidSet> errant = new LinkedHashMap<>();
    primary = best;
    for (H2Database n : nodes) { // running or not: a replica that is down fetches from the new primary on restart
      if (n != best && n != old && n.role() == DatabaseRole.REPLICA && n.channel() != null) {
        GtidSet e = n.executedGtids().subtract(executedNew);
        if (!e.isEmpty()) {
          errant.put(n.name(), e);
        }
        n.channel().repoint(best);
      }
    }
    if (spec.replicationMode() == ReplicationMode.SEMI_SYNC) {
      synchronized (fallbacks) {
        semiSyncOn = true;
        // The new primary starts semi-synchronous: the old one's window without it ends here, else it stayed open
        // in semiSyncFallbacks() while semiSyncActive() said otherwise.
        for (int i = 0; i < fallbacks.size(); i++) {
          SemiSyncFallback f = fallbacks.get(i);
          if (f.isOpen()) {
            fallbacks.set(i, new SemiSyncFallback(f.node(), f.from(), at));
          }
        }
      }
    }
    if (!fence && old.isAccepting() && old.isWritable()) {
      splitBrainPossible = true;
      context.events().record(old.name(), "unfenced",
          old.name() + " still runs writable after the failover to " + best.name() + " (fencing is off)");
    }
    FailoverReport report = new FailoverReport(at, reason, old.name(), best.name(), fence, lost, lostRows, errant,
        semiSyncFallbacks(), Duration.ofNanos(System.nanoTime() - started));
    failovers.add(report);
    context.events().record(best.name(), "failover", report.toString());
    LOG.debug("{}", report);
    if (!best.isAccepting()) {
      // Killed while being promoted: its nodeDown ran while it was a replica, so nothing would fail over from it
      // and the cluster kept a dead primary for good.
      scheduleAutomaticFailover(best);
    }
    return report;
  }

  /** Every transaction a client was told was committed, on any node that was ever a writer. */
  private GtidSet ackedAnywhere() {
    GtidSet out = GtidSet.empty();
    for (H2Database n : nodes) {
      out = out.union(n.ackedGtids());
    }
    return out;
  }

  /**
   * The rows of {@code gtids}, looked up in {@code first}'s binary log, then in the others', then among the rows
   * rebuilds emptied from the logs.
   */
  private List<RowRef> rowsOf(GtidSet gtids, H2Database first) {
    List<RowRef> out = new ArrayList<>(first.rowsOf(gtids));
    GtidSet missing = gtids.subtract(gtidsOf(out));
    for (H2Database n : nodes) {
      if (missing.isEmpty()) {
        break;
      }
      if (n != first) {
        List<RowRef> found = n.rowsOf(missing);
        out.addAll(found);
        missing = missing.subtract(gtidsOf(found));
      }
    }
    if (!missing.isEmpty()) {
      for (RowRef r : rebuiltAway) {
        if (missing.containsAll(GtidSet.parse(r.gtid()))) {
          out.add(r);
        }
      }
    }
    return List.copyOf(out);
  }

  private static GtidSet gtidsOf(List<RowRef> rows) {
    GtidSet out = GtidSet.empty();
    for (RowRef r : rows) {
      out = out.union(GtidSet.parse(r.gtid()));
    }
    return out;
  }

  @Override
  public synchronized GtidSet lostAcknowledged() {
    return ackedAnywhere().subtract(primary.executedGtids());
  }

  /**
   * The rows of {@link #lostAcknowledged()}: first as the failover reports that lost them recorded them, then looked
   * up in the binary logs. Why the reports first: a lost transaction's rows are often in one log only, the old
   * primary's, and a {@link #rebuild} of that node empties it; the rows then went missing from this view while the
   * GTIDs stayed.
   */
  @Override
  public synchronized List<RowRef> lostRows() {
    GtidSet lost = lostAcknowledged();
    if (lost.isEmpty()) {
      return List.of();
    }
    List<RowRef> out = new ArrayList<>();
    GtidSet found = GtidSet.empty();
    for (FailoverReport f : failovers) {
      for (RowRef r : f.lostRows()) {
        GtidSet g = GtidSet.parse(r.gtid());
        if (lost.containsAll(g)) {
          out.add(r);
          found = found.union(g);
        }
      }
    }
    GtidSet rest = lost.subtract(found);
    if (!rest.isEmpty()) {
      out.addAll(rowsOf(rest, primary));
    }
    return List.copyOf(out);
  }

  /** What replica {@code n} holds: received into its relay log or executed. */
  private static GtidSet received(H2Database n) {
    ReplicaChannel c = n.channel();
    return c == null ? GtidSet.empty() : c.status().retrieved().union(n.executedGtids());
  }

  /**
   * How many of {@code oldPrimarys} transactions replica {@code n} holds. Why not its whole received set's size,
   * as before: a replica can hold transactions the old primary never had (errant ones a rejoined earlier primary
   * brought, say), and counting those promoted it over a replica holding the old primary's last semi-sync
   * acknowledged commit, which the failover then reported lost although one failure cannot lose it.
   */
  private static long receivedOf(H2Database n, GtidSet oldPrimarys) {
    GtidSet got = received(n);
    return got.size() - got.subtract(oldPrimarys).size();
  }

  /** What the old primary executed or logged (a logged commit waiting for its acknowledgement included). */
  private static GtidSet oldPrimarysTransactions(H2Database old) {
    GtidSet.Mutable logged = new GtidSet.Mutable(old.executedGtids());
    for (BinlogTx tx : old.binlogFrom(0).txs()) {
      logged.add(tx.uuid(), tx.id());
    }
    return logged.snapshot();
  }

  @Override
  public synchronized List<FailoverReport> failovers() {
    return List.copyOf(failovers);
  }

  @Override
  public synchronized Optional<SplitBrainReport> splitBrain() {
    if (splitBrain == null) {
      return Optional.empty();
    }
    Map<String, GtidSet> divergent = divergentNow();
    forkedBeforeRebuild.forEach((writer, gtids) -> divergent.merge(writer, gtids, GtidSet::union));
    return Optional.of(new SplitBrainReport(splitBrain.detectedAt(), splitBrain.writers(), divergent));
  }

  /** Per split-brain writer, what it executed that the other writers lack, now. Caller holds this monitor. */
  private Map<String, GtidSet> divergentNow() {
    Map<String, GtidSet> divergent = new LinkedHashMap<>();
    for (String a : splitBrain.writers()) {
      GtidSet mine = node(a).executedGtids();
      GtidSet others = GtidSet.empty();
      for (String b : splitBrain.writers()) {
        if (!b.equals(a)) {
          others = others.union(node(b).executedGtids());
        }
      }
      divergent.put(a, mine.subtract(others));
    }
    return divergent;
  }

  @Override
  public synchronized GtidSet rejoin(String name) {
    H2Database n = node(name);
    H2Database p = primary;
    checkArgument(n != p, "%s is the primary; it cannot replicate from itself", name);
    GtidSet errant = n.executedGtids().subtract(p.executedGtids());
    n.setReadOnly(true, true);
    n.role(DatabaseRole.REPLICA);
    ReplicaChannel c = n.channel();
    if (c == null) {
      c = new ReplicaChannel(n, this, p, spec.shipDelay(), spec.applyDelay());
      n.channel(c);
      c.nodeUp();
    } else {
      c.repoint(p);
    }
    context.events().record(name, "rejoin", name + " replicates from " + p.name()
        + (errant.isEmpty() ? "" : "; errant transactions " + errant));
    return errant;
  }

  @Override
  public synchronized void rebuild(String name) throws SQLException {
    H2Database n = node(name);
    H2Database p = primary;
    checkArgument(n != p, "%s is the primary; rebuild a replica from it instead", name);
    ReplicaChannel old = n.channel();
    if (old != null) {
      old.close();
      n.channel(null);
    }
    keepRowsAtRisk(n);
    if (splitBrain != null && splitBrain.writers().contains(name)) {
      divergentNow().forEach((writer, gtids) -> forkedBeforeRebuild.merge(writer, gtids, GtidSet::union));
    }
    n.rebuildFrom(p);
    n.setReadOnly(true, true);
    n.role(DatabaseRole.REPLICA);
    ReplicaChannel c = new ReplicaChannel(n, this, p, spec.shipDelay(), spec.applyDelay());
    n.channel(c);
    context.events().record(name, "rebuild", name + " cloned from " + p.name() + " and replicating from it");
    c.nodeUp();
  }

  /** Keeps the rows of {@code n}'s log that some node lacks, before a rebuild empties it ({@link #rebuiltAway}). */
  private void keepRowsAtRisk(H2Database n) {
    GtidSet acked = ackedAnywhere();
    GtidSet atRisk = GtidSet.empty();
    for (H2Database m : nodes) {
      atRisk = atRisk.union(acked.subtract(m.executedGtids()));
    }
    if (!atRisk.isEmpty()) {
      rebuiltAway.addAll(n.rowsOf(atRisk));
    }
  }

  @Override
  public void setReadOnly(String name, boolean readOnly) {
    H2Database n = node(name);
    n.setReadOnly(readOnly, readOnly);
    if (!readOnly && writers().size() > 1) {
      splitBrainPossible = true;
    }
    context.events().record(name, "read-only", "SET GLOBAL read_only = " + (readOnly ? "ON" : "OFF"));
  }

  @Override
  public boolean isConverged() {
    H2Database p = primary;
    if (!p.isAccepting()) {
      return false;
    }
    GtidSet target = p.executedGtids();
    for (H2Database n : nodes) {
      ReplicaChannel c = n.channel();
      if (n == p || n.role() != DatabaseRole.REPLICA || !n.isAccepting() || c == null) {
        continue;
      }
      if (!c.isIdle() || !n.hasExecutedAll(target)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Map<String, List<List<Object>>> content(String name) throws SQLException {
    return node(name).content();
  }

  @Override
  public DataSource dataSource() {
    return clientDataSource;
  }

  @Override
  public OperationHistory history() {
    return history;
  }

  @Override
  public void partition(String a, String b) {
    linkFault(a, b, true);
  }

  @Override
  public void heal(String a, String b) {
    linkFault(a, b, false);
  }

  /**
   * Maps a link fault between two components onto replication: when either side is a replica whose source is the
   * other, its receiver is disconnected or reconnected. Other pairs are not database links and are ignored (false).
   */
  public boolean linkFault(String a, String b, boolean partitioned) {
    boolean applied = false;
    if (byName.containsKey(a) && byName.containsKey(b) && !a.equals(b)) {
      // Kept per link: before, only the channel then running over it was cut, so a replica re-pointed by a failover
      // stayed cut off from its new source over an intact link (and no heal reached it), and one re-pointed over a
      // partitioned link (between two replicas, say) replicated across it.
      if (partitioned) {
        cutLinks.add(linkKey(a, b));
      } else {
        cutLinks.remove(linkKey(a, b));
      }
    }
    for (String[] pair : new String[][] {{a, b}, {b, a}}) {
      H2Database replica = byName.get(pair[0]);
      H2Database source = byName.get(pair[1]);
      if (replica == null || source == null) {
        continue;
      }
      ReplicaChannel c = replica.channel();
      if (c != null && c.source() == source) {
        if (partitioned) {
          c.disconnect();
        } else {
          c.reconnect();
        }
        applied = true;
        context.events().record(replica.name() + "<-" + source.name(), partitioned ? "partition" : "heal",
            (partitioned ? "replication link cut: " : "replication link healed: ") + source.name() + " -> "
                + replica.name());
      }
    }
    return applied;
  }

  private static String linkKey(String a, String b) {
    return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
  }

  /** True while the link between database nodes {@code a} and {@code b} is partitioned. */
  boolean linkCut(String a, String b) {
    return cutLinks.contains(linkKey(a, b));
  }

  /** Handle on a replica node. */
  private final class Handle implements Replica {
    private final H2Database node;

    Handle(H2Database node) {
      this.node = node;
    }

    private ReplicaChannel channel() {
      ReplicaChannel c = node.channel();
      checkState(c != null && node.role() == DatabaseRole.REPLICA, "%s is no longer a replica (it is %s)",
          node.name(), node.role().name().toLowerCase(java.util.Locale.ROOT));
      return c;
    }

    @Override
    public String name() {
      return node.name();
    }

    @Override
    public DatabaseNode node() {
      return node;
    }

    @Override
    public ReplicationStatus status() {
      return channel().status();
    }

    @Override
    public void stopReceiver() {
      channel().stopReceiver();
      context.events().record(node.name(), "replica-stopped", "STOP REPLICA IO_THREAD");
    }

    @Override
    public void startReceiver() {
      context.events().record(node.name(), "replica-started", "START REPLICA IO_THREAD");
      channel().startReceiver();
    }

    @Override
    public void stopApplier() {
      channel().stopApplier();
      context.events().record(node.name(), "replica-stopped", "STOP REPLICA SQL_THREAD");
    }

    @Override
    public void startApplier() {
      context.events().record(node.name(), "replica-started", "START REPLICA SQL_THREAD");
      channel().startApplier();
    }

    @Override
    public void shipDelay(Duration delay) {
      checkArgument(delay != null && !delay.isNegative(), "shipDelay (%s) must not be negative", delay);
      context.events().record(node.name(), "replica-delay", "ship delay " + delay);
      channel().shipDelay(delay);
    }

    @Override
    public void applyDelay(Duration delay) {
      checkArgument(delay != null && !delay.isNegative(), "applyDelay (%s) must not be negative", delay);
      context.events().record(node.name(), "replica-delay", "apply delay " + delay);
      channel().applyDelay(delay);
    }

    @Override
    public void connectRetry(Duration interval) {
      checkArgument(interval != null && !interval.isNegative() && !interval.isZero(),
          "connectRetry (%s) must be positive", interval);
      channel().connectRetry(interval);
    }

    @Override
    public void disconnect() {
      ReplicaChannel c = channel();
      linkFault(node.name(), c.source().name(), true);
    }

    @Override
    public void reconnect() {
      ReplicaChannel c = channel();
      linkFault(node.name(), c.source().name(), false);
    }

    @Override
    public String toString() {
      return "replica " + node.name();
    }
  }
}
