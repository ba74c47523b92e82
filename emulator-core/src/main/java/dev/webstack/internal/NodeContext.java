package dev.webstack.internal;

import dev.webstack.StackClock;
import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import java.net.InetAddress;
import java.util.concurrent.Executor;
import org.xnio.XnioWorker;

/**
 * What every node of one stack shares: the stack's name, its one XNIO worker (one worker per stack boots about 3×
 * faster than one per server, platform.md §2), its buffer pool, the loopback address all listeners bind, the
 * stack's clock, its seeded randomness, its event log, the links between components, and the task pool for
 * blocking work (health checks on the real clock, for example).
 */
public record NodeContext(
    String stackName,
    XnioWorker worker,
    ByteBufferPool buffers,
    UndertowClient client,
    InetAddress loopback,
    StackClock clock,
    Randomness random,
    EventLog events,
    Links links,
    Executor tasks) {}
