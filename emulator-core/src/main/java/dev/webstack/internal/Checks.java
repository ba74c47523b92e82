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
}
