package dev.webstack.internal;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.StackClock;
import dev.webstack.faults.Fault;
import java.time.Duration;
import java.util.function.Consumer;

/** A fault handle: records its application and undo as events, and undoes itself once. */
final class ActiveFault implements Fault {

  private final String component;
  private final String description;
  private final EventLog events;
  private final StackClock clock;
  private final Consumer<ActiveFault> onUndo;
  private volatile boolean active = true;

  ActiveFault(String component, String description, EventLog events, StackClock clock, Consumer<ActiveFault> onUndo) {
    this.component = component;
    this.description = description;
    this.events = events;
    this.clock = clock;
    this.onUndo = onUndo;
    events.record(component, "fault", description);
  }

  @Override
  public String description() {
    return component + ": " + description;
  }

  @Override
  public boolean isActive() {
    return active;
  }

  @Override
  public void undo() {
    synchronized (this) {
      if (!active) {
        return;
      }
      active = false;
    }
    onUndo.accept(this);
    events.record(component, "undo", description);
  }

  @Override
  public Fault undoAfter(Duration duration) {
    checkArgument(duration != null && !duration.isNegative(), "duration (%s) must not be negative", duration);
    clock.schedule(duration, this::undo);
    return this;
  }

  @Override
  public void close() {
    undo();
  }

  @Override
  public String toString() {
    return description() + (active ? "" : " (undone)");
  }
}
