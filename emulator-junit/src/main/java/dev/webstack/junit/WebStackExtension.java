package dev.webstack.junit;

import dev.webstack.DatabaseNode;
import dev.webstack.EmulatedStack;
import dev.webstack.Host;
import dev.webstack.Node;
import dev.webstack.StackClock;
import dev.webstack.StackSpec;
import dev.webstack.junit.internal.FailureReport;
import dev.webstack.junit.internal.StackConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JUnit Jupiter extension behind {@link WebStack @WebStack}, and its programmatic form for full control:
 *
 * <pre>{@code
 * class OrdersTest {
 *   @RegisterExtension
 *   static WebStackExtension stack = WebStackExtension.of(StackSpec.distributed().toBuilder()
 *       .appServers(2, app -> app.handler(new OrdersHandler()))
 *       .build());
 *
 *   @Test
 *   void listsOrders() throws Exception {
 *     HttpResponse<String> r = stack.httpClient().send(
 *         HttpRequest.newBuilder(stack.url("/api/orders")).build(), HttpResponse.BodyHandlers.ofString());
 *     assertThat(r.statusCode()).isEqualTo(200);
 *   }
 * }
 * }</pre>
 *
 * <p>In a {@code static} field the extension runs one stack for the class (and its {@code @Nested} classes); in an
 * instance field, one stack per test method. Either way the stack is kept in JUnit's {@code
 * ExtensionContext.Store}, registered before it starts, and closed in a {@code finally} after the test or the
 * class, so a failed start, test or callback still frees every port and thread. The same parameters as for
 * {@code @WebStack} are injected; the accessors ({@link #stack()}, {@link #httpClient()}, ...) work while a stack
 * runs. With two or more {@code WebStackExtension} fields in one class, use their accessors: parameters would be
 * ambiguous and are refused with a message saying so.
 *
 * <p>When a test fails, the extension logs the stack's description, events and seed (SLF4J, WARN) and publishes
 * them as report entries ({@code webstack.seed}, {@code webstack.replay}, {@code webstack.dump}), with the line
 * that replays the run. The configuration parameter or system property {@value #SEED_PROPERTY} fixes the seed of
 * every stack the extension starts, to replay a run without editing the test.
 *
 * <p>Stacks share nothing (ports are picked by the OS, names are unique), so tests run in parallel, each with its
 * own stack. Thread-safe.
 */
public final class WebStackExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  /** The configuration parameter (or system property) that fixes the seed of every stack. */
  public static final String SEED_PROPERTY = "webstack.seed";

  private static final Logger LOG = LoggerFactory.getLogger(WebStackExtension.class);
  private static final String CLASS_STACK = "class stack";
  private static final String METHOD_STACK = "method stack";

  /** The programmatic spec; null when the extension is driven by {@code @WebStack}. */
  private final StackSpec spec;
  /** The stacks running now, by the unique id of the context that owns them: for the accessors only. */
  private final Map<String, EmulatedStack> running = new ConcurrentHashMap<>();

  /**
   * The extension as {@link WebStack @WebStack} registers it, configured by the annotation. Use {@link
   * #of(StackSpec)} to register it yourself.
   */
  public WebStackExtension() {
    this.spec = null;
  }

  private WebStackExtension(StackSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  /**
   * An extension running stacks of {@code spec}, for a {@link RegisterExtension @RegisterExtension} field: {@code
   * static} for one stack per class, an instance field for one stack per test.
   */
  public static WebStackExtension of(StackSpec spec) {
    return new WebStackExtension(spec);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Accessors

  /**
   * The running stack of the current test (instance field) or class (static field).
   *
   * @throws IllegalStateException when no stack of this extension runs now, or when several do (test classes
   *     sharing one extension instance in parallel; inject {@link EmulatedStack} as a parameter instead)
   */
  public EmulatedStack stack() {
    List<EmulatedStack> now = new ArrayList<>(running.values());
    if (now.size() == 1) {
      return now.get(0);
    }
    if (now.isEmpty()) {
      throw new IllegalStateException("no stack of this WebStackExtension is running: the accessors work during a "
          + "test for an instance field, and from beforeAll to afterAll for a static field");
    }
    throw new IllegalStateException("this WebStackExtension runs " + now.size() + " stacks at once ("
        + now.stream().map(EmulatedStack::name).toList() + "), in test classes sharing it in parallel; "
        + "inject EmulatedStack as a test parameter to get the current test's own");
  }

  /** The spec this extension starts stacks from; absent when {@code @WebStack} configures it. */
  public Optional<StackSpec> spec() {
    return Optional.ofNullable(spec);
  }

  /** The running stack's client, which reaches the stack's names through its DNS. */
  public HttpClient httpClient() {
    return stack().httpClient();
  }

  /** A URL of the stack's entry point: {@code url("/api/posts")} is {@code http://www.<domain>/api/posts}. */
  public URI url(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    return URI.create("http://www." + stack().spec().domain() + p);
  }

  /** A node of the running stack, for example {@code node("web-1")}. */
  public Node node(String name) {
    return stack().node(name);
  }

  /** The running stack's clock. */
  public StackClock clock() {
    return stack().clock();
  }

  /** The running stack's seed. */
  public long seed() {
    return stack().seed();
  }

  @Override
  public String toString() {
    return "WebStackExtension[" + (spec == null ? "@WebStack" : spec.name()) + ", " + running.size() + " running]";
  }

  // ---------------------------------------------------------------------------------------------------------
  // Callbacks

  @Override
  public void beforeAll(ExtensionContext context) {
    if (spec == null) {
      checkNotMixed(context.getRequiredTestClass());
    } else if (AnnotationSupport.findAnnotation(context.getRequiredTestClass(), WebStack.class).isPresent()) {
      // A @Nested class annotated @WebStack inside a class with a WebStackExtension field: JUnit drops the
      // annotation's @ExtendWith(WebStackExtension.class) for this field's instance, so it would be ignored.
      throw mixed(registration(context).map(f -> f.getDeclaringClass().getName() + "." + f.getName())
          .orElse("a @RegisterExtension field"), context.getRequiredTestClass().getName());
    }
    classStack(context);
  }

  /**
   * The class-level stack for {@code context}, started now if this extension gives the class one and it has not
   * started yet. Called from {@code beforeAll} and, because JUnit makes a {@code PER_CLASS} test instance before
   * calling {@code beforeAll}, from constructor parameter resolution too.
   */
  private Holder classStack(ExtensionContext context) {
    Holder holder = inherited(context);
    if (context.getTestClass().isEmpty() || context.getTestMethod().isPresent()
        || (holder != null && (spec != null || holder.owner.equals(context.getUniqueId())))) {
      return holder;
    }
    Class<?> testClass = context.getRequiredTestClass();
    if (spec == null) {
      // Without a stack of an enclosing class, the nearest @WebStack (the class's own, else an enclosing class's);
      // with one, only the class's own: a @Nested class annotated PER_CLASS gets the stack it describes, not the
      // enclosing class's (which it shares when it has no annotation of its own).
      Optional<WebStack> config = holder == null ? classConfig(testClass)
          : AnnotationSupport.findAnnotation(testClass, WebStack.class);
      if (config.isPresent() && config.get().lifecycle() == WebStack.Lifecycle.PER_CLASS) {
        start(context, CLASS_STACK, StackConfig.of(config.get(), "@WebStack on " + testClass.getName()));
      }
    } else if (holder == null
        && registration(context).map(f -> Modifier.isStatic(f.getModifiers())).orElse(false)) {
      start(context, CLASS_STACK, null);
    }
    return inherited(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Optional<WebStack> onMethod = AnnotationSupport.findAnnotation(context.getTestMethod(), WebStack.class);
    if (spec == null) {
      if (onMethod.isPresent()) {
        start(context, METHOD_STACK,
            StackConfig.of(onMethod.get(), "@WebStack on " + context.getRequiredTestMethod().toGenericString()));
        return;
      }
      Optional<WebStack> onClass = classConfig(context.getRequiredTestClass());
      if (onClass.isPresent() && onClass.get().lifecycle() == WebStack.Lifecycle.PER_METHOD) {
        start(context, METHOD_STACK,
            StackConfig.of(onClass.get(), "@WebStack on " + context.getRequiredTestClass().getName()));
      }
    } else {
      if (onMethod.isPresent()) {
        // JUnit registers an extension type once per scope: the method's @ExtendWith(WebStackExtension.class) is
        // dropped in favour of this field's instance, so the annotation would be ignored without a word.
        throw mixed(registration(context).map(f -> f.getDeclaringClass().getName() + "." + f.getName())
            .orElse("a @RegisterExtension field"), methodName(context.getRequiredTestMethod()));
      }
      if (inherited(context) == null) {
        start(context, METHOD_STACK, null);
      }
    }
  }

  private static String methodName(java.lang.reflect.Method m) {
    return m.getName() + java.util.Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
        .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
  }

  private static ExtensionConfigurationException mixed(String field, String annotated) {
    return new ExtensionConfigurationException(String.format(Locale.US,
        "field %s registers a WebStackExtension, but %s is annotated @WebStack: which stack to inject would be "
            + "ambiguous; keep the annotation or the field", field, annotated));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Holder own = (Holder) store(context).get(METHOD_STACK);
    Holder effective = own != null ? own : inherited(context);
    try {
      if (effective != null && failed(context)) {
        report(context, effective, context.getExecutionException().get());
      }
    } finally {
      if (effective != null) {
        effective.recorders.remove(context.getUniqueId()); // this test's recorders: reported, or not needed
      }
      if (own != null) {
        store(context).remove(METHOD_STACK);
        own.close();
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Holder holder = (Holder) store(context).get(CLASS_STACK);
    if (holder == null || !holder.owner.equals(context.getUniqueId())) {
      return; // none, or an enclosing class's stack, closed with that class
    }
    try {
      if (failed(context)) {
        report(context, holder, context.getExecutionException().get());
      }
    } finally {
      store(context).remove(CLASS_STACK);
      holder.close();
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Parameters

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    if (!isInjectable(parameter)) {
      return false;
    }
    if (spec != null) {
      List<Field> fields = extensionFields(context.getRequiredTestClass());
      if (fields.size() > 1) {
        Optional<Field> mine = registration(context);
        if (mine.isPresent() && !mine.get().equals(fields.get(0))) {
          return false; // the first field's extension explains
        }
        throw new ParameterResolutionException(String.format(Locale.US,
            "%s has %d WebStackExtension fields (%s): a parameter of type %s would be ambiguous; use the fields' "
                + "accessors, for example %s.stack()", context.getRequiredTestClass().getSimpleName(), fields.size(),
            fields.stream().map(Field::getName).toList(), parameter.getParameter().getType().getSimpleName(),
            fields.get(0).getName()));
      }
    }
    return true;
  }

  private static boolean isInjectable(ParameterContext parameter) {
    Class<?> type = parameter.getParameter().getType();
    if (parameter.isAnnotated(StackNode.class)) {
      return Node.class.isAssignableFrom(type);
    }
    if (parameter.isAnnotated(StackHost.class)) {
      return type == Host.class;
    }
    return type == EmulatedStack.class || type == HttpClient.class || type == StackClock.class
        || type == StackSpec.class || type == DatabaseNode.class || type == TrafficRecorder.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Holder holder = (Holder) store(context).get(METHOD_STACK);
    if (holder == null) {
      holder = classStack(context);
    }
    Class<?> type = parameter.getParameter().getType();
    if (holder == null) {
      throw new ParameterResolutionException(String.format(Locale.US,
          "no stack runs for %s parameter %s of %s: a per-method stack starts before each test, after the test "
              + "instance is made and @BeforeAll methods ran; for a constructor or @BeforeAll parameter use "
              + "@WebStack(lifecycle = PER_CLASS) or a static WebStackExtension field",
          type.getSimpleName(), parameter.getParameter().getName(), parameter.getDeclaringExecutable()));
    }
    EmulatedStack stack = holder.stack;
    if (!stack.isRunning()) {
      throw new ParameterResolutionException("stack " + stack.name() + " is not running (it failed to start or was "
          + "closed); see the failure of its start above");
    }
    Optional<StackNode> node = parameter.findAnnotation(StackNode.class);
    if (node.isPresent()) {
      Node n = lookUp(() -> stack.node(node.get().value()));
      if (!type.isInstance(n)) {
        throw new ParameterResolutionException(String.format(Locale.US, "@StackNode(\"%s\") is a %s, which is not "
            + "a %s", n.name(), n.kind(), type.getSimpleName()));
      }
      return n;
    }
    Optional<StackHost> host = parameter.findAnnotation(StackHost.class);
    if (host.isPresent()) {
      return lookUp(() -> stack.host(host.get().value()));
    }
    if (type == EmulatedStack.class) {
      return stack;
    } else if (type == HttpClient.class) {
      return stack.httpClient();
    } else if (type == StackClock.class) {
      return stack.clock();
    } else if (type == StackSpec.class) {
      return stack.spec();
    } else if (type == DatabaseNode.class) {
      return lookUp(stack::database);
    } else if (type == TrafficRecorder.class) {
      TrafficRecorder recorder = TrafficRecorder.of(stack);
      // Its requests go into the failure report of the context it was injected into (and of that context's
      // descendants), not into the reports of other tests sharing a per-class stack.
      holder.recorders.computeIfAbsent(context.getUniqueId(), id -> new java.util.concurrent.CopyOnWriteArrayList<>())
          .add(recorder);
      return recorder;
    }
    throw new ParameterResolutionException("cannot resolve " + type.getName()); // guarded by supportsParameter
  }

  private static <T> T lookUp(java.util.function.Supplier<T> lookup) {
    try {
      return lookup.get();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ParameterResolutionException(e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Stacks

  private void start(ExtensionContext context, String key, StackConfig config) {
    OptionalLong override = seedOverride(context);
    StackSpec effective;
    String replay;
    if (config == null) {
      effective = override.isPresent() ? spec.toBuilder().seed(override.getAsLong()).build() : spec;
      replay = "WebStackExtension.of(spec.toBuilder().seed(%dL).build()), or -D" + SEED_PROPERTY + "=%d";
    } else {
      long seed;
      try {
        seed = override.isPresent() ? override.getAsLong()
            : config.fixedSeed().orElseGet(() -> ThreadLocalRandom.current().nextLong());
        effective = config.toSpec(seed);
      } catch (StackConfig.InvalidConfigurationException e) {
        throw new ExtensionConfigurationException(e.getMessage(), e);
      }
      replay = "@WebStack(..., seed = %dL), or -D" + SEED_PROPERTY + "=%d";
    }
    EmulatedStack stack = effective.create();
    Holder holder = new Holder(stack, context.getUniqueId(), replay, running);
    // Registered before it starts: should start() fail, JUnit still closes what it opened.
    store(context).put(key, holder);
    running.put(context.getUniqueId(), stack);
    LOG.debug("{}: starting stack {} (seed {}) for {}", key, stack.name(), stack.seed(), context.getUniqueId());
    stack.start();
  }

  private static OptionalLong seedOverride(ExtensionContext context) {
    Optional<String> value = context.getConfigurationParameter(SEED_PROPERTY);
    if (value.isEmpty() || value.get().isBlank()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value.get().trim()));
    } catch (NumberFormatException e) {
      throw new ExtensionConfigurationException(String.format(Locale.US,
          "%s (%s) must be a long, such as the seed a failed test reported", SEED_PROPERTY, value.get()), e);
    }
  }

  /**
   * Whether {@code context} failed. JUnit also hands an aborted test's {@code TestAbortedException} (a failed
   * assumption, {@code Assumptions.abort}) to {@code getExecutionException()}; such a test is skipped, not failed,
   * and gets no failure report.
   */
  private static boolean failed(ExtensionContext context) {
    return context.getExecutionException().filter(t -> !(t instanceof TestAbortedException)).isPresent();
  }

  private void report(ExtensionContext context, Holder holder, Throwable failure) {
    String replay = String.format(Locale.US, holder.replay, holder.stack.seed(), holder.stack.seed());
    // The recorders injected for this context and its ancestors: a per-class stack is shared by the class's tests,
    // and another test's requests are not this test's.
    List<String> lineage = new ArrayList<>();
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      lineage.add(0, c.get().getUniqueId()); // outermost first
    }
    List<TrafficRecorder.Exchange> requests = new ArrayList<>();
    for (String id : lineage) {
      holder.recorders.getOrDefault(id, List.of()).forEach(r -> requests.addAll(r.exchanges()));
    }
    FailureReport report = FailureReport.of(holder.stack, replay, requests);
    context.publishReportEntry(report.entries());
    // The failure itself is JUnit's to report; the log carries what JUnit cannot know: the stack and its seed.
    LOG.warn("{}\nfailure: {}", report.text(context.getDisplayName() + " (" + context.getUniqueId() + ")"),
        failure.toString());
  }

  /** The class-level stack of this extension in an enclosing context, if any. */
  private Holder inherited(ExtensionContext context) {
    return (Holder) store(context).get(CLASS_STACK);
  }

  private Namespace namespace() {
    return Namespace.create(WebStackExtension.class, this);
  }

  private ExtensionContext.Store store(ExtensionContext context) {
    return context.getStore(namespace());
  }

  /**
   * The field this (programmatic) extension was registered from, searched in the test class and its enclosing
   * classes; empty for an instance field read before the instance exists.
   */
  private Optional<Field> registration(ExtensionContext context) {
    Optional<Object> instance = context.getTestInstance();
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
      for (Field f : extensionFields(c)) {
        Object value = read(f, Modifier.isStatic(f.getModifiers()) ? null
            : instance.filter(i -> f.getDeclaringClass().isInstance(i)).orElse(null));
        if (value == this) {
          return Optional.of(f);
        }
      }
    }
    return Optional.empty();
  }

  private static Object read(Field f, Object target) {
    if (!Modifier.isStatic(f.getModifiers()) && target == null) {
      return null;
    }
    try {
      f.setAccessible(true);
      return f.get(target);
    } catch (IllegalAccessException | RuntimeException e) {
      throw new ExtensionConfigurationException("cannot read field " + f.getDeclaringClass().getName() + "."
          + f.getName() + " to see whether it holds this WebStackExtension: " + e.getMessage(), e);
    }
  }

  private static List<Field> extensionFields(Class<?> testClass) {
    return AnnotationSupport.findAnnotatedFields(testClass, RegisterExtension.class,
        f -> WebStackExtension.class.isAssignableFrom(f.getType()), HierarchyTraversalMode.TOP_DOWN);
  }

  private static Optional<WebStack> classConfig(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      Optional<WebStack> found = AnnotationSupport.findAnnotation(c, WebStack.class);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** {@code @WebStack} and a {@code WebStackExtension} field in one class would give two stacks to inject. */
  private static void checkNotMixed(Class<?> testClass) {
    List<Field> fields = extensionFields(testClass);
    if (!fields.isEmpty() && classConfig(testClass).isPresent()) {
      Field f = fields.get(0);
      throw new ExtensionConfigurationException(String.format(Locale.US,
          "field %s.%s registers a WebStackExtension, but %s is also annotated @WebStack: which stack to inject "
              + "would be ambiguous; keep the annotation or the field", f.getDeclaringClass().getName(), f.getName(),
          testClass.getSimpleName()));
    }
  }

  /**
   * A stack in the Store. JUnit closes stored {@code CloseableResource}s (5.x) and {@code AutoCloseable}s (5.13+,
   * 6.x) when their context ends, which covers a failure before our after-callbacks run; closing twice is harmless.
   */
  @SuppressWarnings("deprecation") // CloseableResource is what JUnit 5.10 to 5.12 close; 6.x closes AutoCloseable
  private static final class Holder implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final EmulatedStack stack;
    final String owner;
    final String replay;
    /**
     * The recorders injected for this stack, by the unique id of the context they were injected into; their
     * requests go into the failure report of that context and its descendants. A test's entry is dropped after it.
     */
    final Map<String, List<TrafficRecorder>> recorders = new ConcurrentHashMap<>();
    private final Map<String, EmulatedStack> running;

    Holder(EmulatedStack stack, String owner, String replay, Map<String, EmulatedStack> running) {
      this.stack = stack;
      this.owner = owner;
      this.replay = replay;
      this.running = running;
    }

    @Override
    public void close() {
      try {
        stack.close();
      } finally {
        running.remove(owner, stack);
      }
    }
  }
}
