package dev.webstack.internal;

import dev.webstack.ComponentSpec;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import dev.webstack.faults.NodeFaults;
import dev.webstack.inspection.NodeJournal;
import io.undertow.server.Connectors;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.xnio.IoUtils;

/**
 * A node that serves HTTP through Undertow on 127.0.0.1, sharing the stack's XNIO worker.
 *
 * <p>Closing an Undertow listener leaves established connections open, which a crashed
 * server would not. So the node tracks its connections and closes them when killed, and a request that still
 * arrives on one is answered by closing the connection, as a reset would.
 */
public abstract class HttpNode extends AbstractNode {

  private static final AttachmentKey<Boolean> TRACKED = AttachmentKey.create(Boolean.class);
  private static final int CLOSE_WAIT_SECONDS = 5;

  private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
  private final ServerConnection.CloseListener untrack = new Untrack();
  private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
  private final NodeFaultState faults;
  private final Journal journal;
  private volatile boolean accepting;
  private HttpListener server;
  private volatile int port;
  /**
   * While the node is down: a bound, non-listening socket on its port. Connections to the port are refused, as
   * by a crashed server, and no listener the JVM opens meanwhile (the stack's gateway, a fault relay, another
   * stack) can be given the port by {@code bind(0)}: one that was would receive this node's traffic (a web server
   * proxying to a killed application server's port then reached the gateway, which sent the request round
   * again). A restart closes it and takes the port back.
   */
  private SocketChannel portHold;
  private HttpHandler handler;

  protected HttpNode(NodeContext context, ComponentSpec spec) {
    super(context, spec);
    this.faults = new NodeFaultState(spec.name(), context, new ReleaseHeld(), new Closed());
    this.journal = new Journal(spec.name());
  }

  @Override
  public final NodeFaults faults() {
    return faults;
  }

  @Override
  public final NodeJournal journal() {
    return journal.snapshot();
  }

  /** The node's own handler, built once at first start. */
  protected abstract HttpHandler handler();

  @Override
  protected final void up() {
    if (handler == null) {
      handler = handler();
    }
    releasePort();
    accepting = true;
    try {
      server = HttpListener.open(context, context.loopback(), port, new Guard(), HttpListener.NODE_MAX_HEADER_BYTES);
    } catch (RuntimeException e) {
      accepting = false;
      throw e;
    }
    port = server.port();
    context.links().targetDown(name(), false);
  }

  @Override
  protected final void down() {
    accepting = false;
    context.links().targetDown(name(), true);
    held.clear(); // their connections close below; a hang undone later has nothing to resume
    HttpListener listener = server;
    server = null;
    if (isClosing()) {
      // The stack shuts its worker down next, and XNIO's shutdown closes every channel still registered, each on
      // its own thread (the listener with its JMX registration, on the accept thread; connections, running their
      // close listeners, on their I/O thread). Closing them here would wait for those threads, node after node.
      // Those closes reset rather than linger in TIME_WAIT (see AbortiveClose).
      for (ServerConnection c : connections) {
        AbortiveClose.onClose(c);
      }
      connections.clear();
      return;
    }
    if (listener != null) {
      listener.close();
      holdPort();
    }
    closeConnections();
  }

  @Override
  protected void release() throws Exception {
    releasePort();
  }

  private void holdPort() {
    try {
      SocketChannel hold = SocketChannel.open();
      hold.setOption(StandardSocketOptions.SO_REUSEADDR, false);
      hold.bind(new InetSocketAddress(context.loopback(), port));
      portHold = hold;
    } catch (IOException e) {
      log.debug("{}/{}: could not hold port {} while down; another listener may be given it", context.stackName(),
          name(), port, e);
    }
  }

  private void releasePort() {
    SocketChannel hold = portHold;
    portHold = null;
    if (hold != null) {
      try {
        hold.close();
      } catch (IOException e) {
        log.debug("{}/{}: closing the hold on port {} failed", context.stackName(), name(), port, e);
      }
    }
  }

  /**
   * Makes every connection this node has accepted close with a reset when it closes (see {@link AbortiveClose}).
   * The stack calls it on all its nodes before it closes any: a node that closes first closes its proxy
   * connections to the next tier, and a peer that answered that FIN with its own would leave the first side in
   * TIME_WAIT.
   */
  public final void abortConnectionsOnClose() {
    for (ServerConnection c : connections) {
      AbortiveClose.onClose(c);
    }
  }

  /**
   * Closes every tracked connection on its own I/O thread (Undertow runs a connection's close listeners, which
   * may return proxy connections to their pools, only there) and waits a bounded time for all of them.
   */
  private void closeConnections() {
    List<ServerConnection> open = new ArrayList<>(connections);
    connections.clear();
    CountDownLatch closed = new CountDownLatch(open.size());
    for (ServerConnection c : open) {
      try {
        c.getIoThread().execute(() -> {
          IoUtils.safeClose(c);
          closed.countDown();
        });
      } catch (RejectedExecutionException workerGone) {
        IoUtils.safeClose(c);
        closed.countDown();
      }
    }
    try {
      if (!closed.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("{}/{}: {} connections still open {} s after kill", context.stackName(), name(),
            closed.getCount(), CLOSE_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void guard(HttpServerExchange exchange) throws Exception {
    ServerConnection connection = exchange.getConnection();
    if (!accepting) {
      IoUtils.safeClose(connection);
      return;
    }
    if (connection.getAttachment(TRACKED) == null) {
      connection.putAttachment(TRACKED, Boolean.TRUE);
      connections.add(connection);
      connection.addCloseListener(untrack);
    }
    long start = System.nanoTime();
    Instant at = context.clock().instant();
    String method = exchange.getRequestMethod().toString();
    String query = exchange.getQueryString();
    String path = query == null || query.isEmpty() ? exchange.getRequestURI() : exchange.getRequestURI() + "?" + query;
    if (!framedByChunkedLast(exchange)) {
      badFraming(exchange, new Recording(start, at, method, path, NodeFaultState.Decision.NONE));
      return;
    }
    NodeFaultState.Decision decision = faults.decide(method, path);
    // Recorded when the answer starts, so the record exists before the client can read the response; an exchange
    // that ends without an answer (the connection closed) is recorded at its end with status 0.
    Recording recording = new Recording(start, at, method, path, decision);
    exchange.addResponseCommitListener(recording);
    exchange.addExchangeCompleteListener(recording);
    if (decision == NodeFaultState.Decision.NONE) {
      handler.handleRequest(exchange);
    } else if (decision.hang()) {
      exchange.dispatch(SameThreadExecutor.INSTANCE, () -> hold(exchange, decision));
    } else {
      afterHang(exchange, decision);
    }
  }

  /**
   * Whether the request's body length can be known: no {@code Transfer-Encoding}, or one whose last coding is
   * {@code chunked}. Undertow reads any other coding as chunked, so {@code Transfer-Encoding: gzip} reached the
   * node's handler and failed later (a balancer answered 503 "no server is available").
   */
  private static boolean framedByChunkedLast(HttpServerExchange exchange) {
    HeaderValues codings = exchange.getRequestHeaders().get(Headers.TRANSFER_ENCODING);
    if (codings == null || codings.isEmpty()) {
      return true;
    }
    String last = codings.getLast();
    String coding = last.substring(last.lastIndexOf(',') + 1).trim();
    return coding.equalsIgnoreCase("chunked");
  }

  /**
   * RFC 9112 §6.3: a request whose {@code Transfer-Encoding} does not end in {@code chunked} has no reliable body
   * length; the server answers 400 and closes the connection, before faults or the node's handler see it, as
   * HAProxy rejects it while parsing (nginx answers 501 for an unknown coding). The node's journal records it.
   * The page is plain text in every role, not HAProxy's or nginx's own.
   */
  private void badFraming(HttpServerExchange exchange, Recording recording) {
    exchange.addResponseCommitListener(recording);
    exchange.addExchangeCompleteListener(recording);
    exchange.setPersistent(false);
    exchange.setStatusCode(StatusCodes.BAD_REQUEST);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
    exchange.getResponseSender().send("400 Bad Request: Transfer-Encoding must end in chunked\n");
  }

  /**
   * Records one exchange in the journal: when its answer starts, or at its end with status 0 when it ended without
   * one. One object for both listeners (rather than two lambdas, which a cold JVM links on their first request).
   */
  private final class Recording implements ResponseCommitListener, ExchangeCompletionListener {
    private final long start;
    private final Instant at;
    private final String method;
    private final String path;
    private final NodeFaultState.Decision decision;

    Recording(long start, Instant at, String method, String path, NodeFaultState.Decision decision) {
      this.start = start;
      this.at = at;
      this.method = method;
      this.path = path;
      this.decision = decision;
    }

    /**
     * Also called when the connection closed under an exchange that had not answered (Undertow terminates the
     * response then, with the default status 200): no answer left the node, so that is recorded as status 0.
     */
    @Override
    public void beforeCommit(HttpServerExchange ex) {
      if (!ex.getResponseHeaders().contains(Headers.DATE)) { // a proxied response keeps its upstream's, as HAProxy does
        ex.getResponseHeaders().put(Headers.DATE, HttpDate.now());
      }
      journal.record(at, method, path, ex.getConnection().isOpen() ? ex.getStatusCode() : 0,
          System.nanoTime() - start, ex.getAttachment(Proxying.UPSTREAM), decision.fault());
    }

    @Override
    public void exchangeEvent(HttpServerExchange ex, NextListener next) {
      if (!ex.isResponseStarted()) {
        journal.record(at, method, path, 0, System.nanoTime() - start, ex.getAttachment(Proxying.UPSTREAM),
            decision.fault());
      }
      next.proceed();
    }
  }

  /** The listener's handler: every request passes the node's state and faults first. */
  private final class Guard implements HttpHandler {
    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
      guard(exchange);
    }
  }

  /** Runs the held requests when the last hang is undone. */
  private final class ReleaseHeld implements Runnable {
    @Override
    public void run() {
      releaseHeld();
    }
  }

  /** Whether the stack closed this node for good (a class, not a lambda: see {@link Recording}). */
  private final class Closed implements java.util.function.BooleanSupplier {
    @Override
    public boolean getAsBoolean() {
      return isClosing();
    }
  }

  /** Forgets a tracked connection once it closes. */
  private final class Untrack implements ServerConnection.CloseListener {
    @Override
    public void closed(ServerConnection connection) {
      connections.remove(connection);
    }
  }

  /** Holds a request until no hang is left; re-checks after queueing so an undo racing with it loses nothing. */
  private void hold(HttpServerExchange exchange, NodeFaultState.Decision decision) {
    held.add(() -> exchange.getIoThread().execute(() -> resume(exchange, ex -> afterHang(ex, decision))));
    if (!faults.isHanging()) {
      releaseHeld();
    }
  }

  private void releaseHeld() {
    Runnable r;
    while ((r = held.poll()) != null) {
      try {
        r.run();
      } catch (RejectedExecutionException workerGone) {
        log.debug("{}/{}: a held request was dropped as the stack closed", context.stackName(), name());
      }
    }
  }

  private void afterHang(HttpServerExchange exchange, NodeFaultState.Decision decision) throws Exception {
    if (decision.delayNanos() > 0) {
      if (!exchange.isDispatched()) {
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> delay(exchange, decision));
      } else {
        delay(exchange, decision);
      }
      return;
    }
    afterDelay(exchange, decision);
  }

  private void delay(HttpServerExchange exchange, NodeFaultState.Decision decision) {
    // On a worker thread when the exchange was dispatched already: IoTimers then makes the I/O thread see the timer.
    IoTimers.executeAfter(exchange.getIoThread(), () -> resume(exchange, ex -> afterDelay(ex, decision)),
        decision.delayNanos(), TimeUnit.NANOSECONDS);
  }

  /** Continues a dispatched exchange as a fresh root handler call, unless the node went down meanwhile. */
  private void resume(HttpServerExchange exchange, HttpHandler next) {
    if (!accepting) {
      IoUtils.safeClose(exchange.getConnection());
      return;
    }
    Connectors.executeRootHandler(next, exchange);
  }

  private void afterDelay(HttpServerExchange exchange, NodeFaultState.Decision decision) throws Exception {
    if (decision.failStatus() > 0) {
      exchange.setStatusCode(decision.failStatus());
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
      exchange.getResponseHeaders().put(Proxying.SERVED_BY, name());
      exchange.getResponseSender().send(decision.failStatus() + " " + StatusCodes.getReason(decision.failStatus())
          + "\n");
      return;
    }
    handler.handleRequest(exchange);
  }

  @Override
  public final InetSocketAddress address() {
    return new InetSocketAddress(context.loopback(), port);
  }

  /** The loopback port; 0 before the first start. */
  public final int port() {
    return port;
  }
}
