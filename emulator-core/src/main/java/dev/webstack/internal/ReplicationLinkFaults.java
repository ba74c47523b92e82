package dev.webstack.internal;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.faults.Fault;
import dev.webstack.faults.LinkFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Faults of the replication link between a source database and its replica. Replication here is in-process
 * (binlog events handed from the source to the replica's receiver), so the link's faults are the ones replication
 * has a meaning for: a partition disconnects the replica's receiver (events stop arriving; both servers keep
 * serving their own clients) and healing reconnects it, resuming from its retrieved GTID set, as MySQL's IO thread
 * does. Replication lag is the replica's own setting ({@code databaseCluster().replica(name).shipDelay(..)});
 * resets and bandwidth have no in-process meaning and are refused.
 */
public final class ReplicationLinkFaults implements LinkFaults {

  private final String name;
  private final NodeContext context;
  private final Consumer<Boolean> cut;
  private final List<ActiveFault> active = new ArrayList<>();
  private boolean closed;

  /** @param cut disconnects ({@code true}) or reconnects ({@code false}) the replica's receiver */
  public ReplicationLinkFaults(String name, NodeContext context, Consumer<Boolean> cut) {
    this.name = name;
    this.context = context;
    this.cut = cut;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Fault partition() {
    return partition(Direction.BOTH);
  }

  @Override
  public synchronized Fault partition(Direction direction) {
    checkArgument(direction != null, "direction of partition() on %s must not be null", name);
    // As on the other links: a closed stack's cluster is gone, and a partition of it would report itself active.
    Checks.checkNotClosed(closed, "link " + name, context.stackName());
    ActiveFault[] handle = new ActiveFault[1];
    handle[0] = new ActiveFault(name, "replication partition (" + direction.name().toLowerCase(java.util.Locale.ROOT)
        + "): the replica's receiver is disconnected", context.events(), context.clock(), f -> undo(handle[0]));
    if (active.isEmpty()) {
      cut.accept(true);
    }
    active.add(handle[0]);
    return handle[0];
  }

  private synchronized void undo(ActiveFault fault) {
    active.remove(fault);
    // After the stack closed there is no replication left to heal: reconnecting would only log a "heal" of the
    // closed cluster (as if replication had resumed), as a fault undone by try-with-resources after the stack does.
    if (active.isEmpty() && !closed) {
      cut.accept(false);
    }
  }

  @Override
  public Fault latency(Duration latency) {
    throw unsupported("latency", "set the replica's lag with databaseCluster().replica(name).shipDelay(..)");
  }

  @Override
  public Fault latency(Duration latency, Duration jitter) {
    return latency(latency);
  }

  @Override
  public Fault reset() {
    throw unsupported("reset", "partition() and undo it, which reconnects the receiver from its GTID position");
  }

  @Override
  public Fault bandwidth(long bytesPerSecond) {
    throw unsupported("bandwidth", "delay the replica with databaseCluster().replica(name).shipDelay(..)");
  }

  private UnsupportedOperationException unsupported(String what, String instead) {
    return new UnsupportedOperationException("link " + name + " is a replication link, handed binlog events in "
        + "process: " + what + " has no meaning there; " + instead);
  }

  @Override
  public synchronized List<Fault> active() {
    return List.copyOf(active);
  }

  @Override
  public void heal() {
    active().forEach(Fault::undo);
  }

  /** Refuses faults from now on; called by the stack's close. */
  public synchronized void close() {
    closed = true;
  }
}
