package dev.webstack.internal;

import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.channels.AcceptingChannel;

/**
 * One plain-HTTP Undertow listener on the stack's shared XNIO worker: what {@code Undertow.builder()...start()}
 * sets up for an HTTP listener (an {@link HttpOpenListener} behind an accepting channel, with Undertow's default
 * socket and server options), without the rest of {@code Undertow.start()}.
 *
 * <p>Why not {@code Undertow} itself: every {@code Undertow.start()} calls {@code Xnio.getInstance()}, which runs a
 * {@code ServiceLoader} over the class path and constructs a new XNIO provider (probing selector providers and
 * trying to register a JMX bean) even when a worker is supplied: about a tenth of a stack's warm start, for nothing
 * the listener uses.
 */
final class HttpListener {

  /** Undertow 2.4's socket options for a listener ({@code Undertow.start()}). */
  private static final OptionMap SOCKET_OPTIONS = OptionMap.builder()
      .set(Options.TCP_NODELAY, true)
      .set(Options.REUSE_ADDRESSES, true)
      .set(Options.BALANCING_TOKENS, 1)
      .set(Options.BALANCING_CONNECTIONS, 2)
      .set(Options.BACKLOG, 1000)
      .getMap();

  /**
   * Undertow 2.4's server options for an HTTP listener ({@code Undertow.start()}), except the {@code Date} header,
   * which the nodes set themselves ({@link HttpDate}).
   */
  private static final OptionMap SERVER_OPTIONS = OptionMap.builder()
      .set(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
      .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
      .set(UndertowOptions.ALWAYS_SET_DATE, false)
      .getMap();

  /**
   * A node's limit on a request's line and headers together: HAProxy's default buffer ({@code tune.bufsize}
   * 16384), beyond which it refuses a request with 400, where Undertow's own default is 1 MiB. Undertow answers
   * 400 and closes too. Difference from nginx (web servers): nginx answers 414 for a request line, and 400 for a
   * single header line, above 8 KiB ({@code large_client_header_buffers 4 8k}); gunicorn (application servers)
   * refuses a request line above 4094 bytes with 414.
   */
  static final int NODE_MAX_HEADER_BYTES = 16_384;

  /** The gateway's (Squid's {@code request_header_max_size}, 64 KiB). */
  static final int GATEWAY_MAX_HEADER_BYTES = 65_536;

  private final AcceptingChannel<? extends StreamConnection> channel;

  private HttpListener(AcceptingChannel<? extends StreamConnection> channel) {
    this.channel = channel;
  }

  /**
   * Binds {@code address:port} (port 0: the OS picks) and starts accepting; requests go to {@code handler}.
   *
   * @throws UncheckedIOException when the address cannot be bound (for example the port is taken)
   */
  static HttpListener open(NodeContext context, InetAddress address, int port, HttpHandler handler,
      int maxHeaderBytes) {
    HttpOpenListener open = new HttpOpenListener(context.buffers(),
        OptionMap.builder().addAll(SERVER_OPTIONS).set(UndertowOptions.MAX_HEADER_SIZE, maxHeaderBytes).getMap());
    open.setRootHandler(handler);
    ChannelListener<AcceptingChannel<StreamConnection>> accept = ChannelListeners.openListenerAdapter(open);
    try {
      AcceptingChannel<? extends StreamConnection> channel = context.worker()
          .createStreamConnectionServer(new InetSocketAddress(address, port), accept, SOCKET_OPTIONS);
      channel.resumeAccepts();
      return new HttpListener(channel);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address.getHostAddress() + ":" + port + ": "
          + e.getMessage(), e);
    }
  }

  /** The bound port. */
  int port() {
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  /** Stops accepting and closes the listening socket; established connections stay open (as with Undertow). */
  void close() {
    IoUtils.safeClose(channel);
  }
}
