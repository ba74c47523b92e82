package dev.webstack.junit.jqwik;

import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import dev.webstack.Node;
import dev.webstack.database.DatabaseCluster;
import dev.webstack.database.DatabaseRole;
import dev.webstack.database.FailoverReport;
import dev.webstack.database.GtidSet;
import dev.webstack.database.Operation;
import dev.webstack.database.OperationHistory;
import dev.webstack.database.Replica;
import dev.webstack.database.ReplicationMode;
import dev.webstack.database.ReplicationStatus;
import dev.webstack.database.RoutedConnection;
import dev.webstack.faults.Fault;
import dev.webstack.inspection.ServerStats;
import dev.webstack.junit.TrafficRecorder;
import dev.webstack.junit.TrafficRecorder.Exchange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state a jqwik {@code ActionChain} runs on: the try's running stack, the requests sent to it and every step
 * taken, each with the nodes that ran when it was taken. {@link StackActions} change it; {@link StackInvariants}
 * read it. An action of your own records its step with {@link #record(String, String, boolean)}.
 *
 * <p>Not thread-safe: a chain runs its actions one after the other.
 */
public final class StackState {

  /** What kind of step a {@link Step} was; actions of your own may use kinds of their own. */
  public static final String REQUEST = "request";
  public static final String KILL = "kill";
  public static final String RESTART = "restart";
  public static final String CLOCK = "clock";
  public static final String PARTITION = "partition";
  public static final String HEAL = "heal";
  /** Database steps: a write or read of a key, a failover, a replication link cut or healed. */
  public static final String DB_WRITE = "db-write";
  public static final String DB_READ = "db-read";
  public static final String FAILOVER = "failover";
  public static final String DB_PARTITION = "db-partition";
  public static final String DB_HEAL = "db-heal";

  /** The table {@link #writeKey} and {@link #readKey} use, created by the first write: {@code k} key, {@code v}. */
  public static final String KV_TABLE = "jqwik_kv";

  /** The process name the database operations of a chain are recorded under in the cluster's history. */
  public static final String DB_CLIENT = "chain";

  private final EmulatedStack stack;
  private final TrafficRecorder traffic;
  private final List<Step> steps = new ArrayList<>();
  private final Map<String, Fault> partitions = new TreeMap<>();
  private final Set<String> unprotectedWrites = new TreeSet<>();
  private boolean kvTableReady;
  private long writes;

  private StackState(EmulatedStack stack) {
    this.stack = Objects.requireNonNull(stack, "stack");
    this.traffic = TrafficRecorder.of(stack);
  }

  /** A state over {@code stack}, for chains started outside a {@link WebStackProperty} try. */
  public static StackState of(EmulatedStack stack) {
    return new StackState(stack);
  }

  /**
   * The state of the current try's stack: the same object for every call within one try.
   *
   * @throws IllegalStateException outside a try of a property annotated {@link WebStackProperty}
   */
  public static StackState current() {
    return WebStackTryHook.currentState();
  }

  public EmulatedStack stack() {
    return stack;
  }

  /** The requests the chain sent, with their responses and paths. */
  public TrafficRecorder traffic() {
    return traffic;
  }

  /** Every step taken, oldest first. */
  public List<Step> steps() {
    return List.copyOf(steps);
  }

  /** The latest step, if any. */
  public Optional<Step> lastStep() {
    return steps.isEmpty() ? Optional.empty() : Optional.of(steps.get(steps.size() - 1));
  }

  /** The steps since the last one that changed the topology (a kill, restart, partition or heal), oldest first. */
  public List<Step> sinceLastTopologyChange() {
    int from = 0;
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (steps.get(i).changesTopology()) {
        from = i + 1;
        break;
      }
    }
    return List.copyOf(steps.subList(from, steps.size()));
  }

  /** The names of the nodes running now, sorted. */
  public Set<String> runningNodes() {
    Set<String> running = new TreeSet<>();
    for (Node n : stack.nodes()) {
      if (n.isRunning()) {
        running.add(n.name());
      }
    }
    return running;
  }

  /** Sends {@code GET http://www.<domain><path>} and records it as a step. */
  public Exchange request(String path) {
    Set<String> running = runningNodes();
    Set<String> cut = cutLinks();
    Set<String> unavailable = unavailableServers();
    Exchange exchange = traffic.get("http://www." + stack.spec().domain() + path);
    steps.add(new Step(steps.size() + 1, REQUEST, exchange.toString(), running, false, exchange, cut, unavailable));
    return exchange;
  }

  /** The links partitioned now ({@code from->to}), sorted. */
  public Set<String> cutLinks() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(partitions.keySet()));
  }

  /**
   * The servers a proxying node would not send new requests to now, as {@code proxy/server} (for example {@code
   * lb-1/web-2}): marked DOWN by its health checks, in maintenance, or weighted 0. Read from {@code
   * stack.backend(..)}.
   */
  public Set<String> unavailableServers() {
    Set<String> out = new TreeSet<>();
    List<Node> proxies = new ArrayList<>(stack.balancer().stream().toList());
    stack.webServers().stream().filter(w -> !stack.spec().appServers().isEmpty()).forEach(proxies::add);
    for (Node proxy : proxies) {
      for (ServerStats s : stack.backend(proxy.name()).stats()) {
        if (!s.isAvailable()) {
          out.add(proxy.name() + "/" + s.name());
        }
      }
    }
    return out;
  }

  /**
   * Partitions the link {@code from->to} both ways (see {@code EmulatedStack.link}) and records it; a link cut
   * already stays cut, recorded as such.
   */
  public void partition(String link) {
    if (partitions.containsKey(link)) {
      record(PARTITION, "partition " + link + " (cut already)", false);
      return;
    }
    String[] ends = ends(link);
    partitions.put(link, stack.link(ends[0], ends[1]).partition());
    record(PARTITION, "partition " + link, true);
  }

  /** Heals a partition made by {@link #partition(String)} and records it; a link not cut is left as it is. */
  public void heal(String link) {
    Fault cut = partitions.remove(link);
    if (cut == null) {
      record(HEAL, "heal " + link + " (not cut)", false);
      return;
    }
    cut.undo();
    record(HEAL, "heal " + link, true);
  }

  private static String[] ends(String link) {
    int arrow = link.indexOf("->");
    if (arrow <= 0 || arrow == link.length() - 2) {
      throw new IllegalArgumentException("link (" + link + ") must read from->to, for example lb-1->web-1");
    }
    return new String[] {link.substring(0, arrow), link.substring(arrow + 2)};
  }

  /** Kills the node named {@code node} and records it; a node that is down already stays down, recorded as such. */
  public void kill(String node) {
    Node n = stack.node(node);
    if (!n.isRunning()) {
      record(KILL, "kill " + node + " (down already)", false);
      return;
    }
    n.kill();
    record(KILL, "kill " + node, true);
  }

  /**
   * Restarts the node named {@code node} (on the same port) and records it; a node that runs, or whose host is
   * down, is left as it is, recorded as such.
   */
  public void restart(String node) {
    Node n = stack.node(node);
    if (n.isRunning() || !n.host().isUp()) {
      record(RESTART, "restart " + node + (n.isRunning() ? " (running already)" : " (host down)"), false);
      return;
    }
    n.restart();
    record(RESTART, "restart " + node, true);
  }

  /** Advances the stack's manual clock and records it. */
  public void advance(Duration step) {
    stack.clock().advance(step);
    record(CLOCK, "advance clock " + step, false);
  }

  // ---- the database

  /**
   * Writes {@code key} (an insert or an update of {@link #KV_TABLE}, autocommit) through the cluster's routing
   * {@code DataSource} and records it in the cluster's {@code OperationHistory} as process {@link #DB_CLIENT}:
   * invoke before, then {@code ok} (on the node that ran it), {@code fail} (certainly not done: no connection,
   * read-only, no table) or {@code info} (the connection broke under the statement: it may have happened). Every
   * write's value is unique ({@code k1=v7}), as {@code HistoryChecker} expects. The first write creates the table;
   * after a failover to a node that lacks it, the next write creates it again.
   *
   * <p>In semi-synchronous mode, a write acknowledged while the primary had fallen back to asynchronous
   * replication (the semi-sync wait timed out before, during or right after it) is recorded as unprotected
   * ({@link #unprotectedWrites()}): MySQL makes no promise for it.
   */
  public Step writeKey(String key) {
    DatabaseCluster db = stack.databaseCluster();
    String value = key + "=v" + (++writes);
    boolean semiSync = db.mode() == ReplicationMode.SEMI_SYNC;
    boolean activeBefore = db.semiSyncActive();
    int fallbacksBefore = db.semiSyncFallbacks().size();
    OperationHistory.Pending op = db.history().invoke(DB_CLIENT, Operation.WRITE, key, value);
    boolean attempted = false;
    String outcome;
    try (Connection c = db.dataSource().getConnection()) {
      if (!kvTableReady) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS " + KV_TABLE + " (k VARCHAR(64) PRIMARY KEY, v VARCHAR(128))");
        }
        kvTableReady = true;
      }
      try (PreparedStatement ps = c.prepareStatement("MERGE INTO " + KV_TABLE + " (k, v) KEY (k) VALUES (?, ?)")) {
        ps.setString(1, key);
        ps.setString(2, value);
        attempted = true;
        ps.executeUpdate();
      }
      String node = lastNode(c);
      op.okOn(node);
      boolean protectedWrite = !semiSync
          || (activeBefore && db.semiSyncActive() && db.semiSyncFallbacks().size() == fallbacksBefore);
      if (!protectedWrite) {
        unprotectedWrites.add(value);
      }
      outcome = "ok on " + node + (protectedWrite ? "" : " (unprotected: semi-sync had fallen back to async)");
    } catch (SQLException e) {
      boolean indeterminate = attempted && e.getSQLState() != null && e.getSQLState().startsWith("08");
      if (indeterminate) {
        op.info();
      } else {
        op.fail();
      }
      if ("42S02".equals(e.getSQLState()) || e.getErrorCode() == 42102 || e.getErrorCode() == 42104) {
        kvTableReady = false; // a failover to a node that never got the table
      }
      outcome = (indeterminate ? "info (" : "fail (") + e.getSQLState() + " " + firstLine(e.getMessage()) + ")";
    }
    return record(DB_WRITE, "write " + value + " -> " + outcome, false);
  }

  /**
   * Reads {@code key} through the routing {@code DataSource} (a replica, round robin, when one runs) and records it
   * in the history: {@code ok} with the value found (null: none) and the node that served it, else {@code fail}.
   */
  public Step readKey(String key) {
    DatabaseCluster db = stack.databaseCluster();
    OperationHistory.Pending op = db.history().invoke(DB_CLIENT, Operation.READ, key, null);
    String outcome;
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT v FROM " + KV_TABLE + " WHERE k = ?")) {
      ps.setString(1, key);
      String value;
      try (ResultSet rs = ps.executeQuery()) {
        value = rs.next() ? rs.getString(1) : null;
      }
      String node = lastNode(c);
      op.ok(value, node);
      outcome = (value == null ? "nothing" : value) + " on " + node;
    } catch (SQLException e) {
      op.fail();
      outcome = "fail (" + e.getSQLState() + " " + firstLine(e.getMessage()) + ")";
    }
    return record(DB_READ, "read " + key + " -> " + outcome, false);
  }

  /** Kills the current primary (whichever node it is now) and records it; a primary down already stays down. */
  public Step killPrimary() {
    return killPrimary(false);
  }

  /**
   * Like {@link #killPrimary()}, but only while every other database node runs: one database node down at a time,
   * the single failure semi-synchronous replication tolerates. With a former primary still down, the new primary may
   * be the only running node holding an acknowledged write (the replicas that could have it were cut off), and
   * killing it too loses the write: two failures. Skipped, and recorded as such, otherwise.
   */
  public Step killPrimaryWhileOthersRun() {
    return killPrimary(true);
  }

  private Step killPrimary(boolean onlyWhileOthersRun) {
    DatabaseCluster db = stack.databaseCluster();
    String name = db.primary().name();
    Node n = stack.node(name);
    if (!n.isRunning()) {
      return record(KILL, "kill primary " + name + " (down already)", false);
    }
    if (onlyWhileOthersRun) {
      List<String> down = db.nodes().stream().filter(d -> !d.isRunning()).map(DatabaseNode::name).toList();
      if (!down.isEmpty()) {
        return record(KILL, "kill primary " + name + " (skipped: " + String.join(", ", down)
            + " down already; one database node down at a time)", false);
      }
    }
    n.kill();
    return record(KILL, "kill primary " + name, true);
  }

  /**
   * Fails over ({@code DatabaseCluster.failover()}) when the primary is down and a replica runs; otherwise does
   * nothing, recorded as such (a failover tool does not demote a running primary).
   */
  public Step failover() {
    DatabaseCluster db = stack.databaseCluster();
    String primary = db.primary().name();
    if (stack.node(primary).isRunning()) {
      return record(FAILOVER, "failover (primary " + primary + " runs: nothing to do)", false);
    }
    // Asked first rather than read from failover()'s IllegalStateException, which would also hide any other
    // refusal as this harmless one.
    if (db.replicas().stream().noneMatch(r -> r.node().isRunning())) {
      return record(FAILOVER, "failover (no running replica to promote in place of " + primary + ")", false);
    }
    FailoverReport report = db.failover();
    return record(FAILOVER, "failover " + report.oldPrimary() + " -> " + report.newPrimary() + ", "
        + report.lostAcknowledged().size() + " acknowledged transaction(s) lost", true);
  }

  /**
   * Restarts the database node {@code name} as an operator would bring it back: the primary (no failover happened)
   * is made writable again ({@code read_only = OFF}: a restarted node comes back read-only) and its replicas'
   * receivers are started ({@code START REPLICA IO_THREAD}: they would reconnect by themselves only at their next
   * connect retry, {@code Replica.connectRetry}, which a manual clock reaches only when advanced); a former
   * primary that was failed over rejoins the current primary as a replica, and is rebuilt from it when it holds errant
   * transactions (which would keep it from converging); a replica resumes replicating by itself. A node that runs,
   * or whose host is down, is left as it is, recorded as such.
   */
  public Step restartDatabase(String name) {
    Node n = stack.node(name);
    if (n.isRunning() || !n.host().isUp()) {
      return record(RESTART, "restart " + name + (n.isRunning() ? " (running already)" : " (host down)"), false);
    }
    n.restart();
    DatabaseCluster db = stack.databaseCluster();
    String how;
    if (db.primary().name().equals(name)) {
      db.setReadOnly(name, false);
      // The receivers retry a lost source every SOURCE_CONNECT_RETRY of stack time (Replica.connectRetry); an
      // operator starts them at once (START REPLICA IO_THREAD connects a retrying receiver now), so the convergence
      // invariant holds right after this step, on a manual clock too.
      for (Replica r : db.replicas()) {
        if (r.node().isRunning() && name.equals(r.status().source())) {
          r.startReceiver();
        }
      }
      how = "the primary, made writable";
    } else if (db.status(name).role() == DatabaseRole.DETACHED) {
      GtidSet errant = db.rejoin(name);
      if (errant.isEmpty()) {
        how = "rejoined " + db.primary().name() + " as a replica";
      } else {
        try {
          db.rebuild(name);
        } catch (SQLException e) {
          throw new IllegalStateException("rebuilding " + name + " from " + db.primary().name() + " failed", e);
        }
        how = "errant " + errant + ", rebuilt from " + db.primary().name();
      }
    } else {
      how = "a replica of " + db.status(name).source();
    }
    return record(RESTART, "restart " + name + " (" + how + ")", true);
  }

  /**
   * Cuts the replication link of the replica {@code name} from its current source ({@code
   * DatabaseCluster.partition}); a node that is no replica now, or whose link is cut already, is left as it is,
   * recorded as such.
   */
  public Step partitionReplica(String name) {
    DatabaseCluster db = stack.databaseCluster();
    ReplicationStatus status = db.status(name);
    if (status.role() != DatabaseRole.REPLICA) {
      return record(DB_PARTITION, "partition replication of " + name + " (not a replica)", false);
    }
    if (!status.connected()) {
      return record(DB_PARTITION, "partition replication " + status.source() + "->" + name + " (cut already)", false);
    }
    db.partition(status.source(), name);
    return record(DB_PARTITION, "partition replication " + status.source() + "->" + name, true);
  }

  /** Heals the replication link of the replica {@code name}; one not cut is left as it is, recorded as such. */
  public Step healReplica(String name) {
    DatabaseCluster db = stack.databaseCluster();
    ReplicationStatus status = db.status(name);
    if (status.role() != DatabaseRole.REPLICA || status.connected()) {
      return record(DB_HEAL, "heal replication of " + name + (status.role() != DatabaseRole.REPLICA
          ? " (not a replica)" : " (not cut)"), false);
    }
    db.heal(status.source(), name);
    return record(DB_HEAL, "heal replication " + status.source() + "->" + name, true);
  }

  /**
   * Ends every database fault the actions above make, each recorded as a step: restarts the database nodes that
   * are down ({@link #restartDatabase}) and heals every cut replication link ({@link #healReplica}). Call it at
   * the end of a property, before {@code StackInvariants.converged(state)}.
   */
  public void healDatabase() {
    DatabaseCluster db = stack.databaseCluster();
    for (DatabaseNode n : db.nodes()) {
      if (!n.isRunning()) {
        restartDatabase(n.name());
      }
    }
    for (DatabaseNode n : db.nodes()) {
      ReplicationStatus status = db.status(n.name());
      if (status.role() == DatabaseRole.REPLICA && !status.connected()) {
        healReplica(n.name());
      }
    }
  }

  /**
   * What keeps the replicas from converging now, in words (empty when nothing does): the primary down, a replica
   * down, its link cut, its receiver or applier stopped. A former primary that was failed over and not brought back
   * replicates from nobody and does not count.
   */
  public List<String> databaseFaults() {
    DatabaseCluster db = stack.databaseCluster();
    List<String> out = new ArrayList<>();
    if (!db.primary().isRunning()) {
      out.add("primary " + db.primary().name() + " down");
    }
    for (ReplicationStatus s : db.status()) {
      if (s.role() != DatabaseRole.REPLICA) {
        continue;
      }
      if (!s.running()) {
        out.add("replica " + s.node() + " down");
      } else if (!s.connected()) {
        out.add("replication " + s.source() + "->" + s.node() + " cut");
      } else if (s.receiverState().equals("No") || !s.applierRunning()) {
        out.add("replica " + s.node() + " stopped");
      }
    }
    return out;
  }

  /**
   * The values of the writes acknowledged while semi-synchronous replication had fallen back to asynchronous (see
   * {@link #writeKey}), which a failover may lose; empty in asynchronous mode, where no write is protected.
   */
  public Set<String> unprotectedWrites() {
    return Collections.unmodifiableSet(new TreeSet<>(unprotectedWrites));
  }

  private static String lastNode(Connection c) throws SQLException {
    return c.isWrapperFor(RoutedConnection.class) ? c.unwrap(RoutedConnection.class).lastNode().orElse(null) : null;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /**
   * Records a step taken by an action of your own, with the nodes running after it.
   *
   * @param changesTopology whether the step changed which paths through the stack work (fairness counts
   *     restart from there)
   */
  public Step record(String kind, String description, boolean changesTopology) {
    Step step = new Step(steps.size() + 1, kind, description, runningNodes(), changesTopology, null, cutLinks(),
        unavailableServers());
    steps.add(step);
    return step;
  }

  @Override
  public String toString() {
    return "StackState[" + stack.name() + ", seed " + stack.seed() + ", " + steps.size() + " steps]";
  }

  /**
   * One step of a chain.
   *
   * @param number the step's position, from 1
   * @param kind {@link #REQUEST}, {@link #KILL}, {@link #RESTART}, {@link #CLOCK} or a kind of your own
   * @param description what was done (for a request: what came back)
   * @param runningNodes the nodes running when the step was taken (for a request: when it was sent), sorted
   * @param changesTopology whether the step changed which nodes run or which links are cut
   * @param exchange the request and its response, for a request step; else null
   * @param cutLinks the links partitioned when the step was taken ({@code from->to}), sorted
   * @param unavailableServers the servers their proxy would not send new requests to when the step was taken
   *     ({@code proxy/server}, from its health checks, maintenance or weight), sorted
   */
  public record Step(int number, String kind, String description, Set<String> runningNodes, boolean changesTopology,
      Exchange exchange, Set<String> cutLinks, Set<String> unavailableServers) {

    public Step {
      runningNodes = Collections.unmodifiableSortedSet(new TreeSet<>(runningNodes));
      cutLinks = Collections.unmodifiableSortedSet(new TreeSet<>(cutLinks));
      unavailableServers = Collections.unmodifiableSortedSet(new TreeSet<>(unavailableServers));
    }

    public boolean isRequest() {
      return exchange != null;
    }

    @Override
    public String toString() {
      return "#" + number + " " + description;
    }
  }
}
