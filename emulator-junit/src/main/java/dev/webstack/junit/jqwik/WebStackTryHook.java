package dev.webstack.junit.jqwik;

import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import dev.webstack.Host;
import dev.webstack.Node;
import dev.webstack.StackClock;
import dev.webstack.StackSpec;
import dev.webstack.balancer.HashKey;
import dev.webstack.junit.StackHost;
import dev.webstack.junit.StackNode;
import dev.webstack.junit.TrafficRecorder;
import dev.webstack.junit.WebStackExtension;
import dev.webstack.junit.internal.FailureReport;
import dev.webstack.junit.internal.StackConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.AroundTryHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.ParameterResolutionContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.ResolveParameterHook;
import net.jqwik.api.lifecycle.TryExecutionResult;
import net.jqwik.api.lifecycle.TryExecutor;
import net.jqwik.api.lifecycle.TryLifecycleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jqwik lifecycle hook behind {@link WebStackProperty}: around every try (shrinking steps included) it starts
 * a stack, hands it to the try's parameters and to {@link StackState#current()}, adds a report of the stack to a
 * falsified try's footnotes, and closes the stack in a {@code finally}. Registered by the annotation; not meant to
 * be used directly.
 *
 * <p>jqwik runs a property's tries one after the other on one thread, so the try's stack is kept for that thread
 * while the try runs.
 */
public final class WebStackTryHook implements AroundPropertyHook, AroundTryHook, ResolveParameterHook {

  private static final Logger LOG = LoggerFactory.getLogger(WebStackTryHook.class);
  private static final ThreadLocal<TryStack> CURRENT = new ThreadLocal<>();
  private static final ThreadLocal<StackSpec> PROPERTY_SPEC = new ThreadLocal<>();
  /** Placeholders handed out for the coming try's parameters, and how to bind each to the try's stack. */
  private static final ThreadLocal<Map<Object, Function<EmulatedStack, Object>>> PENDING =
      ThreadLocal.withInitial(IdentityHashMap::new);

  /** The running try's stack and the chain state over it. */
  private static final class TryStack {
    final EmulatedStack stack;
    StackState state;

    TryStack(EmulatedStack stack) {
      this.stack = stack;
    }
  }

  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  /**
   * Makes the property's spec known while the property runs, so that {@link StackActions#chains()}, called from
   * the property's {@code @Provide} method, can name the stack's nodes before any try starts.
   */
  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property)
      throws Throwable {
    StackConfig config = config(context);
    StackSpec spec;
    try {
      spec = config.toSpec(config.fixedSeed().orElse(0L));
    } catch (StackConfig.InvalidConfigurationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    StackSpec previous = PROPERTY_SPEC.get();
    PROPERTY_SPEC.set(spec);
    try {
      return property.execute();
    } finally {
      PROPERTY_SPEC.set(previous);
    }
  }

  /** The spec of the running property (node names do not depend on the seed). */
  static StackSpec currentPropertySpec() {
    StackSpec spec = PROPERTY_SPEC.get();
    if (spec == null) {
      throw new IllegalStateException("StackActions.chains() names the nodes of the property's stack: call it from "
          + "the @Provide method of a property annotated @WebStackProperty, or use chains(spec, initialState)");
    }
    return spec;
  }

  @Override
  public TryExecutionResult aroundTry(TryLifecycleContext context, TryExecutor aTry, List<Object> parameters)
      throws Throwable {
    StackConfig config = config(context);
    long seed = seed(context, config, parameters);
    StackSpec spec;
    try {
      spec = config.toSpec(seed);
    } catch (StackConfig.InvalidConfigurationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Map<Object, Function<EmulatedStack, Object>> pending = PENDING.get();
    PENDING.remove();
    EmulatedStack stack = spec.create();
    TryStack previous = CURRENT.get();
    CURRENT.set(new TryStack(stack));
    TryExecutionResult result;
    try {
      stack.start();
      List<Object> bound = new ArrayList<>(parameters.size());
      for (Object p : parameters) {
        Function<EmulatedStack, Object> binder = pending.get(p);
        bound.add(binder == null ? p : binder.apply(stack));
      }
      result = aTry.execute(bound);
      if (result.isFalsified()) {
        result = result.withFootnotes(footnotes(context, stack, seed));
      }
    } catch (Throwable t) {
      CURRENT.set(previous);
      try {
        stack.close();
      } catch (RuntimeException closing) {
        t.addSuppressed(closing);
      }
      throw t;
    }
    CURRENT.set(previous);
    return close(stack, result);
  }

  /**
   * Closes the try's stack. A close that fails turns a satisfied try into a falsified one (a leak is a failure);
   * on a try that failed already, the try's own failure stands, with the close failure logged and added to it
   * as suppressed. Returns the result to report.
   */
  private static TryExecutionResult close(EmulatedStack stack, TryExecutionResult result) {
    try {
      stack.close();
      return result;
    } catch (RuntimeException e) {
      if (result.isSatisfied()) {
        return TryExecutionResult.falsified(e);
      }
      LOG.error("stack {} did not close cleanly after a failed try", stack.name(), e);
      result.throwable().ifPresent(t -> t.addSuppressed(e));
      return result;
    }
  }

  private static List<String> footnotes(TryLifecycleContext context, EmulatedStack stack, long seed) {
    String replay = String.format(Locale.US, "@WebStackProperty(..., seed = %dL) or -D%s=%d; jqwik replays the "
        + "sample itself with the seed it reports for %s", seed, WebStackExtension.SEED_PROPERTY, seed,
        context.targetMethod().getName());
    TryStack t = CURRENT.get();
    FailureReport report = FailureReport.of(stack, replay,
        t == null || t.state == null ? List.of() : t.state.traffic().exchanges());
    List<String> notes = new ArrayList<>();
    notes.add("webstack: stack " + stack.name() + ", seed " + seed + "; replay: " + replay);
    notes.add("webstack: " + report.dump());
    return notes;
  }

  private static StackConfig config(LifecycleContext context) {
    String where = "@WebStackProperty on " + context.label();
    Optional<WebStackProperty> annotation = context.findAnnotation(WebStackProperty.class);
    if (annotation.isEmpty()) {
      annotation = context.findAnnotationsInContainer(WebStackProperty.class).stream().findFirst();
    }
    WebStackProperty a = annotation.orElseThrow(() -> new IllegalStateException(
        "WebStackTryHook runs for properties annotated @WebStackProperty, but " + context.label() + " is not"));
    return new StackConfig(where, a.preset(), a.spec(), a.webServers(), a.appServers(), a.algorithm(), a.seed(),
        a.manualClock(), a.schema(), a.replicas(), a.replication());
  }

  /** The try's seed; see {@link WebStackProperty} for the order of the sources. */
  private static long seed(TryLifecycleContext context, StackConfig config, List<Object> parameters) {
    Optional<String> property = Optional.ofNullable(System.getProperty(WebStackExtension.SEED_PROPERTY))
        .filter(s -> !s.isBlank());
    if (property.isPresent()) {
      try {
        return Long.parseLong(property.get().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(WebStackExtension.SEED_PROPERTY + " (" + property.get()
            + ") must be a long, such as the seed a failed try reported", e);
      }
    }
    Method method = context.targetMethod();
    Parameter[] declared = method.getParameters();
    for (int i = 0; i < declared.length; i++) {
      Parameter p = declared[i];
      if (p.isAnnotationPresent(StackSeed.class)) {
        if (!p.isAnnotationPresent(ForAll.class) || (p.getType() != long.class && p.getType() != Long.class)) {
          throw new IllegalArgumentException("@StackSeed parameter " + p.getName() + " of " + method.getName()
              + " must be a @ForAll long");
        }
        return (Long) parameters.get(i); // the try's arguments, in declaration order
      }
    }
    try {
      OptionalLong fixed = config.fixedSeed();
      if (fixed.isPresent()) {
        return fixed.getAsLong();
      }
    } catch (StackConfig.InvalidConfigurationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return HashKey.mix(HashKey.hash(method.getDeclaringClass().getName() + "#" + method.getName()));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Parameters

  /**
   * Resolves the stack's handles. jqwik resolves parameters while it generates a try's arguments, before the
   * try starts, and the try's stack depends on those arguments (its {@link StackSeed}); so the suppliers hand out
   * placeholders of the right type (see {@code Placeholders}) that {@link #aroundTry} replaces with the try's
   * handles before the property method sees them.
   */
  @Override
  public Optional<ParameterSupplier> resolve(ParameterResolutionContext parameter, LifecycleContext context) {
    Parameter p = parameter.parameter();
    Class<?> type = p.getType();
    StackNode node = p.getAnnotation(StackNode.class);
    StackHost host = p.getAnnotation(StackHost.class);
    if (node != null && Node.class.isAssignableFrom(type)) {
      return supply(type, stack -> {
        Node n = stack.node(node.value());
        if (!type.isInstance(n)) {
          throw new IllegalArgumentException("@StackNode(\"" + n.name() + "\") is a " + n.kind() + ", not a "
              + type.getSimpleName());
        }
        return n;
      });
    }
    if (host != null && type == Host.class) {
      return supply(type, stack -> stack.host(host.value()));
    }
    if (type == EmulatedStack.class) {
      return supply(type, stack -> stack);
    } else if (type == HttpClient.class) {
      return supply(type, EmulatedStack::httpClient);
    } else if (type == StackClock.class) {
      return supply(type, EmulatedStack::clock);
    } else if (type == StackSpec.class) {
      return supply(type, EmulatedStack::spec);
    } else if (type == DatabaseNode.class) {
      return supply(type, EmulatedStack::database);
    } else if (type == TrafficRecorder.class) {
      return supply(type, TrafficRecorder::of);
    } else if (type == StackState.class) {
      return supply(type, stack -> currentState());
    }
    return Optional.empty();
  }

  private static Optional<ParameterSupplier> supply(Class<?> type, Function<EmulatedStack, Object> binder) {
    if (Placeholders.of(type).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(aTry -> {
      Object placeholder = Placeholders.of(type).orElseThrow();
      PENDING.get().put(placeholder, binder);
      return placeholder;
    });
  }

  /** The chain state over the current try's stack; one per try. */
  static StackState currentState() {
    TryStack t = CURRENT.get();
    if (t == null) {
      throw new IllegalStateException("StackState.current() has no stack: call it while a try of a property "
          + "annotated @WebStackProperty runs (for example from StackActions.chains()), or use StackState.of(stack)");
    }
    if (t.state == null) {
      t.state = StackState.of(t.stack);
    }
    return t.state;
  }
}
