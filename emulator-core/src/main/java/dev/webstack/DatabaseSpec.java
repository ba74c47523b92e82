package dev.webstack;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.database.ReplicationMode;
import dev.webstack.internal.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database (MySQL's role): one H2 in-memory database in MySQL compatibility mode, private to the stack, and
 * optionally replicas of it with MySQL-style replication (see {@link dev.webstack.database.DatabaseCluster}).
 *
 * <p>{@snippet :
 * StackSpec.builder("foobar.com")
 *     .database(db -> db.schema("classpath:schema.sql")
 *         .replicas(2)                                  // db-2 and db-3, each on its own host
 *         .semiSync(Duration.ofMillis(500))            // AFTER_SYNC, 500 ms timeout
 *         .automaticFailover(Duration.ofSeconds(5))    // promote after 5 s of a dead primary
 *         .causalReads(Duration.ofSeconds(1)))         // read-your-writes through the routing DataSource
 * }
 *
 * Immutable.
 */
public final class DatabaseSpec extends ComponentSpec {

  /** MySQL's {@code rpl_semi_sync_source_timeout} default. */
  public static final Duration DEFAULT_SEMI_SYNC_TIMEOUT = Duration.ofMillis(10_000);

  private static final Pattern NUMBERED = Pattern.compile("(.*)-(\\d+)");

  private final String schema;
  private final String schemaSql;
  private final int replicas;
  private final List<DatabaseSpec> replicaSpecs;
  private final ReplicationMode replicationMode;
  private final Duration semiSyncTimeout;
  private final Duration shipDelay;
  private final Duration applyDelay;
  private final Duration failoverDetection;
  private final boolean fencing;
  private final Duration maxReplicationLag;
  private final Duration causalReadsWait;

  private DatabaseSpec(Builder b) {
    super(b);
    this.schema = b.schema;
    this.schemaSql = b.schemaSql;
    this.replicas = b.replicas;
    this.replicationMode = b.replicationMode;
    this.semiSyncTimeout = b.semiSyncTimeout;
    this.shipDelay = b.shipDelay;
    this.applyDelay = b.applyDelay;
    this.failoverDetection = b.failoverDetection;
    this.fencing = b.fencing;
    this.maxReplicationLag = b.maxReplicationLag;
    this.causalReadsWait = b.causalReadsWait;
    List<DatabaseSpec> list = new ArrayList<>();
    for (String name : replicaNames(name(), replicas)) {
      Builder r = new Builder();
      r.name = name;
      r.host = null; // each replica on a host of its own name
      r.port = port();
      r.schema = schema;
      r.schemaSql = schemaSql;
      list.add(new DatabaseSpec(r));
    }
    this.replicaSpecs = List.copyOf(list);
  }

  /** Replica names after the primary's: {@code db-1} gives {@code db-2, db-3, ...}; {@code mysql} gives {@code mysql-2, ...}. */
  static List<String> replicaNames(String primary, int count) {
    Matcher m = NUMBERED.matcher(primary);
    String base = m.matches() ? m.group(1) : primary;
    int first = m.matches() ? Integer.parseInt(m.group(2)) + 1 : 2;
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(base + "-" + (first + i));
    }
    return out;
  }

  /** The number of replicas (0: a single database, no replication). */
  public int replicas() {
    return replicas;
  }

  /** The replicas' specs, named after the primary ({@code db-2, db-3, ...}), each on a host of its own name. */
  public List<DatabaseSpec> replicaSpecs() {
    return replicaSpecs;
  }

  public ReplicationMode replicationMode() {
    return replicationMode;
  }

  /** {@code rpl_semi_sync_source_timeout}: how long a semi-sync commit waits before falling back to async. */
  public Duration semiSyncTimeout() {
    return semiSyncTimeout;
  }

  /** The replicas' initial receive delay (see {@link dev.webstack.database.Replica#shipDelay}). */
  public Duration shipDelay() {
    return shipDelay;
  }

  /** The replicas' initial apply delay (see {@link dev.webstack.database.Replica#applyDelay}). */
  public Duration applyDelay() {
    return applyDelay;
  }

  /** When set, a failover starts by itself this long (stack clock) after the primary went down. */
  public Optional<Duration> failoverDetection() {
    return Optional.ofNullable(failoverDetection);
  }

  /** Whether a failover fences the old primary (default true); false reproduces split brain. */
  public boolean fencing() {
    return fencing;
  }

  /** The routing data source shuns replicas lagging more than this ({@code Seconds_Behind_Source}). */
  public Optional<Duration> maxReplicationLag() {
    return Optional.ofNullable(maxReplicationLag);
  }

  /** When set, the routing data source reads its own writes, waiting this long for a replica (see {@link Builder#causalReads}). */
  public Optional<Duration> causalReadsWait() {
    return Optional.ofNullable(causalReadsWait);
  }

  /** The SQL script run once when the database is created: a {@code classpath:} location or a file path. */
  public Optional<String> schema() {
    return Optional.ofNullable(schema);
  }

  /** The script's text, read once when the spec was built, so starting many stacks reads no file. */
  public Optional<String> schemaSql() {
    return Optional.ofNullable(schemaSql);
  }

  @Override
  public ComponentKind kind() {
    return ComponentKind.DATABASE;
  }

  @Override
  public String toString() {
    return name() + " on " + host() + ":" + port() + (schema == null ? "" : " (schema " + schema + ")")
        + (replicas == 0 ? "" : ", " + replicas + " replica(s) " + replicationMode.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** Configures the database; obtained from {@link StackSpec.Builder#database}. */
  public static final class Builder extends AbstractBuilder<Builder> {
    private String schema;
    private String schemaSql;
    private int replicas;
    private ReplicationMode replicationMode = ReplicationMode.ASYNC;
    private Duration semiSyncTimeout = DEFAULT_SEMI_SYNC_TIMEOUT;
    private Duration shipDelay = Duration.ZERO;
    private Duration applyDelay = Duration.ZERO;
    private Duration failoverDetection;
    private boolean fencing = true;
    private Duration maxReplicationLag;
    private Duration causalReadsWait;

    Builder() {
      super("db-1", ComponentKind.DATABASE.defaultPort());
    }

    private Builder(DatabaseSpec spec) {
      super(spec);
      this.schema = spec.schema;
      this.schemaSql = spec.schemaSql;
      this.replicas = spec.replicas;
      this.replicationMode = spec.replicationMode;
      this.semiSyncTimeout = spec.semiSyncTimeout;
      this.shipDelay = spec.shipDelay;
      this.applyDelay = spec.applyDelay;
      this.failoverDetection = spec.failoverDetection;
      this.fencing = spec.fencing;
      this.maxReplicationLag = spec.maxReplicationLag;
      this.causalReadsWait = spec.causalReadsWait;
    }

    /**
     * Adds {@code count} replicas (0-9), named after the primary ({@code db-2, db-3, ...}), each an H2 database on a
     * host of its own name, replicating asynchronously unless {@link #semiSync} is set.
     */
    public Builder replicas(int count) {
      checkArgument(count >= 0 && count <= 9, "replicas (%s) of %s must be between 0 and 9", count, name);
      this.replicas = count;
      return this;
    }

    /** Asynchronous replication, MySQL's default. */
    public Builder async() {
      this.replicationMode = ReplicationMode.ASYNC;
      return this;
    }

    /**
     * Semi-synchronous replication (AFTER_SYNC, one acknowledgement) with {@code rpl_semi_sync_source_timeout};
     * see {@link ReplicationMode#SEMI_SYNC}. Needs {@link #replicas(int) replicas}: the stack's build refuses it
     * without any.
     */
    public Builder semiSync(Duration timeout) {
      checkArgument(timeout != null && !timeout.isNegative() && !timeout.isZero(),
          "semiSync timeout (%s) of %s must be positive", timeout, name);
      this.replicationMode = ReplicationMode.SEMI_SYNC;
      this.semiSyncTimeout = timeout;
      return this;
    }

    /** Semi-sync with MySQL's default timeout of 10 s. */
    public Builder semiSync() {
      return semiSync(DEFAULT_SEMI_SYNC_TIMEOUT);
    }

    /** The replicas' receive delay at start; change it at run time with {@code Replica.shipDelay}. */
    public Builder shipDelay(Duration delay) {
      checkArgument(delay != null && !delay.isNegative(), "shipDelay (%s) of %s must not be negative", delay, name);
      this.shipDelay = delay;
      return this;
    }

    /** The replicas' apply delay at start ({@code SOURCE_DELAY}); change it with {@code Replica.applyDelay}. */
    public Builder applyDelay(Duration delay) {
      checkArgument(delay != null && !delay.isNegative(), "applyDelay (%s) of %s must not be negative", delay,
          name);
      this.applyDelay = delay;
      return this;
    }

    /**
     * Fails over by itself when the primary has been down for {@code detection} on the stack's clock (the failover
     * tool's detection time: Orchestrator and MHA take seconds to tens of seconds). Without it, only the test's
     * {@code failover()} call fails over.
     */
    public Builder automaticFailover(Duration detection) {
      checkArgument(detection != null && !detection.isNegative(),
          "automaticFailover detection (%s) of %s must not be negative", detection, name);
      this.failoverDetection = detection;
      return this;
    }

    /**
     * Whether a failover fences the old primary by making it {@code super_read_only} (default true). With false,
     * an old primary that still runs stays writable, and writes reaching it make a split brain, which the stack
     * then reports.
     */
    public Builder fencing(boolean fence) {
      this.fencing = fence;
      return this;
    }

    /** Shuns replicas whose {@code Seconds_Behind_Source} exceeds {@code lag} or is NULL (ProxySQL's {@code max_replication_lag}). */
    public Builder maxReplicationLag(Duration lag) {
      checkArgument(lag != null && !lag.isNegative(), "maxReplicationLag (%s) of %s must not be negative", lag, name);
      this.maxReplicationLag = lag;
      return this;
    }

    /**
     * Read-your-writes through the routing data source: a read goes to a replica that has executed every
     * transaction committed through the same data source (one per application server), waiting up to {@code wait}
     * of real time (no wait on a manual clock), else to the primary (MySQL Router's {@code wait_for_my_writes}).
     */
    public Builder causalReads(Duration wait) {
      checkArgument(wait != null && !wait.isNegative(), "causalReads wait (%s) of %s must not be negative", wait,
          name);
      this.causalReadsWait = wait;
      return this;
    }

    /** Runs this script ({@code classpath:schema.sql} or a file path) when the database is created. */
    public Builder schema(String location) {
      checkArgument(location != null && Resources.exists(location),
          "schema (%s) of %s does not exist (use classpath:<path> or a file path)", location, name);
      this.schema = location;
      this.schemaSql = Resources.read(location);
      return this;
    }

    /** Runs this script file when the database is created. */
    public Builder schema(Path file) {
      return schema(file == null ? null : file.toString());
    }

    DatabaseSpec build() {
      checkArgument(failoverDetection == null || replicas > 0,
          "automaticFailover of %s needs replicas to promote, but replicas = 0", name);
      // MySQL would make every commit wait out the timeout, then fall back to asynchronous replication of nothing;
      // a spec asking for it without replicas is a mistake, not a test of that.
      checkArgument(replicationMode != ReplicationMode.SEMI_SYNC || replicas > 0,
          "semiSync of %s needs replicas to acknowledge commits, but replicas = 0; add replicas(n) or drop semiSync()",
          name);
      return new DatabaseSpec(this);
    }
  }

  Builder toBuilder() {
    return new Builder(this);
  }
}
