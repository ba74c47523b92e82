package dev.webstack.benchmarks.simulation;

import java.util.ArrayDeque;
import java.util.Locale;

/**
 * A minimal streaming JSON writer, so the simulation's results file needs no new dependency in the benchmarks
 * module. It writes compact-but-readable JSON (one member per line) and handles exactly what the report needs:
 * objects, arrays, strings, booleans and numbers, with non-finite numbers written as {@code null} because JSON
 * has no NaN or infinity. Commas are managed here, so callers cannot produce invalid separators.
 */
final class Json {

  private final StringBuilder out = new StringBuilder();
  /** Per open container: whether it already holds a member (so the next one needs a comma). */
  private final ArrayDeque<boolean[]> open = new ArrayDeque<>();
  private boolean afterName;

  Json beginObject() {
    raw("{");
    open.push(new boolean[1]);
    return this;
  }

  Json endObject() {
    return close('}');
  }

  Json beginArray() {
    raw("[");
    open.push(new boolean[1]);
    return this;
  }

  Json endArray() {
    return close(']');
  }

  /** Starts a member of the current object; the next call writes its value. */
  Json name(String name) {
    separate();
    out.append(quote(name)).append(": ");
    afterName = true;
    return this;
  }

  Json value(String s) {
    raw(s == null ? "null" : quote(s));
    return this;
  }

  Json value(double d) {
    // Enough digits to round-trip what the tables show, without binary noise like 0.30000000000000004.
    raw(Double.isFinite(d) ? trim(String.format(Locale.ROOT, "%.6g", d)) : "null");
    return this;
  }

  Json value(long l) {
    raw(Long.toString(l));
    return this;
  }

  Json value(boolean b) {
    raw(Boolean.toString(b));
    return this;
  }

  Json member(String name, String s) {
    return name(name).value(s);
  }

  Json member(String name, double d) {
    return name(name).value(d);
  }

  Json member(String name, long l) {
    return name(name).value(l);
  }

  Json member(String name, boolean b) {
    return name(name).value(b);
  }

  Json member(String name, double[] values) {
    name(name).beginArray();
    for (double v : values) {
      value(v);
    }
    return endArray();
  }

  Json member(String name, long[] values) {
    name(name).beginArray();
    for (long v : values) {
      value(v);
    }
    return endArray();
  }

  @Override
  public String toString() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("unclosed JSON container");
    }
    return out.append('\n').toString();
  }

  private Json close(char c) {
    boolean[] state = open.pop();
    if (state[0]) {
      newline();
    }
    out.append(c);
    return this;
  }

  private void raw(String token) {
    if (!afterName) {
      separate();
    }
    afterName = false;
    out.append(token);
  }

  /** A comma before every member but the first, then a line break and indentation. */
  private void separate() {
    if (open.isEmpty()) {
      return;
    }
    boolean[] state = open.peek();
    if (state[0]) {
      out.append(',');
    }
    state[0] = true;
    newline();
  }

  private void newline() {
    out.append('\n');
    for (int i = 0; i < open.size(); i++) {
      out.append("  ");
    }
  }

  /** %.6g writes 1.00000 and 1.20000e+06; drop trailing zeros so the file stays readable. */
  private static String trim(String g) {
    int e = g.indexOf('e');
    String mantissa = e < 0 ? g : g.substring(0, e);
    String exponent = e < 0 ? "" : g.substring(e);
    if (mantissa.indexOf('.') >= 0) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    if (!exponent.isEmpty()) {
      exponent = "e" + Integer.parseInt(exponent.substring(1));
    }
    return mantissa + exponent;
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
