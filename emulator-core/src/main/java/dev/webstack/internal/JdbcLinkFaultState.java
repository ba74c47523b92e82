package dev.webstack.internal;

import dev.webstack.faults.Fault;
import dev.webstack.faults.LinkFaults;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Faults of the link from an application server to a database. The database is in-process H2, so no bytes
 * travel; the link acts on JDBC round trips instead, which are what MySQL's wire protocol carries: statement
 * executions, {@code commit}, {@code rollback}, {@code setAutoCommit} and {@code isValid}. Other calls (building a
 * statement, reading a result set already received) are local in MySQL's driver too and pass through.
 *
 * <ul>
 *   <li>partition: a new connection fails with SQLState {@code 08S01} ("Communications link failure", Connector/J's
 *       wording); a round trip on an open connection blocks until the partition heals. Cut {@code FORWARD}, the
 *       call has not reached the database; cut {@code BACKWARD}, the database executes it (a commit commits) and
 *       only the answer waits: the case where a client cannot know whether its write happened.
 *   <li>latency: each round trip waits the latency before and after the call.
 *   <li>reset: the next round trip of every open connection fails with {@code 08S01} and closes the connection
 *       (the database rolls back its open transaction); new connections fail the same way while active.
 *   <li>bandwidth: not supported, as no bytes travel.
 * </ul>
 */
public final class JdbcLinkFaultState implements LinkFaults {

  private final String from;
  private final String to;
  private final NodeContext context;
  private final List<Entry> active = new ArrayList<>();
  private final Set<LinkedConnection> open = ConcurrentHashMap.newKeySet();
  private final SplittableRandom jitter;
  private boolean forwardCut;
  private boolean backwardCut;
  private long latencyNanos;
  private long jitterNanos;
  private boolean reset;
  private boolean closed;

  private record Entry(ActiveFault handle, Direction cut, long latency, long jitter, boolean reset) {}

  public JdbcLinkFaultState(String from, String to, NodeContext context) {
    this.from = from;
    this.to = to;
    this.context = context;
    this.jitter = context.random().stream(name() + "/jitter");
  }

  @Override
  public String name() {
    return from + "->" + to;
  }

  @Override
  public Fault partition() {
    return partition(Direction.BOTH);
  }

  @Override
  public Fault partition(Direction direction) {
    return add(LinkFaultState.partitionWords(from, to, direction), direction, 0, 0, false);
  }

  @Override
  public Fault latency(Duration latency) {
    return latency(latency, Duration.ZERO);
  }

  @Override
  public Fault latency(Duration latency, Duration jitter) {
    String what = LinkFaultState.latencyWords(name(), latency, jitter);
    return add(what, null, latency.toNanos(), jitter.toNanos(), false);
  }

  @Override
  public Fault reset() {
    return add("reset every connection", null, 0, 0, true);
  }

  @Override
  public Fault bandwidth(long bytesPerSecond) {
    throw new UnsupportedOperationException("link " + name() + " is JDBC to an in-process database: no bytes travel "
        + "to limit; use latency(..) to slow its round trips");
  }

  private synchronized Fault add(String what, Direction cut, long latency, long jitter, boolean reset) {
    Checks.checkNotClosed(closed, "link " + name(), context.stackName());
    Entry[] entry = new Entry[1];
    ActiveFault handle = new ActiveFault(name(), what, context.events(), context.clock(), f -> remove(entry[0]));
    entry[0] = new Entry(handle, cut, latency, jitter, reset);
    active.add(entry[0]);
    recompute();
    if (reset) {
      open.forEach(LinkedConnection::markReset);
    }
    return handle;
  }

  private synchronized void remove(Entry entry) {
    active.remove(entry);
    recompute();
  }

  private void recompute() {
    forwardCut = active.stream().anyMatch(e -> e.cut() == Direction.FORWARD || e.cut() == Direction.BOTH);
    backwardCut = active.stream().anyMatch(e -> e.cut() == Direction.BACKWARD || e.cut() == Direction.BOTH);
    latencyNanos = active.stream().mapToLong(Entry::latency).sum();
    jitterNanos = active.stream().mapToLong(Entry::jitter).max().orElse(0);
    reset = active.stream().anyMatch(Entry::reset);
    notifyAll();
  }

  @Override
  public synchronized List<Fault> active() {
    return active.stream().map(e -> (Fault) e.handle()).toList();
  }

  @Override
  public void heal() {
    active().forEach(Fault::undo);
  }

  /** Wakes every blocked call with a failure; called by the stack's close. */
  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  /**
   * Checks that a new connection can be made now, before the database is asked for one.
   *
   * @throws SQLNonTransientConnectionException (08S01) while the link is partitioned or resetting
   */
  public synchronized void beforeConnect() throws SQLException {
    if (forwardCut || backwardCut || reset || closed) {
      throw linkFailure(reset ? "Connection reset" : "Communications link failure");
    }
  }

  /** The connection as the application server sees it across this link. */
  public Connection wrap(Connection raw) {
    // Always wrapped, even with no fault active: a fault applied later must reach connections opened now.
    LinkedConnection linked = new LinkedConnection(this, raw);
    open.add(linked);
    return linked;
  }

  /** The database node at the far end of this link. */
  String to() {
    return to;
  }

  /** A connection closed: faults applied from now on no longer concern it. */
  void forget(LinkedConnection connection) {
    open.remove(connection);
  }

  private SQLNonTransientConnectionException linkFailure(String reason) {
    return new SQLNonTransientConnectionException(reason + " (link " + name() + ")\n\nThe last packet sent "
        + "successfully to the server was 0 milliseconds ago. The driver has not received any packets from the "
        + "server.", "08S01");
  }

  /** One direction of a round trip: fails on reset, waits out a partition, then sleeps the latency. */
  void pass(LinkedConnection connection, boolean forward) throws SQLException {
    long delay;
    synchronized (this) {
      while (true) {
        if (closed) {
          throw linkFailure("Communications link failure");
        }
        if (connection.isReset()) {
          closeReset(connection);
          throw linkFailure("Connection reset");
        }
        if (!(forward ? forwardCut : backwardCut)) {
          break;
        }
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw linkFailure("Communications link failure: interrupted");
        }
      }
      delay = latencyNanos == 0 && jitterNanos == 0 ? 0
          : Math.max(0, latencyNanos + (jitterNanos == 0 ? 0 : jitter.nextLong(-jitterNanos, jitterNanos + 1)));
    }
    long due = System.nanoTime() + delay;
    long wait;
    while ((wait = due - System.nanoTime()) > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(wait);
    }
  }

  private void closeReset(LinkedConnection connection) {
    try {
      connection.closeRaw();
    } catch (SQLException e) {
      context.events().record(name(), "reset", "closing a reset connection failed: " + e.getMessage());
    }
  }
}
