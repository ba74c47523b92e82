package dev.webstack.internal;

import dev.webstack.database.RoutedConnection;
import dev.webstack.faults.Fault;
import dev.webstack.faults.LinkFaults;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
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

  private static final Set<String> ROUND_TRIPS = Set.of("execute", "executeQuery", "executeUpdate",
      "executeLargeUpdate", "executeBatch", "executeLargeBatch", "commit", "rollback", "setAutoCommit", "isValid");

  private final String from;
  private final String to;
  private final NodeContext context;
  private final List<Entry> active = new ArrayList<>();
  private final Set<Tracked> open = ConcurrentHashMap.newKeySet();
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
    Entry[] entry = new Entry[1];
    ActiveFault handle = new ActiveFault(name(), what, context.events(), context.clock(), f -> remove(entry[0]));
    entry[0] = new Entry(handle, cut, latency, jitter, reset);
    active.add(entry[0]);
    recompute();
    if (reset) {
      open.forEach(Tracked::markReset);
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
    Tracked t = new Tracked(raw);
    open.add(t);
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        t);
  }

  private SQLNonTransientConnectionException linkFailure(String reason) {
    return new SQLNonTransientConnectionException(reason + " (link " + name() + ")\n\nThe last packet sent "
        + "successfully to the server was 0 milliseconds ago. The driver has not received any packets from the "
        + "server.", "08S01");
  }

  /** Runs one round trip across the link, with the faults in force. */
  private Object roundTrip(Tracked connection, Method method, Object target, Object[] args) throws Throwable {
    pass(connection, true);
    Object result;
    try {
      result = method.invoke(target, args);
    } catch (InvocationTargetException e) {
      pass(connection, false);
      throw e.getCause();
    } finally {
      connection.noteNode();
    }
    pass(connection, false);
    return result;
  }

  /** One direction of a round trip: fails on reset, waits out a partition, then sleeps the latency. */
  private void pass(Tracked connection, boolean forward) throws SQLException {
    long delay;
    synchronized (this) {
      while (true) {
        if (closed) {
          throw linkFailure("Communications link failure");
        }
        if (connection.reset) {
          connection.closeRaw();
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

  /** One connection across the link; its statements are wrapped so their executions are round trips. */
  private final class Tracked implements InvocationHandler {
    private final Connection raw;
    private volatile boolean reset;

    Tracked(Connection raw) {
      this.raw = raw;
    }

    void markReset() {
      reset = true;
    }

    /** Tells the current request which database node ran the last round trip, when the connection knows. */
    void noteNode() {
      try {
        if (raw.isWrapperFor(RoutedConnection.class)) {
          raw.unwrap(RoutedConnection.class).lastNode().ifPresent(DatabaseHops::note);
        } else {
          DatabaseHops.note(to);
        }
      } catch (SQLException e) {
        DatabaseHops.note(to); // a closed connection still ran on the link's database
      }
    }

    void closeRaw() {
      open.remove(this);
      try {
        raw.close();
      } catch (SQLException e) {
        context.events().record(name(), "reset", "closing a reset connection failed: " + e.getMessage());
      }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "connection over link " + name() + " (" + raw + ")";
        };
      }
      if (method.getName().equals("close")) {
        open.remove(this);
      }
      if (ROUND_TRIPS.contains(method.getName())) {
        return roundTrip(this, method, raw, args);
      }
      Object result = invokeRaw(method, raw, args);
      if (result instanceof Statement statement) {
        Class<?> type = result instanceof CallableStatement ? CallableStatement.class
            : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
            (p, m, a) -> m.getDeclaringClass() != Object.class && ROUND_TRIPS.contains(m.getName())
                ? roundTrip(this, m, statement, a)
                : m.getName().equals("getConnection") ? proxy : invokeRaw(m, statement, a));
      }
      return result;
    }
  }

  private static Object invokeRaw(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
