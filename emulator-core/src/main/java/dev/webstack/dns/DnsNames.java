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
   * @throws IllegalArgumentException when the name is blank or not a valid host name
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
      n = normalize(name) + "." + zone;
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
