package dev.webstack;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.internal.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A web server (Nginx's role): serves static files and forwards dynamic paths to the application tier, round robin
 * over the application servers. Immutable.
 */
public final class WebServerSpec extends ComponentSpec {

  /** Where static files come from unless set: a welcome page bundled with the library. */
  public static final String DEFAULT_STATIC_CONTENT = "classpath:webstack/static";

  /** The path prefix forwarded to the application tier unless set, when the stack has one. */
  public static final String DEFAULT_DYNAMIC_PREFIX = "/api/";

  /**
   * nginx's {@code proxy_read_timeout} unless set: its 60 s divided by 10 (a little above the balancer's 5 s, as
   * the real defaults are: HAProxy's answers first).
   */
  public static final Duration DEFAULT_SERVER_TIMEOUT = Duration.ofSeconds(6);

  private final String staticContent;
  private final String dynamicPrefix;
  private final boolean dynamicPrefixSet;
  private final int weight;
  private final boolean backup;
  private final HealthCheckSpec healthCheck;
  private final Duration serverTimeout;
  private final Set<String> backupAppServers;

  private WebServerSpec(Builder b) {
    super(b);
    this.weight = b.weight;
    this.backup = b.backup;
    this.healthCheck = b.healthCheck;
    this.serverTimeout = b.serverTimeout;
    this.backupAppServers = Set.copyOf(b.backupAppServers);
    this.staticContent = b.staticContent;
    this.dynamicPrefix = b.dynamicPrefix;
    this.dynamicPrefixSet = b.dynamicPrefixSet;
  }

  /** The server's weight at the balancer (HAProxy's {@code weight}: 0-256, default 1, 0 drains it). */
  public int weight() {
    return weight;
  }

  /** HAProxy's {@code backup}: the balancer uses this server only when every non-backup server is down. */
  public boolean backup() {
    return backup;
  }

  /** How this web server checks its application servers; {@link HealthCheckSpec#defaults()} unless set. */
  public HealthCheckSpec healthCheck() {
    return healthCheck;
  }

  /** nginx's {@code proxy_read_timeout}: how long an application server may take before this node sends 504. */
  public Duration serverTimeout() {
    return serverTimeout;
  }

  /**
   * The application servers this web server uses only when none of the others is available (nginx's {@code
   * backup} on a {@code server} line of its {@code upstream} block); empty unless set.
   */
  public Set<String> backupAppServers() {
    return backupAppServers;
  }

  /** {@code classpath:<prefix>} or a directory path. */
  public String staticContent() {
    return staticContent;
  }

  /** The prefix forwarded to the application tier; empty when the stack has no application tier. */
  public Optional<String> dynamicPrefix() {
    return Optional.ofNullable(dynamicPrefix);
  }

  boolean dynamicPrefixSet() {
    return dynamicPrefixSet;
  }

  WebServerSpec withoutDynamicPrefix() {
    Builder b = new Builder(this);
    b.dynamicPrefix = null;
    return new WebServerSpec(b);
  }

  @Override
  public ComponentKind kind() {
    return ComponentKind.WEB_SERVER;
  }

  @Override
  public String toString() {
    return name() + " on " + host() + ":" + port() + (weight == 1 ? "" : " weight " + weight)
        + (backup ? " backup" : "")
        + " (static " + staticContent
        + (dynamicPrefix == null ? "" : ", " + dynamicPrefix + "* to app tier") + ")";
  }

  /** Configures one web server; obtained from {@link StackSpec.Builder#webServers}. */
  public static final class Builder extends AbstractBuilder<Builder> {
    private String staticContent = DEFAULT_STATIC_CONTENT;
    private String dynamicPrefix = DEFAULT_DYNAMIC_PREFIX;
    private boolean dynamicPrefixSet;
    private int weight = 1;
    private boolean backup;
    private HealthCheckSpec healthCheck = HealthCheckSpec.defaults();
    private Duration serverTimeout = DEFAULT_SERVER_TIMEOUT;
    private Set<String> backupAppServers = new LinkedHashSet<>();

    Builder(String name) {
      super(name, ComponentKind.WEB_SERVER.defaultPort());
    }

    private Builder(WebServerSpec spec) {
      super(spec);
      this.staticContent = spec.staticContent;
      this.dynamicPrefix = spec.dynamicPrefix;
      this.dynamicPrefixSet = spec.dynamicPrefixSet;
      this.weight = spec.weight;
      this.backup = spec.backup;
      this.healthCheck = spec.healthCheck;
      this.serverTimeout = spec.serverTimeout;
      this.backupAppServers = new LinkedHashSet<>(spec.backupAppServers);
    }

    /**
     * Names application servers that this web server uses only when every other one is down or in maintenance,
     * as nginx's {@code backup} parameter in its {@code upstream} block does; nginx balances over all available
     * backups. Replaces earlier names. The stack's build checks that each names an application server.
     */
    public Builder backupAppServers(String... names) {
      Set<String> set = new LinkedHashSet<>();
      for (String n : names) {
        set.add(checkName("backupAppServers", n));
      }
      this.backupAppServers = set;
      return this;
    }

    /**
     * Makes this a backup server (HAProxy's {@code backup}): the balancer sends it requests only when every
     * non-backup web server is down or in maintenance, and then only to the first such backup unless the
     * balancer has {@link BalancerSpec.Builder#allBackups(boolean) allBackups}.
     */
    public Builder backup(boolean backup) {
      this.backup = backup;
      return this;
    }

    /**
     * How this web server checks its application servers, with the same machinery and words as the balancer's
     * checks (nginx itself has active checks only in its commercial edition); {@link
     * HealthCheckSpec#disabled()} switches them off.
     */
    public Builder healthCheck(HealthCheckSpec healthCheck) {
      this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
      return this;
    }

    /** nginx's {@code proxy_read_timeout}, 1 ms to 1 h; {@link #DEFAULT_SERVER_TIMEOUT} unless set. */
    public Builder serverTimeout(Duration serverTimeout) {
      this.serverTimeout = BalancerSpec.checkTimeout("serverTimeout", name, serverTimeout);
      return this;
    }

    /**
     * The balancer sends this server a share of requests proportional to its weight, as HAProxy's {@code weight}
     * does (0-256; 0 drains it). Algorithms that ignore weights, such as plain round robin, ignore it.
     */
    public Builder weight(int weight) {
      checkArgument(weight >= 0 && weight <= dev.webstack.balancer.ServerSet.MAX_WEIGHT,
          "weight (%s) of %s must be between 0 and 256", weight, name);
      this.weight = weight;
      return this;
    }

    /** Serves static files from a classpath location, for example {@code "site"} for {@code src/test/resources/site}. */
    public Builder staticClasspath(String prefix) {
      checkArgument(prefix != null && !prefix.isBlank(), "staticClasspath (%s) must not be blank", prefix);
      String p = prefix.startsWith("/") ? prefix.substring(1) : prefix;
      checkArgument(Resources.classLoaderFor(p) != null,
          "staticClasspath (%s) of %s is not on the classpath", prefix, name);
      this.staticContent = "classpath:" + p;
      return this;
    }

    /** Serves static files from a directory. */
    public Builder staticDirectory(Path directory) {
      checkArgument(directory != null && Files.isDirectory(directory),
          "staticDirectory (%s) of %s is not a directory", directory, name);
      this.staticContent = directory.toAbsolutePath().toString();
      return this;
    }

    /**
     * Requests whose path starts with this prefix go to the application tier, path unchanged (as nginx's {@code
     * proxy_pass http://app;} without a URI does). Must start and end with {@code /}.
     */
    public Builder dynamicPrefix(String prefix) {
      checkArgument(prefix != null && prefix.startsWith("/") && prefix.endsWith("/"),
          "dynamicPrefix (%s) of %s must start and end with '/'", prefix, name);
      this.dynamicPrefix = prefix;
      this.dynamicPrefixSet = true;
      return this;
    }

    WebServerSpec build() {
      return new WebServerSpec(this);
    }
  }
}
