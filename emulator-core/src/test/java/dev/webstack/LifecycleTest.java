package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webstack.app.AppResponse;
import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.Picker;
import dev.webstack.balancer.ServerSet;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {

  @Test
  void startingTwice_isRejected() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThatThrownBy(stack::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("stack " + stack.name()
              + " was already started; a stack starts once (create another from its spec)");
    }
  }

  @Test
  void usingAClosedStack_isRejected() {
    EmulatedStack stack = StackSpec.distributed().start();
    Node web = stack.node("web-1");
    stack.close();

    assertThatThrownBy(stack::httpClient)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stack " + stack.name() + " is closed; start a new stack from its spec");
    assertThatThrownBy(() -> stack.uri("http://www.foobar.com/")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(web::restart)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("web-1 belongs to stack " + stack.name() + ", which is closed; start a new stack");
    assertThat(stack.isRunning()).isFalse();
    assertThat(web.isRunning()).isFalse();
  }

  @Test
  void runTimeChangesThroughHandlesOfAClosedStack_areRefused() {
    EmulatedStack stack = StackSpec.distributed().start();
    dev.webstack.balancer.Backend lb = stack.backend("lb-1");
    dev.webstack.dns.StackResolver dns = stack.dns();
    stack.close();
    int events = stack.events().size();

    String closed = "stack " + stack.name() + " is closed; start a new stack from its spec";
    assertThatThrownBy(() -> lb.disable("web-1")).isInstanceOf(IllegalStateException.class)
        .hasMessage("lb-1 belongs to stack " + stack.name() + ", which is closed; start a new stack");
    assertThatThrownBy(() -> lb.weight("web-1", 0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> dns.nxdomain("www")).isInstanceOf(IllegalStateException.class).hasMessage(closed);
    assertThatThrownBy(() -> dns.setA("www", Duration.ofSeconds(1), "10.0.0.11")).hasMessage(closed);
    assertThatThrownBy(() -> dns.slow("www", Duration.ofMillis(5))).hasMessage(closed);
    assertThat(stack.events()).hasSize(events);
    assertThat(dns.faults()).isEmpty();
  }

  @Test
  void usingAnUnstartedStack_isRejected() {
    EmulatedStack stack = StackSpec.distributed().create();
    try {
      assertThatThrownBy(stack::httpClient).hasMessageContaining("is not started; call start() first");
    } finally {
      stack.close();
    }
  }

  @Test
  void close_isIdempotent() {
    EmulatedStack stack = StackSpec.distributed().start();
    stack.close();
    stack.close();

    assertThat(stack.toString()).endsWith(", closed]");
  }

  @Test
  void failedStart_closesWhatItStartedAndSaysWhy(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.sql");
    Files.writeString(broken, "CREATE TABLE t (id INT);\nTHIS IS NOT SQL;\n");
    StackSpec spec = StackSpec.distributed().toBuilder().database(db -> db.schema(broken)).build();
    EmulatedStack stack = spec.create();

    assertThatThrownBy(stack::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed to start")
        .rootCause().hasMessageContaining("THIS IS NOT SQL");
    assertThat(stack.isRunning()).isFalse();
    assertThat(Threads.named("webstack-" + stack.name() + " ")).isEmpty();
  }

  @Test
  void failedStart_withAnError_closesWhatItStarted() {
    // A user's algorithm runs while the servers are built; an Error from it (an assertion, a missing class) used to
    // skip the cleanup that an Exception gets, leaving the stack's threads and its database running.
    BalancingAlgorithm broken = new BalancingAlgorithm() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public Picker newPicker(ServerSet servers) {
        throw new AssertionError("broken picker");
      }
    };
    EmulatedStack stack = StackSpec.distributed().toBuilder().loadBalancer(lb -> lb.algorithm(broken)).build().create();

    assertThatThrownBy(stack::start).isInstanceOf(AssertionError.class).hasMessage("broken picker");
    assertThat(stack.isRunning()).isFalse();
    assertThat(stack.toString()).endsWith(", closed]");
    assertThat(threadsOf(stack)).isEmpty();
    assertThat(stack.database().isRunning()).isFalse();
  }

  @Test
  void unknownNodeOrHost_isReportedWithTheKnownNames() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThatThrownBy(() -> stack.node("web-9"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("no node named web-9 in stack " + stack.name()
              + " (nodes: [db-1, app-1, web-1, web-2, lb-1])");
      assertThatThrownBy(() -> stack.host("nope")).hasMessageContaining("(hosts: [lb-1, web-1, web-2, app-1, db-1])");
    }
  }

  @Test
  void close_onAnInterruptedThread_stopsEveryThreadAndKeepsTheInterrupt() {
    EmulatedStack stack = StackSpec.distributed().start();
    Http.get(stack.httpClient(), "http://www.foobar.com/api/posts"); // starts task and client threads

    Thread.currentThread().interrupt();
    try {
      assertThatCode(stack::close).doesNotThrowAnyException();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(threadsOf(stack)).isEmpty();
  }

  @Test
  void close_fromAnApplicationHandler_releasesEverythingWithoutFailing() throws Exception {
    AtomicReference<EmulatedStack> self = new AtomicReference<>();
    CompletableFuture<Optional<Throwable>> closing = new CompletableFuture<>();
    EmulatedStack stack = StackSpec.distributed().toBuilder()
        .appServers(1, app -> app.handler(request -> {
          try {
            self.get().close();
            closing.complete(Optional.empty());
          } catch (Throwable t) {
            closing.complete(Optional.of(t));
          }
          return AppResponse.text("closed");
        }))
        .build()
        .start();
    self.set(stack);
    try {
      stack.httpClient().sendAsync(HttpRequest.newBuilder(java.net.URI.create("http://www.foobar.com/api/close"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());

      assertThat(closing.get(20, TimeUnit.SECONDS)).isEmpty();
      assertThat(stack.isRunning()).isFalse();
      awaitNoThreads(stack, Duration.ofSeconds(10)); // the handler's thread ends once the handler returns
    } finally {
      stack.close();
    }
  }

  @Test
  void describe_readsTheSameInEveryLocale() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR")); // "RUNNING".toLowerCase() is "runnıng" there
    try (EmulatedStack stack = StackSpec.simpleWebStack().start()) {
      assertThat(stack.toString()).endsWith(", running]");
      assertThat(stack.describe()).startsWith("stack " + stack.name() + " (running) serving foobar.com");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void nodesAndHostsOfAnUnstartedStack_sayToStartIt() {
    EmulatedStack stack = StackSpec.distributed().create();
    try {
      assertThatThrownBy(() -> stack.node("web-1"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("stack " + stack.name() + " is not started; call start() first");
      assertThatThrownBy(() -> stack.host("web-1"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("stack " + stack.name() + " is not started; call start() first");
    } finally {
      stack.close();
    }
  }

  /** The stack's live threads, its client's included: {@code webstack-<stack> <component>-n}. */
  private static List<String> threadsOf(EmulatedStack stack) {
    return Threads.named("webstack-" + stack.name() + " ");
  }

  private static void awaitNoThreads(EmulatedStack stack, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!threadsOf(stack).isEmpty() && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(1_000_000);
    }
    assertThat(threadsOf(stack)).isEmpty();
  }
}
