package dev.webstack.internal;

import dev.webstack.faults.LinkFaults.Direction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP relay on loopback that carries one {@link Link}'s connections while faults are active on it, like a
 * Toxiproxy proxy: each accepted connection is paired with a connection to the link's target and two pump
 * threads copy bytes, holding them during a partition, delaying them by the link's latency, pacing them to its
 * bandwidth, or resetting both sides. Blocking I/O on plain threads keeps every fault a few lines; the relay
 * exists only while a fault does, so its threads cost nothing on a healthy stack.
 */
final class LinkRelay {

  private static final Logger LOG = LoggerFactory.getLogger(LinkRelay.class);
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  /** How long closing the listener waits for the accept thread to leave {@code accept()} ({@link #stopListening}). */
  private static final long ACCEPT_EXIT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** The faults in force, as the pumps read them. Immutable; replaced as a whole. */
  record Settings(boolean forwardCut, boolean backwardCut, long latencyNanos, long jitterNanos, boolean reset,
      long bytesPerSecond) {
    static final Settings CLEAN = new Settings(false, false, 0, 0, false, 0);

    boolean cut(Direction way) {
      return way == Direction.FORWARD ? forwardCut : backwardCut;
    }
  }

  private final Link link;
  private final ThreadFactory threads;
  private final Set<SocketChannel> sockets = ConcurrentHashMap.newKeySet();
  private final List<Thread> started = new ArrayList<>();
  private final SplittableRandom jitter;
  private volatile InetSocketAddress address;
  private ServerSocketChannel server;
  /**
   * The listener the accept thread is in (or about to enter) {@code accept()} on, else null. Guarded by its own
   * lock, {@link #acceptGate}, so that a closer holding the relay's lock can wait for the accept thread.
   */
  private ServerSocketChannel accepting;
  private final Object acceptGate = new Object();
  /** Keeps the listener's port from other listeners while a partition has the listener closed; else null. */
  private SocketChannel portHold;
  private volatile Settings settings = Settings.CLEAN;
  /** The target node is down: the relay does not listen either (see {@link #targetDown}). Guarded by this. */
  private boolean targetDown;
  private volatile boolean closed;

  LinkRelay(Link link, ThreadFactory threads, SplittableRandom jitter) throws IOException {
    this.link = link;
    this.threads = threads;
    this.jitter = jitter;
    this.server = open(new InetSocketAddress(link.targetAddress().getAddress(), 0));
    this.address = (InetSocketAddress) server.getLocalAddress();
    spawn("accept", this::acceptLoop);
  }

  /**
   * A listener whose port no other socket in the JVM can be given while any of the relay's sockets uses it: on
   * Linux (and the BSDs) with {@code SO_REUSEADDR} off and {@code SO_REUSEPORT} on, the port's accepted connections
   * and the {@linkplain #holdPort hold} conflict with every bind that does not also set {@code SO_REUSEPORT} (no
   * listener of this library or Undertow does), yet not with each other, so the relay can hold its port and listen
   * on it again while the connections of a partition are still open. Elsewhere, {@code SO_REUSEADDR} on and no
   * hold while connections are open.
   */
  private static ServerSocketChannel open(InetSocketAddress at) throws IOException {
    ServerSocketChannel s = ServerSocketChannel.open();
    try {
      if (s.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
        s.setOption(StandardSocketOptions.SO_REUSEADDR, false);
        s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      } else {
        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      }
      s.bind(at);
    } catch (IOException | RuntimeException e) {
      closeQuietly(s);
      throw e;
    }
    return s;
  }

  InetSocketAddress address() {
    return address;
  }

  /**
   * Applies new settings: a partition stops the listener, a reset cuts every connection, pumps wake up.
   *
   * <p>While partitioned the listener is closed, so that new connections are refused as across a real cut, and its
   * port is held by a bound, unconnected socket (as a killed node's is) so that no other listener in the JVM, another
   * stack's included, is given it meanwhile. Should the port still be taken when the partition ends, the relay
   * listens on a new one: the caller then routes the link there ({@link #address()} changed).
   */
  synchronized void apply(Settings next) {
    boolean listened = listens();
    settings = next;
    notifyAll();
    relisten(listened);
    if (next.reset()) {
      sockets.forEach(LinkRelay::reset);
    }
  }

  /**
   * The target node went down (or came back). A relay accepts a connection before it connects on to the target,
   * so while the target is down it would accept what the target refuses, and the client (a health check's connect,
   * a proxy's) would see a connection that then breaks instead of a refusal: a killed server would pass TCP checks
   * and a request to it would count as sent. So the relay stops listening too, as for a partition.
   */
  synchronized void targetDown(boolean down) {
    boolean listened = listens();
    targetDown = down;
    notifyAll();
    relisten(listened);
  }

  /** Whether the listener should be open; caller holds the lock. */
  private boolean listens() {
    return !closed && !targetDown && !settings.forwardCut() && !settings.backwardCut();
  }

  /** Closes (holding the port) or reopens the listener after a change; caller holds the lock. */
  private void relisten(boolean listened) {
    boolean listen = listens();
    if (listened && !listen) {
      stopListening(); // new connections are refused
      holdPort();
    } else if (!listened && listen) {
      reopen();
    }
  }

  /**
   * Closes the listener and returns only once it no longer accepts: once the accept thread left {@code accept()}.
   *
   * <p>Closing a {@link ServerSocketChannel} that a thread is blocked accepting on does not close the socket: the
   * JDK swaps its descriptor for a dead one and signals the thread, and the listening socket lives on, still
   * completing handshakes, until that thread wakes and drops it; if a connection is queued by then, the blocked
   * {@code accept()} returns it (the kernel hands out a queued connection before it looks at the signal). On a busy
   * machine the thread can wait milliseconds for a CPU, while the caller goes on to route the link to the relay: a
   * balancer's connection then reached the relay and was relayed into the partition, so a connect that should have
   * been refused (and redispatched to another server) succeeded and the request hung until the server timeout.
   * Waiting here makes a partition refuse every connection opened after {@link #apply} returned.
   */
  private void stopListening() {
    ServerSocketChannel old = server;
    closeQuietly(old);
    synchronized (acceptGate) {
      long deadline = System.nanoTime() + ACCEPT_EXIT_WAIT_NANOS;
      long left;
      while (accepting == old && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(acceptGate, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (accepting == old) {
        LOG.warn("link {}: the relay's accept thread did not leave accept() within {} ms of the listener's close; "
            + "it may still accept a connection", link.name(), TimeUnit.NANOSECONDS.toMillis(ACCEPT_EXIT_WAIT_NANOS));
      }
    }
  }

  private void holdPort() {
    try {
      SocketChannel hold = SocketChannel.open();
      try {
        hold.setOption(StandardSocketOptions.SO_REUSEADDR, false);
        if (hold.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
          hold.setOption(StandardSocketOptions.SO_REUSEPORT, true); // beside the partition's open connections
        }
        hold.bind(address);
      } catch (IOException e) {
        closeQuietly(hold);
        throw e;
      }
      portHold = hold;
    } catch (IOException e) {
      LOG.debug("link {}: could not hold port {} while partitioned: {}", link.name(), address, e.toString());
    }
  }

  private void reopen() {
    if (portHold != null) {
      closeQuietly(portHold);
      portHold = null;
    }
    try {
      server = open(address);
    } catch (IOException taken) {
      try {
        server = open(new InetSocketAddress(address.getAddress(), 0));
      } catch (IOException e) {
        e.addSuppressed(taken);
        throw new IllegalStateException("link " + link.name() + ": could not reopen its relay on "
            + address.getAddress().getHostAddress() + ": " + e.getMessage(), e);
      }
      InetSocketAddress old = address;
      address = localAddress(server);
      LOG.debug("link {}: port {} was taken while partitioned ({}); the relay now listens on {}", link.name(),
          old.getPort(), taken.toString(), address.getPort());
    }
  }

  private static InetSocketAddress localAddress(ServerSocketChannel s) {
    try {
      return (InetSocketAddress) s.getLocalAddress();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      ServerSocketChannel s;
      synchronized (this) {
        s = server;
      }
      SocketChannel client;
      synchronized (acceptGate) {
        accepting = s; // a close from now on waits for this accept to return (stopListening)
      }
      try {
        try {
          client = s.accept();
        } finally {
          acceptReturned(); // before anything below takes the relay's lock, which a waiting closer holds
        }
      } catch (ClosedChannelException e) {
        if (!awaitListener(s)) {
          return;
        }
        continue;
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("link {}: accept failed; the relay stops accepting", link.name(), e);
        }
        return;
      }
      // A connection accepted as the listener closed came in before the close returned (stopListening), so before
      // the fault that closed it was applied: it is relayed as any connection open across the fault is.
      connect(client);
    }
  }

  private void acceptReturned() {
    synchronized (acceptGate) {
      accepting = null;
      acceptGate.notifyAll();
    }
  }

  /** Waits until the listener was reopened after a partition; false when the relay closed meanwhile. */
  private synchronized boolean awaitListener(ServerSocketChannel old) {
    while (!closed && server == old) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !closed;
  }

  private void connect(SocketChannel client) {
    if (settings.reset()) {
      reset(client);
      return;
    }
    sockets.add(client);
    SocketChannel upstream = null;
    try {
      upstream = SocketChannel.open();
      sockets.add(upstream);
      upstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
      client.setOption(StandardSocketOptions.TCP_NODELAY, true);
      upstream.socket().connect(link.targetAddress(), CONNECT_TIMEOUT_MS);
    } catch (IOException refused) {
      // The target is down: the client's connection is reset, the nearest a relay can come to a refusal.
      LOG.debug("link {}: target refused ({}); resetting the client's connection", link.name(), refused.toString());
      reset(client);
      sockets.remove(client);
      if (upstream != null) {
        closeQuietly(upstream);
        sockets.remove(upstream);
      }
      return;
    }
    SocketChannel target = upstream;
    Pair pair = new Pair(client, target);
    spawn("forward", () -> pump(pair, client, target, Direction.FORWARD));
    spawn("backward", () -> pump(pair, target, client, Direction.BACKWARD));
  }

  /** One relayed connection: closed once both directions ended, reset at once when either fails. */
  private final class Pair {
    private final SocketChannel client;
    private final SocketChannel upstream;
    private int ended;

    Pair(SocketChannel client, SocketChannel upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    synchronized void ended() {
      if (++ended == 2) {
        closeQuietly(client);
        closeQuietly(upstream);
        sockets.remove(client);
        sockets.remove(upstream);
      }
    }

    void fail() {
      reset(client);
      reset(upstream);
      sockets.remove(client);
      sockets.remove(upstream);
    }
  }

  private void pump(Pair pair, SocketChannel in, SocketChannel out, Direction way) {
    ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
    long paced = System.nanoTime();
    long lastDue = 0;
    try {
      while (true) {
        buffer.clear();
        int n = in.read(buffer);
        if (n < 0) {
          out.shutdownOutput();
          pair.ended();
          return;
        }
        long readAt = System.nanoTime();
        Settings s = awaitPassable(way);
        if (s == null) {
          pair.fail();
          return;
        }
        long due = readAt + s.latencyNanos() + drawJitter(s.jitterNanos());
        due = Math.max(due, lastDue); // jitter never reorders bytes
        lastDue = due;
        if (s.bytesPerSecond() > 0) {
          paced = Math.max(paced, System.nanoTime()) + TimeUnit.SECONDS.toNanos(n) / s.bytesPerSecond();
          due = Math.max(due, paced);
        }
        parkUntil(due);
        buffer.flip();
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
    } catch (IOException e) {
      // One side closed or was reset: take the other down the same way.
      LOG.debug("link {} {}: {}", link.name(), way, e.toString());
      pair.fail();
    }
  }

  private synchronized long drawJitter(long jitterNanos) {
    return jitterNanos == 0 ? 0 : jitter.nextLong(-jitterNanos, jitterNanos + 1);
  }

  /** Blocks while this direction is cut; the settings to apply, or null once the relay closed. */
  private synchronized Settings awaitPassable(Direction way) {
    while (!closed && settings.cut(way)) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return closed ? null : settings;
  }

  private void parkUntil(long due) {
    long wait;
    while ((wait = due - System.nanoTime()) > 0 && !closed) {
      LockSupport.parkNanos(wait);
    }
  }

  private static void reset(SocketChannel socket) {
    try {
      if (socket.isOpen()) {
        socket.setOption(StandardSocketOptions.SO_LINGER, 0); // close() now sends RST
      }
    } catch (IOException e) {
      LOG.trace("could not set SO_LINGER on {}", socket, e);
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      LOG.trace("closing {} failed", c, e);
    }
  }

  private synchronized void spawn(String role, Runnable body) {
    Thread t = threads.newThread(body);
    t.setName(t.getName() + " " + role);
    started.removeIf(th -> !th.isAlive());
    started.add(t);
    t.start();
  }

  /** Closes the listener and every connection, and waits for the relay's threads. */
  void close(long waitMillis) throws InterruptedException {
    List<Thread> toJoin;
    synchronized (this) {
      closed = true;
      notifyAll();
      closeQuietly(server);
      if (portHold != null) {
        closeQuietly(portHold);
        portHold = null;
      }
      toJoin = new ArrayList<>(started);
    }
    sockets.forEach(LinkRelay::closeQuietly);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    for (Thread t : toJoin) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    List<String> alive = toJoin.stream().filter(Thread::isAlive).map(Thread::getName).toList();
    Checks.checkState(alive.isEmpty(), "relay threads of link %s still run after close: %s", link.name(), alive);
  }
}
