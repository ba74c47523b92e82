package dev.webstack.junit;

import dev.webstack.EmulatedStack;
import dev.webstack.StackSpec;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit Jupiter test a running {@link EmulatedStack}, configured by the attributes below and injected as a
 * parameter together with typed handles of it:
 *
 * <pre>{@code
 * @WebStack(webServers = 3, seed = 1234)
 * class CheckoutTest {
 *   @Test
 *   void survivesAWebServer(EmulatedStack stack, HttpClient http, @StackNode("web-1") Node web1) throws Exception {
 *     web1.kill();
 *     HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://www.foobar.com/")).build(),
 *         HttpResponse.BodyHandlers.ofString());
 *     assertThat(r.statusCode()).isEqualTo(200);
 *   }
 * }
 * }</pre>
 *
 * <p>Parameters the extension resolves, in test and lifecycle methods (and constructors, for a {@link
 * Lifecycle#PER_CLASS} stack): {@link EmulatedStack}, {@link java.net.http.HttpClient} (the stack's own, which
 * resolves through the stack's DNS), {@link dev.webstack.StackClock}, {@link StackSpec}, {@link
 * dev.webstack.DatabaseNode}, {@link TrafficRecorder} (a fresh one per parameter, recording what it sends), a
 * {@link dev.webstack.Node} annotated {@link StackNode @StackNode("web-1")} and a {@link dev.webstack.Host}
 * annotated {@link StackHost @StackHost("server-1")}.
 *
 * <p>Lifecycle: a new stack for every test method by default; one stack for the whole class with {@code lifecycle
 * = PER_CLASS}, which works under either {@link org.junit.jupiter.api.TestInstance test instance lifecycle}. The
 * stack is registered in JUnit's {@code ExtensionContext.Store} before it starts, so JUnit closes it even when a
 * test, a callback or the start itself fails. On a method, the annotation gives that method a stack of its own.
 *
 * <p>When a test fails, the extension logs (SLF4J, logger {@code dev.webstack.junit.WebStackExtension}, WARN) and
 * publishes as report entries the stack's description, its event log and its seed, with the line that replays
 * it ({@code @WebStack(seed = ...)}, or {@code -Dwebstack.seed=...} without editing the test).
 *
 * <p>{@link #replicas()} and {@link #replication()} configure the database's replicas; delays, the semi-sync timeout
 * and failover settings go through {@link #spec()} ({@code database(db -> db.semiSync(Duration.ofMillis(200)))}).
 *
 * <p>For full control (your own handlers, hosts, DNS), register {@link WebStackExtension#of(StackSpec)} instead.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(WebStackExtension.class)
public @interface WebStack {

  /** The reference design to start from; {@link Preset#DISTRIBUTED} unless set. */
  Preset preset() default Preset.DISTRIBUTED;

  /**
   * A class with a public no-argument constructor supplying the spec to start from, for what the attributes
   * cannot say (your application handler, hosts, DNS records, an algorithm of your own); replaces {@link
   * #preset()}. The other attributes, when set, still apply on top of it.
   */
  Class<? extends Supplier<StackSpec>> spec() default PresetSpec.class;

  /** How many web servers ({@code web-1..}); {@code -1} keeps the preset's. */
  int webServers() default -1;

  /** How many application servers ({@code app-1..}, running the preset's application); {@code -1}: the preset's. */
  int appServers() default -1;

  /** The balancer's algorithm; {@link Algorithm#PRESET} keeps the spec's (round robin in both presets). */
  Algorithm algorithm() default Algorithm.PRESET;

  /**
   * The seed of every random choice of the stack, to replay a run: {@code @WebStack(seed = 1234)}. Unset (the
   * default, an empty array), the {@link #spec()} class's seed when it sets one, else each stack draws its own and
   * reports it when a test fails. The configuration parameter or system property {@code webstack.seed} overrides
   * it for every stack of the run.
   */
  long[] seed() default {};

  /** Runs the stack on a manual {@link dev.webstack.StackClock}, moved only by {@code clock.advance(..)}. */
  boolean manualClock() default false;

  /**
   * The database's schema script, {@code classpath:...} or a file path; empty keeps the preset's (the demo
   * application's schema). A stack without a database gets one.
   */
  String schema() default "";

  /** How many database replicas ({@code db-2..}, each on its own host); {@code -1} keeps the preset's (none). */
  int replicas() default -1;

  /** The replication mode of the database; {@link Replication#PRESET} keeps the spec's (asynchronous). */
  Replication replication() default Replication.PRESET;

  /** One stack per test method (the default) or one for the whole test class. */
  Lifecycle lifecycle() default Lifecycle.PER_METHOD;

  /** How replicas acknowledge commits (see {@code DatabaseSpec.Builder}). */
  enum Replication {
    /** The spec's mode. */
    PRESET,
    /** MySQL's asynchronous replication: a commit returns before any replica has it. */
    ASYNC,
    /** MySQL's semi-synchronous AFTER_SYNC: a commit returns once a replica has received it (default timeout). */
    SEMI_SYNC
  }

  /** The reference designs of {@link StackSpec}. */
  enum Preset {
    /** {@link StackSpec#simpleWebStack()}: one server with a web server, an application server and the database. */
    SIMPLE,
    /** {@link StackSpec#distributed()}: a balancer, two web servers, an application server, a database. */
    DISTRIBUTED
  }

  /** How long a stack lives. */
  enum Lifecycle {
    /** A new stack for each test method, closed after it. */
    PER_METHOD,
    /**
     * One stack for the test class (and its {@code @Nested} classes, except those annotated {@code @WebStack} of
     * their own, which get the stack their annotation describes), closed after the class.
     */
    PER_CLASS
  }

  /** The balancing algorithms of {@link dev.webstack.balancer.BalancingAlgorithm}, by factory. */
  enum Algorithm {
    /** Keeps the spec's algorithm. */
    PRESET,
    /** {@code roundRobin()}. */
    ROUND_ROBIN,
    /** {@code nginxRoundRobin()}. */
    NGINX_ROUND_ROBIN,
    /** {@code haproxyRoundRobin()}. */
    HAPROXY_ROUND_ROBIN,
    /** {@code staticRoundRobin()}. */
    STATIC_ROUND_ROBIN,
    /** {@code leastConnections()}. */
    LEAST_CONNECTIONS,
    /** {@code random(seed)}, seeded from the stack's seed so that a replay draws the same servers. */
    RANDOM,
    /** {@code powerOfTwoChoices(seed)}, seeded from the stack's seed. */
    POWER_OF_TWO_CHOICES,
    /** {@code first()}. */
    FIRST,
    /** {@code sourceHash()}. */
    SOURCE_HASH,
    /** {@code uriHash()}. */
    URI_HASH,
    /** {@code consistentHash(HashKey.uri())}. */
    CONSISTENT_URI_HASH,
    /** {@code maglev(HashKey.uri())}. */
    MAGLEV_URI_HASH
  }

  /** The default of {@link #spec()}: the spec comes from {@link #preset()}. */
  final class PresetSpec implements Supplier<StackSpec> {
    @Override
    public StackSpec get() {
      throw new UnsupportedOperationException("marker: the spec comes from the preset attribute");
    }
  }
}
