package dev.webstack;

import static dev.webstack.internal.Checks.checkArgument;
import static dev.webstack.internal.Checks.checkState;

import dev.webstack.app.AppServerNode;
import dev.webstack.audit.Audit;
import dev.webstack.balancer.Backend;
import dev.webstack.balancer.BalancerNode;
import dev.webstack.database.DatabaseCluster;
import dev.webstack.database.H2Database;
import dev.webstack.database.ReplicationCluster;
import dev.webstack.dns.JvmDnsRegistry;
import dev.webstack.dns.StackResolver;
import dev.webstack.faults.Fault;
import dev.webstack.inspection.NodeState;
import dev.webstack.inspection.StackEvent;
import dev.webstack.inspection.StackSnapshot;
import dev.webstack.internal.AbstractNode;
import dev.webstack.internal.EventLog;
import dev.webstack.faults.LinkFaults;
import dev.webstack.internal.JdbcLinkFaultState;
import dev.webstack.internal.LinkFaultState;
import dev.webstack.internal.LinkedDataSource;
import dev.webstack.internal.Links;
import dev.webstack.internal.ManualClock;
import dev.webstack.internal.Randomness;
import dev.webstack.internal.ReplicationLinkFaults;
import dev.webstack.internal.RealClock;
import dev.webstack.internal.TaskPool;
import dev.webstack.internal.Gateway;
import dev.webstack.internal.HostRuntime;
import dev.webstack.internal.HttpNode;
import dev.webstack.internal.ModeledNetwork;
import dev.webstack.internal.NodeContext;
import dev.webstack.web.WebServerNode;
import io.undertow.Undertow;
import io.undertow.client.UndertowClient;
import io.undertow.server.DefaultByteBufferPool;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * A running web stack, and the one owner of everything it opened: listeners, threads, databases.
 *
 * <h2>Architecture</h2>
 *
 * Every node is real: the balancer, web and application servers are Undertow servers on 127.0.0.1 with ports the
 * OS picks, sharing one XNIO worker whose threads are named {@code webstack-<stack>}; the database is an H2
 * in-memory database. Requests travel as real HTTP over loopback: client → gateway (the modeled internet, which
 * resolves names through the stack's DNS) → balancer → web server → application server → JDBC. Modeled addresses
 * such as 8.8.8.8 are labels; nothing connects to them.
 *
 * <h2>Lifecycle</h2>
 *
 * {@link #start()} brings components up in dependency order (database, application servers, web servers,
 * balancer, then DNS and the gateway; the database starts on a pool thread while the servers bind, and
 * {@code start()} returns once everything is up, so no request can see it otherwise); {@link #close()} tears them down in reverse, idempotently, keeping the
 * first failure and adding the others as suppressed. A stack starts once; a closed stack rejects use with an
 * {@link IllegalStateException}. Stacks share no state, so any number run side by side.
 *
 * <p>Thread-safe.
 */
public final class EmulatedStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmulatedStack.class);
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  /**
   * The machinery pool's bound: one thread per health check in flight, plus the clock's and replication's few; at
   * the bound (a check of over 60 hung servers at once) tasks wait for a thread, at most a check's timeout.
   */
  private static final int SYSTEM_THREADS = 64;
  /** 127.0.0.1 itself, not {@link InetAddress#getLoopbackAddress()}, which is ::1 when IPv6 is preferred. */
  private static final InetAddress LOOPBACK = loopback();

  private enum State { NEW, STARTING, RUNNING, CLOSED }

  private final StackSpec spec;
  private final String name;
  private final InetAddress loopback = LOOPBACK;
  private final Map<String, HostRuntime> hosts = new LinkedHashMap<>();
  private final List<AbstractNode> nodes = new ArrayList<>();
  private final Map<String, AbstractNode> nodesByName = new LinkedHashMap<>();
  private volatile State state = State.NEW;
  private ThreadGroup threads;
  /** Every thread factory of this stack, so that close joins every thread they made. */
  private final List<NamedThreads> factories = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The threads of the task, system and client pools, so that a close called on one of them knows its pool. */
  private NamedThreads taskThreads;
  private NamedThreads systemThreads;
  private NamedThreads clientThreads;
  /** Set when close runs on a pool thread that the pool's shutdown interrupted; close restores it at its end. */
  private boolean interruptedByShutdown;
  private XnioWorker worker;
  private ExecutorService taskPool;
  private ExecutorService systemPool;
  private DefaultByteBufferPool buffers;
  private ModeledNetwork network;
  private NodeContext context;
  private Gateway gateway; // started on first use: most stacks in benchmarks and property runs never need it
  private ExecutorService clientExecutor;
  private HttpClient httpClient;
  private boolean registered;
  private final long seed;
  private StackClock clock;
  private EventLog events;
  private final Links links = new Links();
  private final Map<String, LinkFaultState> linkFaults = new LinkedHashMap<>();
  private final Map<String, JdbcLinkFaultState> jdbcLinks = new LinkedHashMap<>();
  private ReplicationCluster databaseCluster;
  private final Map<String, ReplicationLinkFaults> replicationLinks = new LinkedHashMap<>();

  EmulatedStack(StackSpec spec) {
    this.spec = spec;
    this.name = spec.name() + "-" + SEQUENCE.incrementAndGet();
    OptionalLong fixed = spec.seed();
    this.seed = fixed.isPresent() ? fixed.getAsLong() : ThreadLocalRandom.current().nextLong();
  }

  /**
   * Starts every component in dependency order. On failure, whatever was started is closed again before the
   * exception propagates, an {@link Error} as much as an exception (a user's {@code BalancingAlgorithm} runs during
   * start, and an assertion in it used to leave the stack's threads and database running).
   *
   * @throws IllegalStateException when the stack was started before
   */
  public synchronized EmulatedStack start() {
    checkState(state == State.NEW, "stack %s was already started; a stack starts once (create another from its spec)",
        name);
    state = State.STARTING;
    try {
      boot();
      state = State.RUNNING;
      LOG.debug("stack {} started", name);
      return this;
    } catch (Throwable e) {
      try {
        close();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      if (e instanceof Error error) {
        throw error;
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException("stack " + name + " failed to start", e);
    }
  }

  private void boot() throws Throwable {
    threads = new ThreadGroup("webstack-" + name);
    // Our own task pool rather than XNIO's: it saves a JMX registration per stack, and its threads are ours to
    // name and to join at close.
    taskThreads = named("webstack-" + name + " task-");
    TaskPool tasks = new TaskPool(16, taskThreads);
    taskPool = tasks;
    // The stack's own machinery (the clock's due tasks, health checks, replication, failover) on a pool of its own:
    // on the handlers' pool, sixteen handlers blocked on a fault (a partitioned database link, say) would hold
    // back the very timer that ends the fault, and the balancer's checks with it. HAProxy's checks do not wait for
    // the servers' workers either.
    systemThreads = named("webstack-" + name + " system-");
    TaskPool system = new TaskPool(SYSTEM_THREADS, systemThreads);
    systemPool = system;
    RealClock realClock = spec.manualClock() ? null : new RealClock(system);
    clock = realClock != null ? realClock : new ManualClock();
    events = new EventLog(clock);
    Randomness random = new Randomness(seed);
    for (HostSpec h : spec.hosts()) {
      hosts.put(h.name(), new HostRuntime(h));
    }

    // The database tier needs no XNIO worker (its context has none): it starts on the task pool while this thread
    // builds the worker and starts the servers.
    NodeContext databases = new NodeContext(name, null, null, null, loopback, clock, random, events, links, system);
    Optional<DatabaseSpec> database = spec.database();
    ReplicationCluster cluster = database.isPresent() ? new ReplicationCluster(databases, database.get()) : null;
    if (cluster != null) {
      for (H2Database db : cluster.databaseNodes()) { // the primary first: replicas start from its content
        register(db);
      }
    }
    this.databaseCluster = cluster;
    Future<?> databasesUp = startDatabases(tasks);
    Throwable failure = null;
    try {
      worker = XnioProvider.INSTANCE.createWorkerBuilder()
          .setWorkerName("webstack-" + name)
          .setThreadGroup(threads)
          .setWorkerIoThreads(spec.ioThreads())
          .setDaemon(true)
          .setExternalExecutorService(tasks)
          .build();
      if (realClock != null) {
        realClock.attach(worker.getIoThread(0));
      }
      buffers = new DefaultByteBufferPool(false, 16 * 1024);
      context = new NodeContext(name, worker, buffers, UndertowClient.getInstance(), loopback, clock, random,
          events, links, system);
      startServers(cluster);
    } catch (Throwable e) { // an Error too: the databases must stop starting before the stack closes
      failure = e;
    }
    if (databasesUp != null) {
      try {
        databasesUp.get(); // also when a server failed: the stack closes only after the databases stop starting
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    StackResolver resolver = new StackResolver(spec.domain(), spec.dns().records(), spec.dns().negativeTtl(),
        new DnsEvents(events), new OpenCheck());
    network = new ModeledNetwork(resolver, clock, List.copyOf(hosts.values()));
    JvmDnsRegistry.register(name, resolver, loopback);
    registered = true;
  }

  /**
   * Starts the database nodes, in order, on the task pool, and returns at once (null when there are none). The
   * servers need nothing from a running database to bind their listeners, and no request reaches the database
   * before {@link #start()} returns, so the stack comes up as if in dependency order; on two cores the database's
   * start overlaps the worker's and the servers' (in a cold JVM, H2's class loading overlaps XNIO's). The task
   * thread it starts is the one that then serves the first request's application handler.
   */
  private Future<?> startDatabases(ExecutorService tasks) {
    List<AbstractNode> databases = List.copyOf(nodes);
    if (databases.isEmpty()) {
      return null;
    }
    return tasks.submit(new StartDatabases(databases));
  }

  /** Starts the database nodes in order; a class rather than a lambda, which a cold JVM links on first use. */
  private static final class StartDatabases implements Callable<Void> {
    private final List<AbstractNode> databases;

    StartDatabases(List<AbstractNode> databases) {
      this.databases = databases;
    }

    @Override
    public Void call() throws Exception {
      for (AbstractNode db : databases) {
        db.start();
      }
      return null;
    }
  }

  /** Records the DNS's faults, changes and heals in the stack's event log. */
  private static final class DnsEvents implements BiConsumer<String, String> {
    private final EventLog log;

    DnsEvents(EventLog log) {
      this.log = log;
    }

    @Override
    public void accept(String type, String detail) {
      log.record("dns", type, detail);
    }
  }

  /**
   * The HTTP client's executor: the stack's client pool, and once the stack closed it, the calling thread (the
   * client's own selector thread). Why: a request still in flight at close fails only when the stack's worker
   * shuts down and resets its connection, after the pool is gone; the client hands that failure (and its timeout)
   * to the executor, and a rejected hand-off left the request's future incomplete for good, so a test waiting on
   * it hung.
   */
  private static final class ClientExecutor implements java.util.concurrent.Executor {
    private final ExecutorService pool;

    ClientExecutor(ExecutorService pool) {
      this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
      try {
        pool.execute(task);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        task.run();
      }
    }
  }

  /** Throws once the stack is closed (a class rather than a lambda, as {@link DnsEvents}). */
  private final class OpenCheck implements Runnable {
    @Override
    public void run() {
      checkNotClosed();
    }
  }

  /** Builds the application, web and balancer nodes and starts them, in that order, on this thread. */
  private void startServers(ReplicationCluster cluster) throws Exception {
    List<AppServerNode> apps = new ArrayList<>();
    for (AppServerSpec app : spec.appServers()) {
      DataSource reach = null;
      if (cluster != null) {
        // The app server's link to the database tier: its JDBC round trips to the primary and the replicas.
        JdbcLinkFaultState link = new JdbcLinkFaultState(app.name(), cluster.primary().name(), context);
        jdbcLinks.put(link.name(), link);
        reach = new LinkedDataSource(cluster.dataSourceFor(app.name()), link);
      }
      apps.add(register(new AppServerNode(context, app, reach)));
    }
    List<WebServerNode> webs = new ArrayList<>();
    for (WebServerSpec web : spec.webServers()) {
      webs.add(register(new WebServerNode(context, web, apps)));
    }
    List<Integer> weights = new ArrayList<>();
    for (WebServerSpec web : spec.webServers()) {
      weights.add(web.weight());
    }
    Optional<BalancerSpec> balancer = spec.balancer();
    if (balancer.isPresent()) {
      register(new BalancerNode(context, balancer.get(), webs, List.copyOf(weights)));
    }
    for (AbstractNode node : nodes) {
      if (node.kind() != ComponentKind.DATABASE) {
        node.start();
      }
    }
  }

  private <T extends AbstractNode> T register(T node) {
    if (node != null) {
      nodes.add(node);
      nodesByName.put(node.name(), node);
      hosts.get(specOf(node).host()).add(node);
    }
    return node;
  }

  private ComponentSpec specOf(Node node) {
    for (ComponentSpec c : spec.components()) {
      if (c.name().equals(node.name())) {
        return c;
      }
    }
    throw new NoSuchElementException("no component named " + node.name() + " in the spec");
  }

  /**
   * The seed of every random choice this stack makes: the spec's {@link StackSpec#seed()} when set, else drawn
   * for this stack. Put it in the spec ({@code toBuilder().seed(..)}) to replay a run.
   */
  public long seed() {
    return seed;
  }

  /**
   * The clock the stack's timers run on; {@link StackClock#advance(Duration)} steps it when the spec asked for a
   * {@linkplain StackSpec.Builder#manualClock() manual clock}.
   */
  public StackClock clock() {
    checkRunning();
    return clock;
  }

  /**
   * Everything that happened in the stack so far (kills, restarts, faults and their decisions, health changes).
   * Still readable after {@link #close()} (or a failed start), so a failing test can tell what happened.
   */
  public List<StackEvent> events() {
    checkState(events != null, "stack %s is not started; call start() first", name);
    return events.snapshot();
  }

  /**
   * Waits until {@code condition} holds, checking it about every millisecond, for at most {@code timeout} of
   * real time. Use it instead of sleeping: for example until the balancer sees a killed server as down.
   * It does not move a manual clock.
   *
   * @param what the condition in words, for the failure message
   * @throws AwaitTimeoutException when the condition still fails at the deadline; the message holds the
   *     stack's description
   */
  public void await(String what, Duration timeout, BooleanSupplier condition) {
    checkRunning();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AwaitTimeoutException(
            "stack " + name + ": " + what + " did not hold within " + timeout + "\n" + describe());
      }
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AwaitTimeoutException("stack " + name + ": interrupted while waiting until " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /**
   * The faults of the network path from {@code from} to {@code to}: {@code client} (the internet) to the node the
   * DNS leads to, the balancer to each web server, a web server to each application server it forwards to, an
   * application server to the database tier (JDBC round trips rather than bytes: see {@code
   * JdbcLinkFaultState}), the primary database to each replica (a partition disconnects the replica's receiver).
   *
   * <pre>{@code
   * stack.link("web-2", "app-1").partition(LinkFaults.Direction.FORWARD);
   * stack.link("lb-1", "web-1").latency(Duration.ofMillis(30));
   * }</pre>
   *
   * @throws IllegalArgumentException when no traffic flows from {@code from} to {@code to} in this stack; the
   *     message lists the links there are
   */
  public synchronized LinkFaults link(String from, String to) {
    checkRunning();
    List<String> valid = linkNames();
    String name = from + "->" + to;
    checkArgument(valid.contains(name), "no link %s in stack %s: traffic flows only over %s", name, this.name, valid);
    if (jdbcLinks.containsKey(name)) {
      return jdbcLinks.get(name);
    }
    if (replicationLinkNames().contains(name)) {
      return replicationLinks.computeIfAbsent(name, n -> new ReplicationLinkFaults(n, context,
          partitioned -> databaseCluster.linkFault(from, to, partitioned)));
    }
    HttpNode target = (HttpNode) nodesByName.get(to);
    return linkFaults.computeIfAbsent(name, n -> new LinkFaultState(links.link(from, to, target::address), context,
        named("webstack-" + this.name + " link " + n + " #")));
  }

  /** The links traffic flows over, as {@code from->to}, in the order a request travels them. */
  public List<String> linkNames() {
    List<String> out = new ArrayList<>();
    nodes.stream().filter(n -> n.kind() != ComponentKind.DATABASE)
        .filter(n -> n.kind() == ComponentKind.BALANCER || spec.balancer().isEmpty())
        .forEach(n -> out.add(Gateway.CLIENT + "->" + n.name()));
    spec.balancer().ifPresent(lb -> spec.webServers().forEach(w -> out.add(lb.name() + "->" + w.name())));
    for (WebServerSpec w : spec.webServers()) {
      if (w.dynamicPrefix().isPresent()) {
        spec.appServers().forEach(a -> out.add(w.name() + "->" + a.name()));
      }
    }
    out.addAll(jdbcLinks.keySet());
    out.addAll(replicationLinkNames());
    return out;
  }

  /** {@code source->replica} for every replica of the database, as configured. */
  private List<String> replicationLinkNames() {
    if (databaseCluster == null) {
      return List.of();
    }
    String primary = spec.database().orElseThrow().name();
    return databaseCluster.replicas().stream().map(r -> primary + "->" + r.name()).toList();
  }

  /**
   * Everything about the stack now, as immutable values: nodes with faults and journals, link faults, each
   * proxy's view of its servers, the latest events. Its {@code toString()} is {@link #dump()}.
   */
  public synchronized StackSnapshot snapshot() {
    checkRunning();
    List<NodeState> states = new ArrayList<>();
    for (AbstractNode n : nodes) {
      boolean http = n instanceof HttpNode;
      states.add(new NodeState(n.name(), n.kind().standsFor(), n.host().name(), n.isRunning(),
          n.address().getPort(), http ? n.faults().active().stream().map(Fault::description).toList() : List.of(),
          http ? Optional.of(n.journal()) : Optional.empty()));
    }
    Map<String, List<String>> faultedLinks = new LinkedHashMap<>();
    Map<String, LinkFaults> allLinks = new LinkedHashMap<>(linkFaults);
    allLinks.putAll(jdbcLinks);
    allLinks.putAll(replicationLinks);
    allLinks.forEach((linkName, state) -> {
      List<String> active = state.active().stream().map(Fault::description).toList();
      if (!active.isEmpty()) {
        faultedLinks.put(linkName, active);
      }
    });
    List<StackEvent> all = events.snapshot();
    return new StackSnapshot(name, seed, clock.instant(), describe(), states, faultedLinks, backendLines(),
        all.subList(Math.max(0, all.size() - StackSnapshot.RECENT_EVENTS), all.size()));
  }

  /** Each proxying node's servers as text lines, for the dump. */
  private Map<String, List<String>> backendLines() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (AbstractNode n : nodes) {
      Optional<Backend> b = n instanceof BalancerNode lb ? Optional.of(lb.backend())
          : n instanceof WebServerNode w ? w.backend() : Optional.empty();
      b.ifPresent(backend -> out.put(n.name(), backend.stats().stream().map(Object::toString).toList()));
    }
    return out;
  }

  /**
   * A readable dump of the whole stack for a failing test to print: hosts and nodes, faults, the latest requests
   * per node, each proxy's view of its servers, the latest events, and the seed to replay the run.
   */
  public String dump() {
    return snapshot().toString();
  }

  /** The stack's unique name, {@code <spec name>-<n>}, as used in thread names. */
  public String name() {
    return name;
  }

  public StackSpec spec() {
    return spec;
  }

  /**
   * A {@link HttpClient} that reaches the stack's names ({@code http://www.foobar.com/...}) through the stack's
   * DNS on any JDK, by using the stack's gateway as its proxy. Created once per stack, closed with it on JDK 21+
   * (JDK 17's client cannot be closed; its selector thread ends when the client is collected).
   */
  public synchronized HttpClient httpClient() {
    checkRunning();
    if (httpClient == null) {
      clientThreads = named("webstack-" + name + " client-");
      clientExecutor = new TaskPool(8, clientThreads);
      httpClient = HttpClient.newBuilder()
          .proxy(ProxySelector.of(gateway().address()))
          .executor(new ClientExecutor(clientExecutor))
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
    }
    return httpClient;
  }

  /**
   * Rewrites a URL of the stack's world into the loopback URL that reaches the same node, for clients that cannot
   * be configured (curl, a browser): {@code http://www.foobar.com/x} becomes {@code http://127.0.0.1:PORT/x}.
   *
   * <p>The name resolves as the stack's other clients resolve it: through their cache, which keeps answers for
   * their TTL on the stack's clock, waiting for a {@linkplain StackResolver#slow slow} answer.
   *
   * @throws UncheckedIOException wrapping the {@link UnknownHostException} a client's resolver gives when the
   *     host does not resolve: {@code nope.foobar.com: Name or service not known (...)} for NXDOMAIN, {@code
   *     www.foobar.com: Temporary failure in name resolution (...)} for SERVFAIL, the zone's reason in parentheses
   * @throws IllegalArgumentException when the URL is not http, or nothing listens at the resolved address and port
   */
  public URI uri(String url) {
    checkRunning();
    URI u = URI.create(url);
    checkArgument("http".equalsIgnoreCase(u.getScheme()) && u.getHost() != null,
        "url (%s) must be an absolute http URL such as http://www.%s/", url, spec.domain());
    HttpNode node;
    try {
      node = network.route(u.getHost(), u.getPort() < 0 ? 80 : u.getPort());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(url + ": interrupted while waiting for a slow DNS answer", e);
    } catch (ModeledNetwork.Unreachable e) {
      if (e.isDnsFailure()) {
        UnknownHostException cause = (UnknownHostException) e.getCause();
        throw new UncheckedIOException(cause.getMessage(), cause);
      }
      throw new IllegalArgumentException(url + ": " + e.getMessage(), e);
    }
    String rest = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    if (u.getRawQuery() != null) {
      rest += "?" + u.getRawQuery();
    }
    return URI.create("http://" + loopback.getHostAddress() + ":" + node.port() + rest);
  }

  /**
   * The stack's DNS: ask it what a name resolves to now, with its CNAME chain and TTL, and make DNS faults on it
   * ({@code nxdomain}, {@code servfail}, {@code slow}, record changes, {@code heal}); see {@link StackResolver}.
   */
  public StackResolver dns() {
    checkRunning();
    return network.resolver();
  }

  /**
   * The audit of this stack's topology ({@link StackSpec#audit()}) with its zone as it stands now, after any record
   * changes made through {@link #dns()}. It reads the design, not the moment: a killed node or a DNS fault in
   * force does not change it.
   */
  public Audit audit() {
    checkRunning();
    return Audit.of(spec, network.resolver().records());
  }

  /** The gateway's loopback address, for HTTP clients other than {@link #httpClient()} to use as their proxy. */
  public synchronized java.net.InetSocketAddress proxyAddress() {
    checkRunning();
    return gateway().address();
  }

  private synchronized Gateway gateway() {
    if (gateway == null) {
      Gateway g = new Gateway(context, network);
      g.start();
      gateway = g;
    }
    return gateway;
  }

  /**
   * A host by name, for example {@code db-1}; still available after {@link #close()}, to inspect.
   *
   * @throws IllegalStateException before {@link #start()}, when the stack has no hosts yet
   */
  public Host host(String hostName) {
    checkStarted();
    Host h = hosts.get(hostName);
    checkArgument(h != null, "no host named %s in stack %s (hosts: %s)", hostName, name, hosts.keySet());
    return h;
  }

  public List<Host> hosts() {
    return List.copyOf(hosts.values());
  }

  /**
   * Any node by name, for example {@code web-2}; still available after {@link #close()}, to inspect.
   *
   * @throws IllegalStateException before {@link #start()}, when the stack has no nodes yet
   */
  public Node node(String nodeName) {
    checkStarted();
    Node n = nodesByName.get(nodeName);
    checkArgument(n != null, "no node named %s in stack %s (nodes: %s)", nodeName, name, nodesByName.keySet());
    return n;
  }

  /**
   * The servers behind a proxying node, in HAProxy's terms: {@code backend("lb-1")} for the balancer's web
   * servers, {@code backend("web-1")} for that web server's application servers. Statistics, maintenance and
   * weights at run time; see {@link Backend}.
   *
   * @throws IllegalArgumentException when there is no such node, or it forwards to no servers
   */
  public Backend backend(String proxyNodeName) {
    checkRunning();
    Node n = node(proxyNodeName);
    if (n instanceof BalancerNode lb) {
      return lb.backend();
    }
    Optional<Backend> web = n instanceof WebServerNode w ? w.backend() : Optional.empty();
    checkArgument(web.isPresent(), "%s forwards to no servers: only the balancer and web servers with an"
        + " application tier have a backend", proxyNodeName);
    return web.get();
  }

  /** Every node, in start order. */
  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  public Optional<Node> balancer() {
    return nodes.stream().filter(n -> n.kind() == ComponentKind.BALANCER).findFirst().map(Node.class::cast);
  }

  public List<Node> webServers() {
    return ofKind(ComponentKind.WEB_SERVER);
  }

  public List<Node> appServers() {
    return ofKind(ComponentKind.APP_SERVER);
  }

  /**
   * The database node.
   *
   * @throws IllegalStateException when the spec has no database
   */
  public DatabaseNode database() {
    return nodes.stream().filter(DatabaseNode.class::isInstance).map(DatabaseNode.class::cast).findFirst()
        .orElseThrow(() -> new IllegalStateException("stack " + name + " has no database"));
  }

  /**
   * The database tier: the primary, its replicas and replication between them; failover, inspection and the
   * history of client operations. Present whenever the spec has a database (with zero replicas it is just the
   * primary).
   *
   * @throws IllegalStateException when the spec has no database
   */
  public DatabaseCluster databaseCluster() {
    checkRunning();
    checkState(databaseCluster != null, "stack %s has no database", name);
    return databaseCluster;
  }

  private List<Node> ofKind(ComponentKind kind) {
    return nodes.stream().filter(n -> n.kind() == kind).map(Node.class::cast).toList();
  }

  /** True between a successful {@link #start()} and {@link #close()}. */
  public boolean isRunning() {
    return state == State.RUNNING;
  }

  /**
   * Before start a stack has no nodes or hosts: looking one up said "no node named web-1 (nodes: [])", as if the
   * name were wrong.
   */
  private void checkStarted() {
    checkState(state != State.NEW, "stack %s is not started; call start() first", name);
  }

  private void checkRunning() {
    checkNotClosed();
    checkState(state == State.RUNNING, "stack %s is not started; call start() first", name);
  }

  private void checkNotClosed() {
    checkState(state != State.CLOSED, "stack %s is closed; start a new stack from its spec", name);
  }

  /** A readable description: hosts, nodes with their states and loopback ports, DNS records. */
  public String describe() {
    StringBuilder b = new StringBuilder("stack ").append(name).append(" (")
        .append(state.name().toLowerCase(Locale.ROOT)).append(") serving ").append(spec.domain());
    if (gateway != null && state == State.RUNNING) {
      b.append(", gateway ").append(loopback.getHostAddress()).append(':').append(gateway.address().getPort());
    }
    b.append(", seed ").append(seed).append(spec.manualClock() ? ", manual clock" : "");
    if (clock != null && clock.isManual()) {
      b.append(" at ").append(clock.instant());
    }
    b.append('\n');
    for (HostRuntime host : hosts.values()) {
      b.append("  host ").append(host.name()).append(" (").append(host.address()).append(")")
          .append(host.isUp() ? "" : " DOWN").append('\n');
      for (Node n : host.nodes()) {
        String real = n instanceof DatabaseNode ? "in-memory H2" : loopback.getHostAddress() + ":" + n.address().getPort();
        b.append("    ").append(n.name()).append(" [").append(n.kind().standsFor()).append(" role] :")
            .append(n.modeledPort()).append(" -> ").append(real).append(' ')
            .append(n.isRunning() ? "up" : "down").append('\n');
      }
    }
    List<dev.webstack.dns.DnsRecord> zone = network != null ? network.resolver().records() : spec.dns().records();
    zone.forEach(r -> b.append("  dns ").append(r).append('\n'));
    if (network != null) {
      network.resolver().faults().forEach(f -> b.append("  dns fault: ").append(f).append('\n'));
    }
    return b.toString().stripTrailing();
  }

  @Override
  public String toString() {
    return "EmulatedStack[" + name + ", " + state.name().toLowerCase(Locale.ROOT) + "]";
  }

  /**
   * Stops every node (last started first), the gateway, the HTTP client and the worker threads, and drops the
   * database. Idempotent, and safe from any thread: from several at once (the first closes, the others wait for
   * it), from an interrupted one (it waits for the stack's threads all the same and keeps the interrupt), and from
   * one of the stack's own threads, such as an application handler's (that thread is left to finish its task; the
   * pool it belongs to interrupts it, as a shut down pool does).
   *
   * @throws IllegalStateException when something could not be released; later failures are suppressed into the
   *     first, and everything else is still released
   */
  @Override
  public synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    // A caller's interrupt (a test's timeout, a cancelled task) made every bounded wait below throw at once, which
    // left the task pools running and reported a failure with no message; close waits regardless and restores the
    // interrupt at its end.
    boolean interrupted = Thread.interrupted();
    List<Exception> failures = new ArrayList<>();
    try {
      closeSteps(failures);
    } finally {
      interrupted |= interruptedByShutdown;
      for (Exception f : failures) {
        interrupted |= f instanceof InterruptedException;
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (!failures.isEmpty()) {
      Exception first = failures.get(0);
      IllegalStateException e = new IllegalStateException("stack " + name + " did not close cleanly: "
          + (first.getMessage() != null ? first.getMessage() : first.toString()), first);
      for (int i = 1; i < failures.size(); i++) {
        e.addSuppressed(failures.get(i));
      }
      throw e;
    }
  }

  private void closeSteps(List<Exception> failures) {
    if (registered) {
      JvmDnsRegistry.unregister(name);
    }
    for (AbstractNode node : nodes) {
      if (node instanceof HttpNode http && node.isRunning()) {
        http.abortConnectionsOnClose();
      }
    }
    // Each step in its own try, so that one failing step leaves the others to run (plain code rather than
    // lambdas: a cold JVM links every lambda on first use, and the first stack's close is part of its cold time).
    try {
      if (gateway != null) {
        gateway.stop();
      }
    } catch (Exception e) {
      failed(failures, e);
    }
    for (LinkFaultState link : linkFaults.values()) {
      try {
        link.close(CLOSE_WAIT);
      } catch (Exception e) {
        failed(failures, e);
      }
    }
    for (JdbcLinkFaultState link : jdbcLinks.values()) {
      link.close();
    }
    for (ReplicationLinkFaults link : replicationLinks.values()) {
      link.close();
    }
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        nodes.get(i).close();
      } catch (Exception e) {
        failed(failures, e);
      }
    }
    try {
      closeClient();
    } catch (Exception e) {
      failed(failures, e);
    }
    try {
      closeClock();
    } catch (Exception e) {
      failed(failures, e);
    }
    try {
      stopWorker();
    } catch (Exception e) {
      failed(failures, e);
    }
    if (buffers != null) {
      buffers.close();
    }
  }

  /** True when the calling thread was made by {@code factory} (null: no such pool yet). */
  private static boolean madeBy(NamedThreads factory, Thread thread) {
    return factory != null && factory.created().contains(thread);
  }

  private void closeClient() throws Exception {
    if (httpClient instanceof AutoCloseable closeable) { // JDK 21+
      closeable.close();
    }
    httpClient = null;
    if (clientExecutor != null) {
      clientExecutor.shutdownNow();
      if (madeBy(clientThreads, Thread.currentThread())) {
        // Closed from a client callback: the pool cannot end before this thread's task returns, and its shutdown
        // interrupted this thread, which would fail every wait of the later steps.
        interruptedByShutdown |= Thread.interrupted();
        return;
      }
      checkState(clientExecutor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS),
          "HTTP client threads of stack %s still run after %s", name, CLOSE_WAIT);
    }
  }

  private void closeClock() throws InterruptedException {
    if (clock instanceof RealClock real) {
      real.close();
    } else if (clock instanceof ManualClock manual) {
      manual.close();
    }
  }

  private List<Thread> groupThreads() {
    Thread[] live = new Thread[threads.activeCount() + 8];
    int count = threads.enumerate(live);
    return Arrays.asList(live).subList(0, count);
  }

  private void stopWorker() throws InterruptedException {
    if (threads == null) {
      return; // boot never began
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    // A close called on one of the stack's own threads (an application handler, a client callback) cannot wait for
    // that thread, nor for the pool or worker it belongs to: it would wait the whole CLOSE_WAIT and then report
    // itself as a survivor. That thread ends when its task returns.
    Thread self = Thread.currentThread();
    boolean onTaskThread = madeBy(taskThreads, self);
    boolean onSystemThread = madeBy(systemThreads, self);
    boolean onIoThread = !onTaskThread && !onSystemThread && !madeBy(clientThreads, self)
        && self.getThreadGroup() == threads;
    // XNIO's threads, listed while they certainly run and belong to the group (see NamedThreads).
    Set<Thread> toJoin = new LinkedHashSet<>(groupThreads());
    if (worker != null) {
      worker.shutdown();
      if (!onIoThread && !worker.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        worker.shutdownNow();
      }
    }
    List<ExecutorService> pools = new ArrayList<>();
    for (ExecutorService pool : new ExecutorService[] {taskPool, systemPool}) {
      if (pool != null) {
        pool.shutdownNow();
        if (!(pool == taskPool && onTaskThread) && !(pool == systemPool && onSystemThread)) {
          pools.add(pool);
        }
      }
    }
    if ((onTaskThread || onSystemThread) && Thread.interrupted()) {
      // shutdownNow interrupted this very thread; close restores the interrupt once it has waited for the others.
      interruptedByShutdown = true;
    }
    // A pool thread added just before the shutdown starts only after it: wait for the pools to count every thread
    // out, not only for the threads the group lists now.
    awaitPools(pools, deadline);
    // XNIO and the pools report termination just before their threads exit; join them so that a closed stack has
    // no thread left.
    toJoin.addAll(groupThreads());
    for (NamedThreads factory : factories) {
      toJoin.addAll(factory.created());
    }
    List<String> survivors = new ArrayList<>();
    for (Thread t : toJoin) {
      if (t.getState() == Thread.State.NEW || t == self) {
        continue; // created by a pool that shut down before starting it, or the thread running this close
      }
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (t.isAlive()) {
        survivors.add(t.getName());
      }
    }
    checkState(survivors.isEmpty(), "threads of stack %s still run %s after close: %s", name, CLOSE_WAIT, survivors);
    destroyGroup();
  }

  private static void awaitPools(List<ExecutorService> pools, long deadline) throws InterruptedException {
    for (ExecutorService pool : pools) {
      pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Before JDK 19 a thread group stays in its parent's list of subgroups, strongly held, until it is destroyed, so
   * every closed stack would leave its group behind; JDK 19 and later hold subgroups weakly and made {@code
   * destroy} a no-op, which is why it is called only before.
   */
  @SuppressWarnings("removal")
  private void destroyGroup() {
    if (Runtime.version().feature() < 19) {
      try {
        threads.destroy();
      } catch (IllegalThreadStateException notEmpty) {
        LOG.debug("stack {}: a thread outlived the close, so its thread group stays in its parent's list", name,
            notEmpty);
      }
    }
  }

  /**
   * The XNIO provider, looked up once per JVM: {@code Xnio.getInstance} runs a {@code ServiceLoader} over the class
   * path and builds a new provider (probing selectors) on every call. The provider is a stateless factory; each
   * stack still builds its own worker from it.
   */
  private static final class XnioProvider {
    static final Xnio INSTANCE = Xnio.getInstance(Undertow.class.getClassLoader());
  }

  /**
   * Keeps a close step's failure. An interrupted step is one too, but the interrupt is restored only at the end of
   * {@link #close()}: restored at once, it made every later step's wait throw at once and leave threads running.
   */
  private static void failed(List<Exception> failures, Exception e) {
    failures.add(e);
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4-byte address is always valid", e);
    }
  }

  private NamedThreads named(String prefix) {
    NamedThreads factory = new NamedThreads(threads, prefix);
    factories.add(factory);
    return factory;
  }

  /**
   * Daemon threads in the stack's group, named {@code <prefix><n>}, remembered until they end: a thread that is
   * exiting leaves its group before it stops being alive, so the group alone can miss it at close.
   */
  private static final class NamedThreads implements ThreadFactory {
    private final ThreadGroup group;
    private final String prefix;
    private final AtomicInteger n = new AtomicInteger();
    private final List<Thread> created = new ArrayList<>(); // guarded by this

    NamedThreads(ThreadGroup group, String prefix) {
      this.group = group;
      this.prefix = prefix;
    }

    @Override
    public synchronized Thread newThread(Runnable r) {
      for (int i = created.size() - 1; i >= 0; i--) {
        if (created.get(i).getState() == Thread.State.TERMINATED) {
          created.remove(i);
        }
      }
      Thread t = new Thread(group, r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      created.add(t);
      return t;
    }

    synchronized List<Thread> created() {
      return new ArrayList<>(created);
    }
  }
}
