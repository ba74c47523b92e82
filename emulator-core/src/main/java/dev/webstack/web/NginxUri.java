package dev.webstack.web;

import io.undertow.server.HttpServerExchange;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The path nginx matches its locations and looks its files up with: the request's path percent-decoded ({@code %2F}
 * included, which Undertow keeps encoded), with repeated slashes merged ({@code merge_slashes on}) and the dot
 * segments {@code .} and {@code ..} resolved. nginx refuses with 400 a path whose {@code ..} climbs above the root,
 * a malformed percent-encoding and an encoded NUL byte ({@code ngx_http_parse_complex_uri}).
 */
final class NginxUri {

  private NginxUri() {}

  /** The normalized path of the exchange's request, or null when nginx answers 400 to it. */
  static String normalizedPath(HttpServerExchange exchange) {
    String raw = exchange.getRequestURI();
    if (exchange.isHostIncludedInRequestURI()) { // absolute-form: http://host[:port]/path
      int authority = raw.indexOf("//");
      int slash = authority < 0 ? -1 : raw.indexOf('/', authority + 2);
      raw = slash < 0 ? "/" : raw.substring(slash);
    }
    return normalize(raw);
  }

  /** The normalized form of a raw (still percent-encoded) path, or null when nginx answers 400 to it. */
  static String normalize(String raw) {
    if (raw.startsWith("/") && raw.indexOf('%') < 0 && !raw.contains("//") && !raw.contains("/.")) {
      return raw; // already normal, as nearly every request is: no copy on the request path
    }
    String decoded = decode(raw);
    if (decoded == null || !decoded.startsWith("/")) {
      return null;
    }
    Deque<String> segments = new ArrayDeque<>();
    String[] parts = decoded.split("/", -1);
    boolean directory = false;
    for (int i = 1; i < parts.length; i++) {
      String segment = parts[i];
      boolean last = i == parts.length - 1;
      if (segment.isEmpty() || segment.equals(".")) {
        directory = last;
      } else if (segment.equals("..")) {
        if (segments.pollLast() == null) {
          return null; // above the root
        }
        directory = last;
      } else {
        segments.addLast(segment);
        directory = false;
      }
    }
    if (segments.isEmpty()) {
      return "/";
    }
    return "/" + String.join("/", segments) + (directory ? "/" : "");
  }

  /** Percent-decodes as UTF-8, or null for a malformed escape or an encoded NUL byte. */
  private static String decode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int high = Character.digit(raw.charAt(i + 1), 16);
        int low = Character.digit(raw.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return null;
        }
        if (high == 0 && low == 0) {
          return null; // %00: nginx's URI parser refuses a NUL byte (NGX_HTTP_PARSE_INVALID_REQUEST, 400)
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
