package dev.webstack.faults;

import java.time.Duration;

/**
 * One fault applied to a stack: a hung node, a slow one, a share of failed requests, a partitioned or slowed link.
 * Undo it with {@link #undo()} (or by closing it: faults work with try-with-resources), or have the stack undo it
 * after a while on its clock with {@link #undoAfter(Duration)}.
 *
 * <pre>{@code
 * try (Fault hung = stack.node("web-1").faults().hang()) {
 *   // web-1 accepts connections and never answers; the balancer's server timeout fires
 * } // web-1 answers again, held requests included
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface Fault extends AutoCloseable {

  /** What the fault does and where, for example {@code web-1: failWith 503 for 50% of requests}. */
  String description();

  /** True until the fault is undone. */
  boolean isActive();

  /** Undoes the fault; does nothing when it was undone already. */
  void undo();

  /**
   * Undoes the fault after {@code duration} on the stack's clock (on a manual clock, when the test advances past
   * it).
   *
   * @return this fault
   */
  Fault undoAfter(Duration duration);

  /** Same as {@link #undo()}. */
  @Override
  void close();
}
