package dev.webstack.internal;

import dev.webstack.StackClock;
import dev.webstack.inspection.StackEvent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The stack's event log: bounded (the oldest events go first), thread-safe, timestamped on the stack's clock.
 * Components record what they did; tests and the text dump read snapshots.
 */
public final class EventLog {

  /** Enough for any test's story; a soak run keeps the latest. */
  static final int CAPACITY = 10_000;

  private final StackClock clock;
  private final ArrayDeque<StackEvent> events = new ArrayDeque<>();
  private long sequence;

  public EventLog(StackClock clock) {
    this.clock = clock;
  }

  /** Records an event now and returns it. */
  public synchronized StackEvent record(String component, String type, String detail) {
    StackEvent e = new StackEvent(++sequence, clock.instant(), component, type, detail);
    if (events.size() == CAPACITY) {
      events.removeFirst();
    }
    events.addLast(e);
    return e;
  }

  /** Every event still held, oldest first. */
  public synchronized List<StackEvent> snapshot() {
    return List.copyOf(events);
  }

  /** The events matching {@code filter}, oldest first. */
  public synchronized List<StackEvent> snapshot(Predicate<StackEvent> filter) {
    return events.stream().filter(filter).toList();
  }
}
