package dev.webstack.internal;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The {@code Date} response header (RFC 9110 §6.6.1: an origin server with a clock sends it) in IMF-fixdate form,
 * formatted once per second. (Not {@code DateTimeFormatter.RFC_1123_DATE_TIME}: it writes single-digit days
 * without the zero IMF-fixdate requires.)
 *
 * <p>Why not Undertow's own ({@code UndertowOptions.ALWAYS_SET_DATE}): it formats with a {@code SimpleDateFormat}
 * whose time-zone name lookup loads the JDK's locale data, about 70 ms on the first response of a JVM, which is a
 * sixth of a cold stack's budget; the text is the same.
 */
final class HttpDate {

  private static volatile Cached cached = new Cached(Long.MIN_VALUE, "");

  private HttpDate() {}

  /** The current date in IMF-fixdate form, such as {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  static String now() {
    long second = System.currentTimeMillis() / 1000;
    Cached c = cached;
    if (c.second != second) {
      c = new Cached(second, format(LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC)));
      cached = c;
    }
    return c.text;
  }

  static String format(LocalDateTime utc) {
    StringBuilder b = new StringBuilder(29)
        .append(DAYS[utc.getDayOfWeek().ordinal()]).append(", ");
    two(b, utc.getDayOfMonth()).append(' ').append(MONTHS[utc.getMonthValue() - 1]).append(' ')
        .append(utc.getYear()).append(' ');
    two(b, utc.getHour()).append(':');
    two(b, utc.getMinute()).append(':');
    return two(b, utc.getSecond()).append(" GMT").toString();
  }

  private static StringBuilder two(StringBuilder b, int value) {
    return b.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }

  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTHS =
      {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

  private record Cached(long second, String text) {}
}
