package dev.webstack.junit.jqwik;

import dev.webstack.StackSpec;
import dev.webstack.junit.WebStack;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.function.Supplier;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Gives every try of a jqwik {@code @Property} (or {@code @Example}) a fresh running stack, closed after the try,
 * shrinking steps included. jqwik is a test engine of its own, so {@link WebStack @WebStack} (a Jupiter
 * extension) never runs around a property; this annotation registers {@link WebStackTryHook} instead:
 *
 * <pre>{@code
 * @Property
 * @WebStackProperty(webServers = 3)
 * void staysAvailable(@ForAll("schedules") ActionChain<StackState> chain) {
 *   chain.withInvariant("availability", StackInvariants.availability()).run();
 * }
 *
 * @Provide
 * Arbitrary<ActionChain<StackState>> schedules() {
 *   return StackActions.chains().withMaxTransformations(20);
 * }
 * }</pre>
 *
 * <p>Parameters resolved per try: {@link dev.webstack.EmulatedStack}, {@link java.net.http.HttpClient}, {@link
 * dev.webstack.StackClock}, {@link StackSpec}, {@link dev.webstack.junit.TrafficRecorder}, {@link StackState}, and
 * {@link dev.webstack.junit.StackNode @StackNode} / {@link dev.webstack.junit.StackHost @StackHost} handles.
 * Chains from {@link StackActions} start from the try's stack.
 *
 * <p>Seeds: a try's stack seed comes, in this order, from the system property {@code webstack.seed}; from a {@code
 * @ForAll @StackSeed long} parameter of the property (part of the sample, so each try gets its own and shrinking
 * replays it); from {@link #seed()} or the {@link #spec()} class's spec; else from the property's name, the same
 * for every try. Either way the seed is a function of the sample, so a shrunk sample replays its stack. A
 * falsified try's report carries footnotes with the seed, the replay line, the stack's description, the try's
 * requests and the stack's events.
 *
 * <p>Set {@code tries} low (a try binds sockets; the project's own suite uses 20) and raise it for a soak with the
 * configuration parameter {@code jqwik.tries.default} when the property does not fix {@code tries}.
 */
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@AddLifecycleHook(WebStackTryHook.class)
public @interface WebStackProperty {

  /** As {@link WebStack#preset()}. */
  WebStack.Preset preset() default WebStack.Preset.DISTRIBUTED;

  /** As {@link WebStack#spec()}: a spec supplier with a public no-argument constructor, replacing the preset. */
  Class<? extends Supplier<StackSpec>> spec() default WebStack.PresetSpec.class;

  /** As {@link WebStack#webServers()}. */
  int webServers() default -1;

  /** As {@link WebStack#appServers()}. */
  int appServers() default -1;

  /** As {@link WebStack#replicas()}. */
  int replicas() default -1;

  /** As {@link WebStack#replication()}. */
  WebStack.Replication replication() default WebStack.Replication.PRESET;

  /** As {@link WebStack#algorithm()}. */
  WebStack.Algorithm algorithm() default WebStack.Algorithm.PRESET;

  /** The seed of every try's stack when the property has no {@link StackSeed} parameter; at most one value. */
  long[] seed() default {};

  /** As {@link WebStack#manualClock()}. */
  boolean manualClock() default false;

  /** As {@link WebStack#schema()}. */
  String schema() default "";
}
