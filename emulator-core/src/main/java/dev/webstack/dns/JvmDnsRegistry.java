package dev.webstack.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The running stacks' zones, as seen by the JVM-wide resolver of the {@code emulator-dns-provider} module (JDK 18+
 * {@code java.net.spi.InetAddressResolverProvider}).
 *
 * <p>This is the library's only JVM-wide state, and it exists because the JDK's resolver is JVM-wide. Stacks add
 * their zone when they start and remove it when they close. A name no running stack's zone covers is not answered
 * here, so the JDK's own resolver gets it. The per-stack paths ({@code stack.httpClient()}, {@code stack.uri(..)})
 * never consult this registry.
 */
public final class JvmDnsRegistry {

  /** One running stack's zone and the loopback address its names resolve to. */
  private record Entry(String stackName, StackResolver resolver, InetAddress loopback) {}

  private static final List<Entry> ENTRIES = new CopyOnWriteArrayList<>();

  /** Matches the entry of one stack. */
  private static final class OfStack implements Predicate<Entry> {
    private final String stackName;

    OfStack(String stackName) {
      this.stackName = stackName;
    }

    @Override
    public boolean test(Entry e) {
      return e.stackName.equals(stackName);
    }
  }

  private JvmDnsRegistry() {}

  /** Called by a stack when it starts. */
  public static void register(String stackName, StackResolver resolver, InetAddress loopback) {
    ENTRIES.add(new Entry(stackName, resolver, loopback));
  }

  /** Called by a stack when it closes; a no-op for a stack that never registered. */
  public static void unregister(String stackName) {
    // A predicate class, not a lambda (which a cold JVM links on first use); and not remove(entry), which calls
    // the record's equals, whose first call links an ObjectMethods bootstrap (about 15 ms in a cold JVM).
    ENTRIES.removeIf(new OfStack(stackName));
  }

  /**
   * Resolves {@code host} if a running stack's zone covers it.
   *
   * @return the loopback address the stack serves the name on, or empty when no running stack's zone covers the
   *     name (the caller then asks the JDK's resolver)
   * @throws UnknownHostException when the name lies in a running stack's zone and does not resolve there, worded
   *     as glibc's resolver words it ({@code Name or service not known} for NXDOMAIN, {@code Temporary failure in
   *     name resolution} for SERVFAIL, with the zone's reason in parentheses; see {@link
   *     DnsLookupException#asResolverError()}), or when two running stacks serve the same zone and the JVM cannot
   *     tell which one is meant. A {@linkplain StackResolver#slow slow} name makes this call wait.
   */
  public static Optional<InetAddress> lookup(String host) throws UnknownHostException {
    String name = DnsNames.normalize(host);
    // The most specific zone wins, as DNS delegation does: foobar.com's stack does not answer for a running
    // api.foobar.com stack's names.
    List<Entry> matches = new ArrayList<>();
    int longest = -1;
    for (Entry e : ENTRIES) {
      String zone = e.resolver.zone();
      if (DnsNames.inZone(name, zone) && zone.length() >= longest) {
        if (zone.length() > longest) {
          matches.clear();
          longest = zone.length();
        }
        matches.add(e);
      }
    }
    if (matches.isEmpty()) {
      return Optional.empty();
    }
    if (matches.size() > 1) {
      List<String> stacks = matches.stream().map(Entry::stackName).toList();
      throw new UnknownHostException(
          String.format(
              "%s: %d running stacks serve zone %s (%s); the JVM-wide resolver cannot tell them apart. "
                  + "Use stack.httpClient() or stack.uri(url), which resolve through their own stack.",
              name, matches.size(), matches.get(0).resolver.zone(), String.join(", ", stacks)));
    }
    Entry entry = matches.get(0);
    try {
      entry.resolver.resolve(name);
    } catch (DnsLookupException e) {
      throw e.asResolverError();
    }
    return Optional.of(InetAddress.getByAddress(name, entry.loopback.getAddress()));
  }

  /** The stacks currently registered, for diagnostics. */
  public static List<String> stackNames() {
    return ENTRIES.stream().map(Entry::stackName).toList();
  }
}
