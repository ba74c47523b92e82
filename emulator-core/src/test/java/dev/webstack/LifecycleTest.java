package dev.webstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
  void unknownNodeOrHost_isReportedWithTheKnownNames() {
    try (EmulatedStack stack = StackSpec.distributed().start()) {
      assertThatThrownBy(() -> stack.node("web-9"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("no node named web-9 in stack " + stack.name()
              + " (nodes: [db-1, app-1, web-1, web-2, lb-1])");
      assertThatThrownBy(() -> stack.host("nope")).hasMessageContaining("(hosts: [lb-1, web-1, web-2, app-1, db-1])");
    }
  }
}
