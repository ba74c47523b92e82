package dev.webstack.internal;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.faults.Fault;
import dev.webstack.faults.NodeFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The faults active on one HTTP node and the decisions they make per request. Decisions draw from the node's own
 * seeded stream under a lock, in the order requests reach the node, and each one is recorded as an event.
 */
final class NodeFaultState implements NodeFaults {

  /** What the node does with one request. */
  record Decision(boolean hang, long delayNanos, int failStatus, String fault) {
    static final Decision NONE = new Decision(false, 0, 0, null);
  }

  private final String node;
  private final NodeContext context;
  private final Runnable onHangUndone;
  private final BooleanSupplier closed;
  private final List<Kind> active = new CopyOnWriteArrayList<>();
  private final SplittableRandom random;
  private long requests;

  /**
   * @param onHangUndone releases the requests held by a hang once no hang is left
   * @param closed true once the node's stack has closed it for good: faults are refused from then on
   */
  NodeFaultState(String node, NodeContext context, Runnable onHangUndone, BooleanSupplier closed) {
    this.node = node;
    this.context = context;
    this.onHangUndone = onHangUndone;
    this.closed = closed;
    this.random = context.random().stream(node + "/faults");
  }

  /** One active fault and its parameters. */
  private record Kind(ActiveFault handle, boolean hang, long delayNanos, long jitterNanos, int status, double share) {}

  @Override
  public Fault hang() {
    return add("hang: accepts and reads requests, answers none", true, 0, 0, 0, 0);
  }

  @Override
  public Fault slow(Duration delay) {
    return slow(delay, Duration.ZERO);
  }

  @Override
  public Fault slow(Duration delay, Duration jitter) {
    checkArgument(delay != null && !delay.isNegative(), "delay (%s) of slow() on %s must not be negative", delay, node);
    checkArgument(jitter != null && !jitter.isNegative(), "jitter (%s) of slow() on %s must not be negative", jitter,
        node);
    String what = "slow: every request waits " + delay.toMillis() + " ms"
        + (jitter.isZero() ? "" : " ± " + jitter.toMillis() + " ms");
    return add(what, false, delay.toNanos(), jitter.toNanos(), 0, 0);
  }

  @Override
  public Fault failWith(int status) {
    return failWith(status, 1.0);
  }

  @Override
  public Fault failWith(int status, double share) {
    // A 1xx is an interim response (RFC 9110 §15.2): a client reads it, then waits for the final one, which never
    // comes (a request to a node with failWith(100) timed out).
    checkArgument(status >= 200 && status <= 599,
        "status (%s) of failWith() on %s must be a final status, 200-599 (1xx are interim responses)", status, node);
    checkArgument(share >= 0 && share <= 1, "share (%s) of failWith() on %s must be between 0 and 1", share, node);
    String what = share == 1 ? "failWith " + status + " for every request"
        : String.format(Locale.ROOT, "failWith %d for %s%% of requests", status, Math.round(share * 1000) / 10.0);
    return add(what, false, 0, 0, status, share);
  }

  private Fault add(String what, boolean hang, long delay, long jitter, int status, double share) {
    // As for link faults: a fault on a closed stack would act on nothing, yet report itself active and add an event
    // to the closed stack's log, as if the test had broken something.
    Checks.checkNotClosed(closed.getAsBoolean(), node, context.stackName());
    Kind[] kind = new Kind[1];
    ActiveFault handle = new ActiveFault(node, what, context.events(), context.clock(), f -> remove(kind[0]));
    kind[0] = new Kind(handle, hang, delay, jitter, status, share);
    active.add(kind[0]);
    return handle;
  }

  private void remove(Kind kind) {
    active.remove(kind);
    if (kind.hang() && active.stream().noneMatch(Kind::hang)) {
      onHangUndone.run();
    }
  }

  @Override
  public List<Fault> active() {
    List<Fault> out = new ArrayList<>();
    active.forEach(k -> out.add(k.handle()));
    return List.copyOf(out);
  }

  @Override
  public void clear() {
    active.forEach(k -> k.handle().undo());
  }

  boolean isHanging() {
    return active.stream().anyMatch(Kind::hang);
  }

  /** Decides what happens to one request; {@link Decision#NONE} (without drawing) when no fault is active. */
  Decision decide(String method, String path) {
    if (active.isEmpty()) {
      return Decision.NONE;
    }
    synchronized (this) {
      long n = ++requests;
      boolean hang = false;
      long delay = 0;
      int status = 0;
      List<String> applied = new ArrayList<>();
      for (Kind k : active) {
        if (k.hang()) {
          hang = true;
          applied.add("hang");
        } else if (k.delayNanos() > 0 || k.jitterNanos() > 0) {
          long extra = k.jitterNanos() == 0 ? 0 : random.nextLong(-k.jitterNanos(), k.jitterNanos() + 1);
          long d = Math.max(0, k.delayNanos() + extra);
          delay += d;
          applied.add("slow " + Duration.ofNanos(d).toMillis() + " ms");
        } else if (k.status() > 0 && status == 0) {
          boolean fail = k.share() >= 1 || random.nextDouble() < k.share();
          if (fail) {
            status = k.status();
            applied.add("failWith " + status);
          } else if (k.share() > 0) {
            applied.add("spared by failWith " + k.status());
          }
        }
      }
      String detail = "request " + n + " " + method + " " + path + ": "
          + (applied.isEmpty() ? "no effect" : String.join(", ", applied));
      context.events().record(node, "decision", detail);
      String fault = applied.isEmpty() ? null : String.join(", ", applied);
      return new Decision(hang, delay, status, fault);
    }
  }
}
