package dev.webstack.internal;

import java.util.Locale;

/** Precondition helpers whose messages name the field and the value, formatted the same on every locale. */
public final class Checks {

  private Checks() {}

  public static void checkArgument(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(Locale.US, format, args));
    }
  }

  public static void checkState(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalStateException(String.format(Locale.US, format, args));
    }
  }

  /**
   * Refuses to act on a part of a closed stack: {@code what} (a node, a link, a balancer) belongs to stack {@code
   * stack}. One message for every such part, so that a test that closed too early reads the same advice anywhere.
   */
  public static void checkNotClosed(boolean closed, String what, String stack) {
    if (closed) {
      throw new IllegalStateException(what + " belongs to stack " + stack + ", which is closed; start a new stack");
    }
  }
}
