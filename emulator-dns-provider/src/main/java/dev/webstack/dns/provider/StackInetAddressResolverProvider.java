package dev.webstack.dns.provider;

import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;

/**
 * Makes the whole JVM resolve the names of the running stacks' zones: with this jar on the class path,
 * {@code InetAddress.getByName("www.foobar.com")} answers {@code 127.0.0.1} while a stack serving {@code foobar.com}
 * runs, and so does every client that resolves names through {@link java.net.InetAddress}, such as a plain {@code
 * HttpClient.newHttpClient()} or a {@link java.net.URL} connection.
 *
 * <pre>{@code
 * try (EmulatedStack stack = StackSpec.distributed().start()) {
 *   int port = stack.balancer().orElseThrow().address().getPort();
 *   HttpResponse<String> r = HttpClient.newHttpClient().send(
 *       HttpRequest.newBuilder(URI.create("http://www.foobar.com:" + port + "/api/posts")).build(), ofString());
 * }
 * }</pre>
 *
 * <h2>Why a module of its own, on JDK 18+ only</h2>
 *
 * {@link InetAddressResolverProvider} (JEP 418) exists from JDK 18 on, while the rest of the library runs on JDK 17;
 * this module is compiled with {@code --release 18} and built only by the parent's {@code jdk18-dns-provider}
 * profile. JDK 17 has no supported way to change the JVM's resolver; there, reach a stack's names through
 * {@code stack.httpClient()} (the stack's gateway as proxy), {@code stack.uri(url)} (a loopback URL) or {@code
 * stack.proxyAddress()}, which resolve through their own stack on any JDK and need no JVM-wide state.
 *
 * <h2>Installed once, at the JVM's first lookup</h2>
 *
 * The JDK picks its resolver once, at the first name lookup of the JVM's life, with {@link java.util.ServiceLoader}
 * (through {@code META-INF/services/java.net.spi.InetAddressResolverProvider}, using the context class loader of the
 * thread that makes that lookup), and keeps it until the JVM exits. The jar must therefore be on the startup class
 * path (or module path), next to {@code emulator-core}: a jar added later, or in a child class loader, is never
 * consulted. The JDK loads no provider at all when {@code -Djdk.net.hosts.file} is set. Stacks, on the other hand,
 * may start and close at any time: every lookup asks {@link dev.webstack.dns.JvmDnsRegistry} which stacks run now.
 *
 * <h2>What it answers</h2>
 *
 * <ul>
 *   <li>A name inside a running stack's zone that has a record there resolves to the loopback address {@code
 *       127.0.0.1}, whatever modeled address (8.8.8.8, 10.0.0.11) the zone gives it, because every node of every
 *       stack listens on loopback. The {@link java.net.InetAddress} carries the name as asked.
 *   <li>A name inside a running stack's zone without a record fails with an {@link java.net.UnknownHostException}
 *       that names the zone (NXDOMAIN); it does not fall through, as the stack is the zone's authority.
 *   <li>A name no running stack's zone covers ({@code localhost}, {@code example.org}, a closed stack's names) falls
 *       through to the JDK's built-in resolver (hosts file, then the system's DNS), exactly as without this jar.
 *   <li>Reverse lookups ({@link java.net.InetAddress#getCanonicalHostName()}) always go to the built-in resolver:
 *       {@code 127.0.0.1} stays {@code localhost}.
 *   <li>The loopback address is the one every stack listens on: IPv4 {@code 127.0.0.1} itself, also under {@code
 *       -Djava.net.preferIPv6Addresses=true} (stacks do not use {@link java.net.InetAddress#getLoopbackAddress()},
 *       which is {@code ::1} then). A lookup whose {@linkplain InetAddressResolver.LookupPolicy policy} excludes
 *       IPv4 (the JDK asks for IPv6 only when the host has no IPv4) fails with an {@link
 *       java.net.UnknownHostException} that says so; there is no AAAA record to fall back on.
 * </ul>
 *
 * <h2>DNS carries no ports</h2>
 *
 * A name resolves to an address only; the port comes from the URL. Stacks' nodes listen on ports the OS picks, so
 * a URL with the modeled port ({@code http://www.foobar.com/}, port 80) reaches nothing, or something else. Use the
 * loopback port of the node the name leads to: {@code stack.balancer().get().address().getPort()} for the entry
 * point, or {@code stack.uri("http://www.foobar.com/").getPort()}, which routes any of the zone's names to the node
 * behind it. The {@code Host} header stays {@code www.foobar.com:<port>}, as the application sees it.
 *
 * <h2>Other providers win if found first</h2>
 *
 * The JDK uses the first provider {@link java.util.ServiceLoader} finds and ignores the others; providers do not
 * chain. With another provider earlier on the class path, for example dnsjava 3.7.1 (which registers {@code
 * org.xbill.DNS.spi.DnsjavaInetAddressResolverProvider}), that one is installed and this one is never called. Put
 * this jar before the other one, or leave the other out of the JVM that runs stacks. {@link
 * InetAddressResolverProvider.Configuration#builtinResolver()}, where names fall through to, is always the JDK's
 * own resolver, never another provider.
 *
 * <h2>Two stacks of the same zone</h2>
 *
 * Stacks are independent, so two stacks serving {@code foobar.com} may run at once, but the JVM has one resolver
 * and cannot tell which one a caller means. While both run, every lookup of a name in that zone fails with an
 * {@link java.net.UnknownHostException} naming the stacks and pointing to {@code stack.httpClient()} and {@code
 * stack.uri(url)}, which resolve through their own stack. Names outside the zone are not affected.
 *
 * <h2>DNS faults</h2>
 *
 * Faults made on a stack's DNS ({@code stack.dns().nxdomain(..)}, {@code servfail(..)}, {@code slow(..)}, record
 * changes) reach {@code InetAddress} as the JDK's own resolver reports them on Linux: NXDOMAIN as {@code
 * java.net.UnknownHostException: www.foobar.com: Name or service not known (...)}, SERVFAIL as {@code ...:
 * Temporary failure in name resolution (...)}, the zone's reason in parentheses; a slow name makes the lookup
 * wait. A record changed to another modeled address still resolves to {@code 127.0.0.1}, since every node listens
 * on loopback: through this provider, only a name that stops resolving is visible, not a move from one host to
 * another (use {@code stack.httpClient()} or {@code stack.uri(..)} for that; they route by modeled address).
 *
 * <h2>Caching: the JVM's, not the record's TTL</h2>
 *
 * The JDK caches lookups above any provider, for its own times, not the records' TTLs: answers for 30 s and
 * failures for 10 s by default ({@code networkaddress.cache.ttl}, {@code networkaddress.cache.negative.ttl}; answers
 * forever under a security manager). A provider cannot shorten them. So with the defaults, a fault made on a name
 * the JVM resolved less than 30 s ago is not seen until that answer expires; a healed fault is not seen for up to
 * 10 s; and a name may keep resolving to {@code 127.0.0.1} for a while after its stack closed, or keep failing after
 * a stack serving it started. Tests that make DNS faults, or start and close stacks of the same zone, should set
 * both security properties to {@code 0} before the JVM's first lookup, for example with {@code
 * -Djava.security.properties=<file>} on the test JVM's command line (as this module's own tests do), or to the
 * times they want to test against.
 *
 * <p>Thread-safe; stateless apart from the built-in resolver it delegates to.
 */
public final class StackInetAddressResolverProvider extends InetAddressResolverProvider {

  /** The value of {@link #name()}. */
  public static final String NAME = "webstack-emulator";

  /** Called by {@link java.util.ServiceLoader}. */
  public StackInetAddressResolverProvider() {}

  @Override
  public InetAddressResolver get(Configuration configuration) {
    return new StackInetAddressResolver(configuration.builtinResolver());
  }

  @Override
  public String name() {
    return NAME;
  }
}
