package dev.webstack;

import static dev.webstack.internal.Checks.checkArgument;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a proxying node (the balancer, or a web server in front of its application servers) checks the servers
 * behind it, in HAProxy's terms: {@code check inter fastinter downinter rise fall}, {@code timeout check}, {@code
 * option httpchk}, and passive health ({@code observe layer4}, {@code error-limit}, {@code on-error mark-down}).
 * Immutable; built with {@link #builder()}, set with {@link BalancerSpec.Builder#healthCheck(HealthCheckSpec)} and
 * {@link WebServerSpec.Builder#healthCheck(HealthCheckSpec)}.
 *
 * <p><b>Checks are on by default</b> ({@link #defaults()}), because HAProxy users write {@code check} on their
 * server lines; {@link #disabled()} switches them off, and servers are then always up ("no check"), as in HAProxy
 * without {@code check}. The default timings are HAProxy's divided by 20, so that a test sees a dead server
 * taken out within a third of a second: {@code inter} 100 ms (HAProxy: 2 s), {@code fastinter} and {@code
 * downinter} equal to {@code inter}, {@code rise} 2, {@code fall} 3, and a check timeout equal to {@code inter}
 * (as HAProxy uses {@code inter} when {@code timeout check} is unset).
 *
 * <p>A check is a TCP connect unless {@link Builder#httpCheck(String)} asks for an HTTP request, whose status must
 * be 2xx or 3xx ({@code option httpchk}). Checks connect over the same link as the traffic, so a partitioned link
 * fails its checks too.
 *
 * <p>Passive health is off by default, as {@code observe} is in HAProxy. {@link Builder#observeLayer4(boolean)}
 * marks a server DOWN as soon as {@link #errorLimit()} consecutive connections to it were refused. It needs
 * checks: only a successful check brings such a server back ({@code rise} of them), so with checks disabled the
 * observation is ignored.
 *
 * <p>Where it differs from HAProxy: HAProxy's {@code error-limit} defaults to 10, ours to 1 (a refused connection
 * marks the server down at once; write {@code errorLimit(10)} for HAProxy's); HTTP checks send {@code GET}
 * (HAProxy's {@code option httpchk} default method is {@code OPTIONS}; ours behaves as {@code option httpchk GET
 * <path>}). See {@code docs/health-checks.md}.
 */
public final class HealthCheckSpec {

  /** {@code inter} unless set: HAProxy's 2 s divided by 20. */
  public static final Duration DEFAULT_INTER = Duration.ofMillis(100);

  /** {@code rise} unless set, as in HAProxy. */
  public static final int DEFAULT_RISE = 2;

  /** {@code fall} unless set, as in HAProxy. */
  public static final int DEFAULT_FALL = 3;

  /** {@code error-limit} unless set (HAProxy: 10). */
  public static final int DEFAULT_ERROR_LIMIT = 1;

  /** The largest {@code rise} or {@code fall} accepted: far beyond any useful value, small enough to never overflow. */
  public static final int MAX_COUNT = 1000;

  private static final Duration MAX_INTERVAL = Duration.ofHours(1);

  private static final HealthCheckSpec DEFAULTS = builder().build();
  private static final HealthCheckSpec DISABLED = builder().enabled(false).build();

  private final boolean enabled;
  private final Duration inter;
  private final Duration fastInter;
  private final Duration downInter;
  private final Duration timeout;
  private final int rise;
  private final int fall;
  private final String httpCheckPath;
  private final boolean observeLayer4;
  private final int errorLimit;
  /**
   * The intervals as set, null when they follow {@code inter}: {@link #toBuilder()} gives them back as set, so that
   * changing {@code inter} on a copy keeps an explicit {@code fastinter} of the same value (it used to be taken for
   * unset and follow the new {@code inter}).
   */
  private final Duration fastInterSet;
  private final Duration downInterSet;
  private final Duration timeoutSet;

  private HealthCheckSpec(Builder b) {
    this.enabled = b.enabled;
    this.inter = b.inter;
    this.fastInter = b.fastInter == null ? b.inter : b.fastInter;
    this.downInter = b.downInter == null ? b.inter : b.downInter;
    this.timeout = b.timeout == null ? b.inter : b.timeout;
    this.rise = b.rise;
    this.fall = b.fall;
    this.httpCheckPath = b.httpCheckPath;
    this.observeLayer4 = b.observeLayer4;
    this.errorLimit = b.errorLimit;
    this.fastInterSet = b.fastInter;
    this.downInterSet = b.downInter;
    this.timeoutSet = b.timeout;
  }

  /** Checks with the default timings (see the class description): what a stack uses unless told otherwise. */
  public static HealthCheckSpec defaults() {
    return DEFAULTS;
  }

  /** No checks: every server is always up (HAProxy's {@code no check}); a dead one costs a refused connection. */
  public static HealthCheckSpec disabled() {
    return DISABLED;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** False when checks are switched off. */
  public boolean enabled() {
    return enabled;
  }

  /** Interval between checks of a server that is fully UP ({@code inter}). */
  public Duration inter() {
    return inter;
  }

  /** Interval while a server is in transition, {@code UP 2/3} or {@code DOWN 1/2} ({@code fastinter}). */
  public Duration fastInter() {
    return fastInter;
  }

  /** Interval while a server is fully DOWN ({@code downinter}). */
  public Duration downInter() {
    return downInter;
  }

  /** How long one check may take, connect and (for HTTP checks) response ({@code timeout check}). */
  public Duration timeout() {
    return timeout;
  }

  /** Consecutive successful checks that bring a DOWN server UP ({@code rise}). */
  public int rise() {
    return rise;
  }

  /** Consecutive failed checks that take an UP server DOWN ({@code fall}). */
  public int fall() {
    return fall;
  }

  /** The path of the HTTP check ({@code option httpchk GET <path>}); empty for a TCP connect check. */
  public Optional<String> httpCheckPath() {
    return Optional.ofNullable(httpCheckPath);
  }

  /** True when refused connections of real traffic count against a server ({@code observe layer4}). */
  public boolean observeLayer4() {
    return observeLayer4;
  }

  /** Consecutive observed connection failures that mark a server DOWN ({@code error-limit}). */
  public int errorLimit() {
    return errorLimit;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HealthCheckSpec h && enabled == h.enabled && inter.equals(h.inter)
        && fastInter.equals(h.fastInter) && downInter.equals(h.downInter) && timeout.equals(h.timeout)
        && rise == h.rise && fall == h.fall && Objects.equals(httpCheckPath, h.httpCheckPath)
        && observeLayer4 == h.observeLayer4 && errorLimit == h.errorLimit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, inter, fastInter, downInter, timeout, rise, fall, httpCheckPath, observeLayer4,
        errorLimit);
  }

  /** HAProxy's server-line words, for example {@code check inter 100ms fastinter 100ms ... rise 2 fall 3}. */
  @Override
  public String toString() {
    if (!enabled) {
      return "no check";
    }
    return "check inter " + ms(inter) + " fastinter " + ms(fastInter) + " downinter " + ms(downInter) + " rise "
        + rise + " fall " + fall + ", timeout check " + ms(timeout)
        + (httpCheckPath == null ? "" : ", option httpchk GET " + httpCheckPath)
        + (observeLayer4 ? ", observe layer4 error-limit " + errorLimit + " on-error mark-down" : "");
  }

  private static String ms(Duration d) {
    return d.toMillis() + "ms";
  }

  /**
   * Builds a {@link HealthCheckSpec}. Each setter checks its value and throws {@link IllegalArgumentException}
   * naming the field and the value. Not thread-safe.
   */
  public static final class Builder {
    private boolean enabled = true;
    private Duration inter = DEFAULT_INTER;
    private Duration fastInter;
    private Duration downInter;
    private Duration timeout;
    private int rise = DEFAULT_RISE;
    private int fall = DEFAULT_FALL;
    private String httpCheckPath;
    private boolean observeLayer4;
    private int errorLimit = DEFAULT_ERROR_LIMIT;

    private Builder() {}

    private Builder(HealthCheckSpec s) {
      this.enabled = s.enabled;
      this.inter = s.inter;
      this.fastInter = s.fastInterSet;
      this.downInter = s.downInterSet;
      this.timeout = s.timeoutSet;
      this.rise = s.rise;
      this.fall = s.fall;
      this.httpCheckPath = s.httpCheckPath;
      this.observeLayer4 = s.observeLayer4;
      this.errorLimit = s.errorLimit;
    }

    /** Switches checks on (the default) or off. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** {@code inter}: 1 ms to 1 h. Also the default of {@code fastinter}, {@code downinter} and the timeout. */
    public Builder inter(Duration inter) {
      this.inter = positive("inter", inter);
      return this;
    }

    /** {@code fastinter}: 1 ms to 1 h; {@code inter} unless set. */
    public Builder fastInter(Duration fastInter) {
      this.fastInter = positive("fastInter", fastInter);
      return this;
    }

    /** {@code downinter}: 1 ms to 1 h; {@code inter} unless set. */
    public Builder downInter(Duration downInter) {
      this.downInter = positive("downInter", downInter);
      return this;
    }

    /** {@code timeout check}: 1 ms to 1 h; {@code inter} unless set. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive("timeout", timeout);
      return this;
    }

    /** {@code rise}: 1 to {@value HealthCheckSpec#MAX_COUNT}. */
    public Builder rise(int rise) {
      this.rise = count("rise", rise);
      return this;
    }

    /** {@code fall}: 1 to {@value HealthCheckSpec#MAX_COUNT}. */
    public Builder fall(int fall) {
      this.fall = count("fall", fall);
      return this;
    }

    /**
     * Checks with {@code GET <path> HTTP/1.0} instead of a TCP connect; 2xx and 3xx pass. The path must start
     * with {@code /} and hold no spaces or line breaks.
     */
    public Builder httpCheck(String path) {
      checkArgument(path != null && path.startsWith("/") && path.chars().noneMatch(c -> c <= ' ' || c == 127),
          "httpCheck path (%s) must start with '/' and contain no spaces or control characters", path);
      this.httpCheckPath = path;
      return this;
    }

    /** Back to TCP connect checks. */
    public Builder tcpCheck() {
      this.httpCheckPath = null;
      return this;
    }

    /** {@code observe layer4} with {@code on-error mark-down}: refused connections of real traffic count. */
    public Builder observeLayer4(boolean observe) {
      this.observeLayer4 = observe;
      return this;
    }

    /** {@code error-limit}: consecutive observed failures before marking down, 1 to {@value HealthCheckSpec#MAX_COUNT}. */
    public Builder errorLimit(int errorLimit) {
      this.errorLimit = count("errorLimit", errorLimit);
      return this;
    }

    /**
     * Builds the spec.
     *
     * @throws IllegalArgumentException naming the field and value when passive health is asked for without checks
     */
    public HealthCheckSpec build() {
      checkArgument(enabled || !observeLayer4,
          "observeLayer4 (true) needs checks: only a successful check brings a server marked down back, but"
              + " enabled = false");
      return new HealthCheckSpec(this);
    }

    private static Duration positive(String field, Duration d) {
      checkArgument(d != null && d.compareTo(Duration.ofMillis(1)) >= 0 && d.compareTo(MAX_INTERVAL) <= 0,
          "%s (%s) must be between 1 ms and 1 h", field, d);
      return d;
    }

    private static int count(String field, int n) {
      checkArgument(n >= 1 && n <= MAX_COUNT, "%s (%s) must be between 1 and %s", field, n, MAX_COUNT);
      return n;
    }
  }
}
