package dev.webstack.inspection;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened in a stack, on the stack's clock: a node killed or restarted, a fault applied or
 * undone, a fault's decision on one request, a health check changing a server's state, a DNS answer changed.
 * Immutable.
 *
 * @param sequence the event's position in the stack's log, from 1; orders events with equal times
 * @param time when it happened, on the stack's clock
 * @param component the component it concerns, for example {@code web-1}, {@code lb-1/web-2} (the balancer's view
 *     of web-2) or {@code balancer->web-1} (a link)
 * @param type what kind of event, for example {@code kill}, {@code fault}, {@code health}
 * @param detail a human-readable description
 */
public record StackEvent(long sequence, Instant time, String component, String type, String detail) {

  public StackEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return time + " #" + sequence + " " + component + " " + type + ": " + detail;
  }
}
