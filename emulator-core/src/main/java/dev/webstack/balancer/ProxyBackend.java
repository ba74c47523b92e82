package dev.webstack.balancer;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.HealthCheckSpec;
import dev.webstack.StackClock;
import dev.webstack.inspection.ServerStats;
import dev.webstack.internal.Checks;
import dev.webstack.internal.Link;
import dev.webstack.internal.NodeContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers behind one proxying node with HAProxy's health semantics: active checks, passive observation,
 * backup servers, maintenance and run-time weights. The balancer keeps one for its web servers, each web server
 * one for its application servers. Not meant to be created by users; they see it as a {@link Backend}.
 *
 * <h2>Health</h2>
 *
 * One counter per server, HAProxy's ({@code src/check.c}): {@code health} in {@code [0, rise + fall - 1]}, the
 * server UP while {@code health >= rise}. A failed check decrements it and a drop below {@code rise} resets it to
 * 0 (DOWN); a passed check increments it and reaching {@code rise} jumps to {@code rise + fall - 1}. So exactly
 * {@code fall} consecutive failures take a fully UP server down and exactly {@code rise} successes bring it back,
 * and a success in the middle of a fall restores full health at once.
 *
 * <h2>Timing</h2>
 *
 * Checks run on the stack's clock: every server is first checked one {@code inter} after the node starts, then
 * after {@code inter} when fully UP, {@code fastinter} in transition and {@code downinter} when fully DOWN. On a
 * manual clock the check runs in the thread that advances the clock (a blocking connect bounded by the check
 * timeout, in real time); on the real clock the clock's thread hands it to the stack's task pool and the next
 * check is scheduled when it completes. While the proxying node is killed no check runs (the beat continues, so
 * checks resume on restart with the state the node had); closing the node cancels them for good.
 *
 * <h2>Where it differs from HAProxy</h2>
 *
 * <ul>
 *   <li>Servers start fully UP. HAProxy starts them at {@code health = rise} ("up, but will fall down at first
 *       failure"), so there one failed check right after start takes a server down; here it takes {@code fall}.
 *   <li>HAProxy spreads the first checks of its servers over the first interval; here all are due one {@code
 *       inter} after start, so that a test on the manual clock counts intervals simply.
 *   <li>Maintenance pauses checks and {@link #enable} resumes them as HAProxy does ({@code health = rise},
 *       checked at once).
 * </ul>
 *
 * <p>Thread-safe: health state is guarded by one lock per backend; picks read the {@link ServerSet}s lock-free.
 */
public final class ProxyBackend implements Backend {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyBackend.class);

  /** What a proxying node declares about one server. */
  public record ServerConfig(String name, int weight, boolean backup, Link link) {}

  private final NodeContext context;
  private final String proxy;
  private final HealthCheckSpec checks;
  private final boolean allBackups;
  private final BooleanSupplier proxyRunning;
  private final StackClock clock;
  private final ServerSet actives;
  private final ServerSet backups;
  private final Picker activePicker;
  private final Picker backupPicker;
  private final Server[] servers;
  private final int[] activeIndex; // active id -> server index
  private final int[] backupIndex; // backup id -> server index
  private final Map<String, Server> byName = new LinkedHashMap<>();
  private final Object lock = new Object();
  private final int maxHealth;
  private boolean started;
  private boolean closed;
  private int checksRunning;

  /** One server's configuration and health; mutable fields are guarded by {@link #lock}. */
  private final class Server {
    final int index;
    final String name;
    final boolean backup;
    final ServerSet set;
    final int id;
    final Link link;
    final AtomicLong totalSessions = new AtomicLong();
    volatile int consecutiveErrors;
    int health = maxHealth;
    boolean maint;
    HealthProbe.Status checkStatus = HealthProbe.Status.INI;
    int checkCode;
    String checkInfo = "";
    long checkNanos;
    long checkFailures;
    long checkDowns;
    Instant lastChange;
    long downSince = -1;
    long downtimeNanos;
    long generation;
    StackClock.Scheduled next;
    /** When {@link #next} is due, on the clock's nanoTime. */
    long nextDueNanos;

    Server(int index, ServerConfig c, ServerSet set, int id) {
      this.index = index;
      this.name = c.name();
      this.backup = c.backup();
      this.link = c.link();
      this.set = set;
      this.id = id;
    }

    boolean up() {
      return !checks.enabled() || health >= checks.rise();
    }
  }

  /**
   * @param proxy the proxying node's name
   * @param servers the servers in configuration order
   * @param allBackups HAProxy's {@code option allbackups}: balance over every backup, not only the first
   * @param proxyRunning whether the proxying node runs; checks pause while it does not
   */
  public ProxyBackend(NodeContext context, String proxy, List<ServerConfig> servers, BalancingAlgorithm algorithm,
      HealthCheckSpec checks, boolean allBackups, BooleanSupplier proxyRunning) {
    this.context = context;
    this.proxy = proxy;
    this.checks = checks;
    this.allBackups = allBackups;
    this.proxyRunning = proxyRunning;
    this.clock = context.clock();
    this.maxHealth = checks.rise() + checks.fall() - 1;
    LongSupplier nanoClock = new NanoClock(clock);
    this.actives = new ServerSet(nanoClock);
    ServerSet backupSet = null;
    this.servers = new Server[servers.size()];
    List<Integer> activeIds = new ArrayList<>();
    List<Integer> backupIds = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      ServerConfig c = servers.get(i);
      Server s;
      if (c.backup()) {
        if (backupSet == null) {
          backupSet = new ServerSet(nanoClock);
        }
        s = new Server(i, c, backupSet, backupSet.add(c.name(), c.weight()));
        backupIds.add(i);
      } else {
        s = new Server(i, c, actives, actives.add(c.name(), c.weight()));
        activeIds.add(i);
      }
      s.lastChange = clock.instant();
      this.servers[i] = s;
      byName.put(c.name(), s);
    }
    this.backups = backupSet;
    this.activeIndex = toArray(activeIds);
    this.backupIndex = toArray(backupIds);
    // The same purpose as before backups existed, so that a seed replays the same random picks.
    this.activePicker = algorithm.newPicker(actives, context.random().streamSeed(proxy + "/balancing"));
    this.backupPicker = backupSet == null ? null
        : algorithm.newPicker(backupSet, context.random().streamSeed(proxy + "/balancing-backups"));
  }

  private static int[] toArray(List<Integer> ids) {
    int[] out = new int[ids.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ids.get(i);
    }
    return out;
  }

  // Callbacks are classes rather than lambdas in this file: a cold JVM links each lambda on first use, and a
  // stack's start and first request are part of its cold time.

  /** The stack clock's nanoTime, for the server sets. */
  private static final class NanoClock implements LongSupplier {
    private final StackClock clock;

    NanoClock(StackClock clock) {
      this.clock = clock;
    }

    @Override
    public long getAsLong() {
      return clock.nanoTime();
    }
  }

  /** A server's check fell due (on the clock's thread), or runs (on the task pool). */
  private final class Check implements Runnable {
    private final Server server;
    private final long generation;
    private final boolean due;

    Check(Server server, long generation, boolean due) {
      this.server = server;
      this.generation = generation;
      this.due = due;
    }

    @Override
    public void run() {
      if (due) {
        due(server, generation);
      } else {
        runCheck(server, generation);
      }
    }
  }

  @Override
  public String name() {
    return proxy;
  }

  /** The active (non-backup) servers, with their weights, states and requests in flight. */
  public ServerSet actives() {
    return actives;
  }

  /** How many servers there are, backups included; their indexes are their positions in configuration order. */
  public int size() {
    return servers.length;
  }

  public String serverName(int index) {
    return servers[index].name;
  }

  /** The checks this backend runs. */
  public HealthCheckSpec checks() {
    return checks;
  }

  // ---------------------------------------------------------------- picking

  /** What one request tried so far, by server index; {@link #pick} skips those. */
  public final class Attempt {
    private final boolean[] tried = new boolean[servers.length];
    private final IntPredicate activeSkip = new Skip(activeIndex);
    private final IntPredicate backupSkip = new Skip(backupIndex);

    public void tried(int index) {
      tried[index] = true;
    }

    /** Skips the ids (of one server set) whose server this request tried. */
    private final class Skip implements IntPredicate {
      private final int[] index;

      Skip(int[] index) {
        this.index = index;
      }

      @Override
      public boolean test(int id) {
        return tried[index[id]];
      }
    }
  }

  public Attempt newAttempt() {
    return new Attempt();
  }

  /**
   * Picks a server for a request: an available active server it has not tried, else, only when no active server
   * is available at all (HAProxy: "all non-backup servers are unavailable"), the first available backup (every
   * available backup with {@code allbackups}).
   *
   * @return the server's index, or -1 when none is left (the node answers 503, or 502 for nginx)
   */
  public int pick(long key, Attempt attempt) {
    int id = activePicker.pick(key, attempt.activeSkip);
    if (id >= 0) {
      return activeIndex[id];
    }
    if (backups == null || anyAvailable(actives)) {
      return -1;
    }
    if (allBackups) {
      id = backupPicker.pick(key, attempt.backupSkip);
      return id < 0 ? -1 : backupIndex[id];
    }
    for (int i = 0; i < backupIndex.length; i++) {
      if (backups.isAvailable(i)) {
        return attempt.tried[backupIndex[i]] ? -1 : backupIndex[i];
      }
    }
    return -1;
  }

  private static boolean anyAvailable(ServerSet set) {
    for (int i = 0; i < set.size(); i++) {
      if (set.isAvailable(i)) {
        return true;
      }
    }
    return false;
  }

  /** Counts a request sent to the server; pair with {@link #finished(int)}. */
  public void started(int index) {
    Server s = servers[index];
    s.set.started(s.id);
    s.totalSessions.incrementAndGet();
  }

  public void finished(int index) {
    Server s = servers[index];
    s.set.finished(s.id);
  }

  /** A connection to the server was established: resets its count of observed consecutive errors. */
  public void connected(int index) {
    if (checks.observeLayer4()) {
      servers[index].consecutiveErrors = 0;
    }
  }

  /**
   * A connection to the server failed (HAProxy {@code observe layer4}): after {@code error-limit} consecutive
   * failures the server is marked DOWN at once ({@code on-error mark-down}), and only {@code rise} successful
   * checks bring it back. The next check stays when it was planned, brought forward to {@code fastinter} from now
   * if that is sooner, as in HAProxy 2.6 (HAProxy 3.x brings it forward to {@code downinter} from now instead,
   * and only when {@code fastinter} is set). Ignored unless the spec observes layer 4 (which needs checks).
   */
  public void connectFailed(int index) {
    if (!checks.enabled() || !checks.observeLayer4()) {
      return;
    }
    Server s = servers[index];
    synchronized (lock) {
      s.consecutiveErrors++;
      if (closed || s.maint || s.health < checks.rise() || s.consecutiveErrors < checks.errorLimit()) {
        return;
      }
      int errors = s.consecutiveErrors;
      s.consecutiveErrors = 0;
      HealthProbe.Result r = new HealthProbe.Result(HealthProbe.Status.HANA, 0,
          "Detected " + errors + " consecutive errors, last one was: L4 unsuccessful connection", 0);
      record(s, r);
      s.checkFailures++;
      goDown(s, r);
      // HAProxy (__health_adjust, 2.6) keeps the check already planned and only brings it forward, to fastinter
      // from now when that is sooner; planning it a whole downinter from now would delay the server's return by
      // up to one interval. With no check planned, one is running and plans the next when it ends.
      if (s.next != null) {
        long now = clock.nanoTime();
        long soonest = now + checks.fastInter().toNanos();
        if (soonest < s.nextDueNanos) {
          schedule(s, Duration.ofNanos(soonest - now));
        }
      }
    }
  }

  // ---------------------------------------------------------------- checks

  /** Starts the checks: each server's first is due one {@code inter} from now. Called at the node's first start. */
  public void start() {
    synchronized (lock) {
      if (started || closed || !checks.enabled()) {
        return;
      }
      started = true;
      for (Server s : servers) {
        schedule(s, checks.inter());
      }
    }
  }

  /**
   * Cancels every check for good and waits (at most the check timeout and a second) for checks already
   * connecting, so that none reaches a server whose listener the stack is closing. Called when the proxying node
   * closes. Idempotent.
   */
  public void close() throws InterruptedException {
    synchronized (lock) {
      closed = true;
      for (Server s : servers) {
        s.generation++;
        if (s.next != null) {
          s.next.cancel();
          s.next = null;
        }
      }
      long deadline = System.nanoTime() + checks.timeout().toNanos() + 1_000_000_000L;
      while (checksRunning > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.warn("{}/{}: {} health checks still running at close", context.stackName(), proxy, checksRunning);
          return;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Schedules the server's next check; caller holds the lock. */
  private void schedule(Server s, Duration delay) {
    if (closed || !started || s.maint) {
      return;
    }
    if (s.next != null) {
      s.next.cancel();
    }
    long generation = ++s.generation;
    try {
      s.nextDueNanos = clock.nanoTime() + delay.toNanos();
      s.next = clock.schedule(delay, new Check(s, generation, true));
    } catch (IllegalStateException clockClosed) {
      // Only while the stack closes, between its nodes and its clock: nothing is left to check.
      LOG.debug("{}/{}: no further check, the stack's clock is closed", proxy, s.name, clockClosed);
      s.next = null;
    }
  }

  /** A check fell due, on the clock's thread (or the thread advancing a manual clock). */
  private void due(Server s, long generation) {
    synchronized (lock) {
      if (closed || s.generation != generation) {
        return;
      }
      s.next = null;
      if (!proxyRunning.getAsBoolean()) {
        schedule(s, interval(s)); // the proxy is down: no check, keep the beat for its restart
        return;
      }
    }
    if (clock.isManual()) {
      runCheck(s, generation);
      return;
    }
    try {
      context.tasks().execute(new Check(s, generation, false));
    } catch (RejectedExecutionException stackClosing) {
      LOG.debug("{}/{}: check not run, the stack's task pool is shut down", proxy, s.name, stackClosing);
    }
  }

  private void runCheck(Server s, long generation) {
    synchronized (lock) {
      if (closed || s.generation != generation) {
        return;
      }
      checksRunning++;
    }
    HealthProbe.Result r;
    try {
      r = HealthProbe.check(s.link.connectAddress(), checks.timeout(), checks.httpCheckPath().orElse(null), s.name);
    } finally {
      synchronized (lock) {
        checksRunning--;
        lock.notifyAll();
      }
    }
    synchronized (lock) {
      if (closed || s.generation != generation || s.maint) {
        return; // disabled, re-enabled or closed while the check ran: its result no longer applies
      }
      apply(s, r);
      schedule(s, interval(s));
    }
  }

  /** HAProxy's {@code srv_getinter}: {@code inter} when fully UP, {@code downinter} when fully DOWN, else fast. */
  private Duration interval(Server s) {
    if (s.health == maxHealth) {
      return checks.inter();
    }
    return s.health == 0 ? checks.downInter() : checks.fastInter();
  }

  /** The single health counter (src/check.c, set_server_check_status); caller holds the lock. */
  private void apply(Server s, HealthProbe.Result r) {
    record(s, r);
    int rise = checks.rise();
    int fall = checks.fall();
    if (r.passed()) {
      if (s.health >= maxHealth) {
        return;
      }
      boolean wasUp = s.health >= rise;
      s.health++;
      if (s.health >= rise) {
        s.health = maxHealth;
      }
      if (!wasUp && s.health >= rise) {
        goUp(s, r.describe(), "");
      } else if (wasUp) {
        event(s, "Health check for server " + s.name + " succeeded, " + r.describe() + ", status: " + fall + "/"
            + fall + " UP.");
      } else {
        event(s, "Health check for server " + s.name + " succeeded, " + r.describe() + ", status: " + s.health
            + "/" + rise + " DOWN.");
      }
      return;
    }
    if (s.health == 0) {
      return; // already fully DOWN: HAProxy counts and logs nothing more
    }
    s.checkFailures++;
    boolean wasUp = s.health >= rise;
    s.health--;
    if (s.health < rise) {
      s.health = 0;
    }
    if (wasUp && s.health == 0) {
      goDown(s, r);
    } else if (wasUp) {
      event(s, "Health check for server " + s.name + " failed, " + r.describe() + ", status: "
          + (s.health - rise + 1) + "/" + fall + " UP.");
    } else {
      event(s, "Health check for server " + s.name + " failed, " + r.describe() + ", status: 0/" + rise
          + " DOWN.");
    }
  }

  private void record(Server s, HealthProbe.Result r) {
    s.checkStatus = r.status();
    s.checkCode = r.code();
    s.checkInfo = r.info();
    s.checkNanos = r.nanos();
  }

  /** UP to DOWN; caller holds the lock. */
  private void goDown(Server s, HealthProbe.Result r) {
    s.health = 0;
    s.checkDowns++;
    s.set.markDown(s.id);
    changed(s, false);
    event(s, s.name + " is DOWN, " + r.describe() + ". " + left("left") + " " + s.set.inFlight(s.id)
        + " sessions active, 0 requeued, 0 remaining in queue.");
    noServerLeft();
  }

  /** DOWN (or MAINT) to UP; caller holds the lock. */
  private void goUp(Server s, String reason, String suffix) {
    s.set.markUp(s.id);
    changed(s, true);
    event(s, s.name + " is UP" + (reason.isEmpty() ? "" : ", " + reason) + suffix + ". " + left("online")
        + " 0 sessions requeued, 0 total in queue.");
  }

  private void changed(Server s, boolean nowUp) {
    s.lastChange = clock.instant();
    long now = clock.nanoTime();
    if (nowUp && s.downSince >= 0) {
      s.downtimeNanos += now - s.downSince;
      s.downSince = -1;
    } else if (!nowUp && s.downSince < 0) {
      s.downSince = now;
    }
  }

  private String left(String word) {
    int active = 0;
    int backup = 0;
    for (Server s : servers) {
      if (s.set.isAvailable(s.id)) {
        if (s.backup) {
          backup++;
        } else {
          active++;
        }
      }
    }
    return active + " active and " + backup + " backup servers " + word + ".";
  }

  private void noServerLeft() {
    for (Server s : servers) {
      if (s.set.isAvailable(s.id)) {
        return;
      }
    }
    context.events().record(proxy, "health", "backend " + proxy + " has no server available!");
    LOG.debug("{}/{}: backend {} has no server available!", context.stackName(), proxy, proxy);
  }

  private void event(Server s, String detail) {
    context.events().record(proxy + "/" + s.name, "health", detail);
    LOG.debug("{}/{}/{}: {}", context.stackName(), proxy, s.name, detail);
  }

  // ---------------------------------------------------------------- Backend

  @Override
  public List<ServerStats> stats() {
    synchronized (lock) {
      List<ServerStats> out = new ArrayList<>(servers.length);
      for (Server s : servers) {
        out.add(stats(s));
      }
      return List.copyOf(out);
    }
  }

  @Override
  public ServerStats server(String serverName) {
    Server s = find(serverName);
    synchronized (lock) {
      return stats(s);
    }
  }

  private ServerStats stats(Server s) {
    long downtime = s.downtimeNanos + (s.downSince >= 0 ? clock.nanoTime() - s.downSince : 0);
    return new ServerStats(proxy, s.name, status(s), checks.enabled() ? s.checkStatus.name() : "", s.checkCode,
        s.checkInfo, Duration.ofNanos(s.checkNanos), s.checkFailures, s.checkDowns, s.set.inFlight(s.id),
        s.totalSessions.get(), s.set.weight(s.id), s.backup, s.lastChange, Duration.ofNanos(downtime));
  }

  private String status(Server s) {
    if (s.maint) {
      return "MAINT";
    }
    boolean drain = s.set.weight(s.id) == 0;
    if (!checks.enabled()) {
      return drain ? "DRAIN" : "no check";
    }
    int rise = checks.rise();
    if (s.health >= rise) {
      String base = drain ? "DRAIN" : "UP";
      return s.health == maxHealth ? base : base + " " + (s.health - rise + 1) + "/" + checks.fall();
    }
    return s.health == 0 ? "DOWN" : "DOWN " + s.health + "/" + rise;
  }

  @Override
  public void disable(String serverName) {
    Server s = find(serverName);
    synchronized (lock) {
      checkOpen();
      if (s.maint) {
        return;
      }
      boolean wasUp = s.up();
      s.maint = true;
      s.generation++;
      if (s.next != null) {
        s.next.cancel();
        s.next = null;
      }
      s.set.markDown(s.id);
      if (wasUp) {
        changed(s, false);
      }
      s.lastChange = clock.instant();
      event(s, s.name + " is going DOWN for maintenance. " + left("left") + " " + s.set.inFlight(s.id)
          + " sessions active, 0 requeued, 0 remaining in queue.");
      if (wasUp) {
        noServerLeft();
      }
    }
  }

  @Override
  public void enable(String serverName) {
    Server s = find(serverName);
    synchronized (lock) {
      checkOpen();
      if (!s.maint) {
        return;
      }
      s.maint = false;
      s.consecutiveErrors = 0;
      if (checks.enabled()) {
        s.health = checks.rise(); // HAProxy: "start OK but check immediately"
      }
      goUp(s, "", " (leaving forced maintenance)");
      schedule(s, Duration.ZERO);
    }
  }

  @Override
  public void weight(String serverName, int weight) {
    Server s = find(serverName);
    synchronized (lock) {
      checkOpen();
      int before = s.set.weight(s.id);
      s.set.setWeight(s.id, weight);
      if (before != weight) {
        event(s, s.name + " weight changed from " + before + " to " + weight + ".");
        if (weight == 0) {
          noServerLeft();
        }
      }
    }
  }

  /**
   * Refuses a run-time change once the stack closed: it would act on no traffic yet log a state change, as kill
   * and faults on a closed stack's nodes are refused.
   */
  private void checkOpen() {
    Checks.checkNotClosed(closed, proxy, context.stackName());
  }

  private Server find(String serverName) {
    Server s = byName.get(serverName);
    checkArgument(s != null, "no server named %s behind %s (servers: %s)", serverName, proxy, byName.keySet());
    return s;
  }

  @Override
  public String toString() {
    return "backend " + proxy + " " + stats();
  }
}
