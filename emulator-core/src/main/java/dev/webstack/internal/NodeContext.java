package dev.webstack.internal;

import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import java.net.InetAddress;
import org.xnio.XnioWorker;

/**
 * What every node of one stack shares: the stack's name, its one XNIO worker (one worker per stack boots about 3×
 * faster than one per server, platform.md §2), its buffer pool, and the loopback address all listeners bind.
 */
public record NodeContext(
    String stackName,
    XnioWorker worker,
    ByteBufferPool buffers,
    UndertowClient client,
    InetAddress loopback) {}
