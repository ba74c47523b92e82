package dev.webstack.internal;

import static dev.webstack.internal.Checks.checkState;

import dev.webstack.ComponentKind;
import dev.webstack.ComponentSpec;
import dev.webstack.Host;
import dev.webstack.Node;
import dev.webstack.faults.NodeFaults;
import dev.webstack.inspection.NodeJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle every node shares: NEW, then RUNNING and KILLED as often as the test likes, then CLOSED for good.
 * Transitions are synchronized per node; subclasses say how to bring their resource up and down.
 */
public abstract class AbstractNode implements Node {

  /** Where a node is in its life. */
  protected enum State { NEW, RUNNING, KILLED, CLOSED }

  protected final Logger log;
  protected final NodeContext context;
  private final ComponentSpec spec;
  private HostRuntime host;
  private volatile State state = State.NEW;

  protected AbstractNode(NodeContext context, ComponentSpec spec) {
    this.context = context;
    this.spec = spec;
    // One logger per class, not per stack: logger factories keep every name they were asked for.
    this.log = LoggerFactory.getLogger(getClass());
  }

  /** Called once by the host that owns the node, before the node starts. */
  void attach(HostRuntime host) {
    this.host = host;
  }

  /** Binds the node's resource; on a restart, on the same port as before. */
  protected abstract void up() throws Exception;

  /** Releases the node's resource as a crash would; {@link #up()} may follow. */
  protected abstract void down() throws Exception;

  /** Releases everything for good; called once, after {@link #down()} when the node was running. */
  protected void release() throws Exception {}

  /**
   * True once the stack is closing this node for good (in {@link #down()} and {@link #release()} called by
   * {@link #close()}), false while it is killed: a node may then skip work whose only purpose is to make a kill
   * visible at once, since the stack releases the rest right after.
   */
  protected final boolean isClosing() {
    return state == State.CLOSED;
  }

  @Override
  public final String name() {
    return spec.name();
  }

  @Override
  public final ComponentKind kind() {
    return spec.kind();
  }

  @Override
  public final Host host() {
    return host;
  }

  @Override
  public final int modeledPort() {
    return spec.port();
  }

  @Override
  public final boolean isRunning() {
    return state == State.RUNNING;
  }

  /** Only HTTP nodes have request faults; the database is broken by killing it or through its links. */
  @Override
  public NodeFaults faults() {
    throw new UnsupportedOperationException(name() + " is a " + kind().standsFor() + " node: it has no request "
        + "faults; kill() it, or break the link to it with stack.link(from, \"" + name() + "\")");
  }

  /** Only HTTP nodes keep a request journal. */
  @Override
  public NodeJournal journal() {
    throw new UnsupportedOperationException(name() + " is a " + kind().standsFor() + " node: it keeps no request "
        + "journal; see stack.events() for what happened to it");
  }

  /** First start, by the stack. */
  public final synchronized void start() throws Exception {
    checkState(state == State.NEW, "%s was already started", name());
    up();
    state = State.RUNNING;
    log.debug("{}/{} started on {}", context.stackName(), name(), address());
  }

  @Override
  public final synchronized void kill() {
    checkNotClosed();
    if (state != State.RUNNING) {
      return;
    }
    state = State.KILLED;
    try {
      down();
    } catch (Exception e) {
      throw new IllegalStateException("could not kill " + name() + ": " + e.getMessage(), e);
    }
    context.events().record(name(), "kill", name() + " is down");
    log.debug("{}/{} killed", context.stackName(), name());
  }

  @Override
  public final synchronized void restart() {
    checkNotClosed();
    checkState(host.isUp(), "%s cannot restart while its host %s is down; restart the host instead",
        name(), host.name());
    kill();
    startAgain();
  }

  /** Starts a killed node again; used by {@link #restart()} and by the host. */
  final synchronized void startAgain() {
    checkNotClosed();
    if (state == State.RUNNING) {
      return;
    }
    try {
      up();
    } catch (Exception e) {
      throw new IllegalStateException("could not restart " + name() + ": " + e.getMessage(), e);
    }
    state = State.RUNNING;
    context.events().record(name(), "start", name() + " is up again on port " + address().getPort());
    log.debug("{}/{} restarted on {}", context.stackName(), name(), address());
  }

  /** Stops for good, by the stack's close; idempotent. */
  public final synchronized void close() throws Exception {
    State before = state;
    state = State.CLOSED;
    if (before == State.CLOSED) {
      return;
    }
    Exception failure = null;
    try {
      if (before == State.RUNNING) {
        down();
      }
    } catch (Exception e) {
      failure = e;
    }
    try {
      release();
    } catch (Exception e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Throws once the stack closed this node: what its host checks before changing anything. */
  final void checkNotClosed() {
    Checks.checkNotClosed(state == State.CLOSED, name(), context.stackName());
  }

  @Override
  public String toString() {
    return name() + " (" + kind().standsFor() + " role) on " + (host == null ? "?" : host.name()) + ", "
        + state.name().toLowerCase(java.util.Locale.ROOT);
  }
}
