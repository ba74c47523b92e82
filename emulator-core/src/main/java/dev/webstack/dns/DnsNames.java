package dev.webstack.dns;

import java.util.Locale;
import java.util.regex.Pattern;

/** Syntax checks for host names and IPv4 literals (RFC 1035 / RFC 1123 preferred name syntax). */
public final class DnsNames {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  private DnsNames() {}

  /** Lower-cases a name and drops one trailing dot, the way resolvers compare names. */
  public static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** True when {@code name} is a syntactically valid host name: labels of letters, digits and inner hyphens. */
  public static boolean isValidName(String name) {
    String n = normalize(name);
    if (n.isEmpty() || n.length() > 253) {
      return false;
    }
    for (String label : n.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** True for a dotted-quad IPv4 literal such as {@code 8.8.8.8}. */
  public static boolean isIpv4(String address) {
    return IPV4.matcher(address).matches();
  }

  /**
   * The absolute, lower-case form of a name written the way zone files write it: relative to {@code zone}
   * ({@code www}), absolute with a trailing dot ({@code www.foobar.com.}), or {@code @} for the apex.
   *
   * <p>A relative name that already ends in the zone ({@code www.foobar.com} in zone {@code foobar.com}) is refused
   * rather than read as {@code www.foobar.com.foobar.com}, as a zone file would: that is never what was meant, and a
   * fault or record on it would silently act on nothing.
   *
   * @throws IllegalArgumentException when the name is blank, not a valid host name, or relative yet ending in the
   *     zone
   */
  public static String absolute(String name, String zone) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("record name (" + name + ") must not be blank");
    }
    String n;
    if (name.equals("@")) {
      n = zone;
    } else if (name.endsWith(".")) {
      n = normalize(name);
    } else {
      String relative = normalize(name);
      if (relative.equals(zone) || relative.endsWith("." + zone)) {
        throw new IllegalArgumentException(String.format(Locale.US,
            "record name (%s) has no trailing dot, so it is relative to zone %s and would mean %s.%s; write \"%s.\" "
                + "for the absolute name, or the part before the zone (\"%s\")",
            name, zone, relative, zone, relative,
            relative.equals(zone) ? "@" : relative.substring(0, relative.length() - zone.length() - 1)));
      }
      n = relative + "." + zone;
    }
    if (!isValidName(n)) {
      throw new IllegalArgumentException("record name (" + name + ") is not a valid host name");
    }
    return n;
  }

  /** True when {@code name} is {@code zone} itself or lies under it. */
  public static boolean inZone(String name, String zone) {
    return name.equals(zone) || name.endsWith("." + zone);
  }
}
