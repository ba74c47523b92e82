package dev.webstack.database;

import java.time.Instant;

/**
 * One client operation of an {@link OperationHistory}, Jepsen-shaped: a {@code read} or {@code write} of a value
 * under a key by a process, with its invocation and completion positions in the history (which order operations in
 * real time) and times on the stack's clock.
 *
 * @param process who ran it (a client, a session): one operation at a time per process
 * @param f {@link #READ} or {@link #WRITE}
 * @param key the key read or written
 * @param value the value written, or the value the read returned (null: the read found nothing)
 * @param outcome {@link Outcome#OK}, {@link Outcome#FAIL} (certainly did not happen), {@link Outcome#INFO}
 *     (indeterminate: may or may not have happened, such as a commit cut off by a crash) or {@link
 *     Outcome#PENDING}
 * @param invokedAt position of the invocation in the history
 * @param completedAt position of the completion, or {@link Long#MAX_VALUE} while pending
 * @param node the database node that served it, when known
 */
public record Operation(
    String process,
    String f,
    String key,
    String value,
    Outcome outcome,
    long invokedAt,
    long completedAt,
    Instant invokeTime,
    Instant completeTime,
    String node) {

  public static final String READ = "read";
  public static final String WRITE = "write";

  /** How an operation ended. */
  public enum Outcome { PENDING, OK, FAIL, INFO }

  public boolean isRead() {
    return READ.equals(f);
  }

  public boolean isWrite() {
    return WRITE.equals(f);
  }

  /** True when this operation completed before {@code other} was invoked (real-time order). */
  public boolean precedes(Operation other) {
    return completedAt < other.invokedAt;
  }

  @Override
  public String toString() {
    return process + " " + f + " " + key + "=" + value + " " + outcome.name().toLowerCase(java.util.Locale.ROOT)
        + (node == null ? "" : " on " + node) + " [" + invokedAt + ".." + (completedAt == Long.MAX_VALUE ? "" : completedAt)
        + "]";
  }
}
