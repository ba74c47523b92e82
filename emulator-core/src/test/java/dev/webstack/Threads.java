package dev.webstack;

import java.util.List;

/** Test helper: live threads by name. */
final class Threads {
  private Threads() {}

  static List<String> named(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith(prefix))
        .sorted()
        .toList();
  }
}
