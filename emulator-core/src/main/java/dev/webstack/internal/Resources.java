package dev.webstack.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds and reads the resources a spec names: {@code classpath:} locations or file paths. */
public final class Resources {

  private Resources() {}

  /** The class loader that sees {@code path} (context loader first, then the library's), or null. */
  public static ClassLoader classLoaderFor(String path) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context.getResource(path) != null) {
      return context;
    }
    ClassLoader own = Resources.class.getClassLoader();
    return own.getResource(path) != null ? own : null;
  }

  /** True when a {@code classpath:} location or a regular file exists. */
  public static boolean exists(String location) {
    if (location.startsWith("classpath:")) {
      return classLoaderFor(stripClasspath(location)) != null;
    }
    return Files.isRegularFile(Path.of(location));
  }

  /** Reads a {@code classpath:} location or a file as UTF-8. */
  public static String read(String location) {
    try {
      if (location.startsWith("classpath:")) {
        String path = stripClasspath(location);
        ClassLoader loader = classLoaderFor(path);
        if (loader == null) {
          throw new IllegalArgumentException(location + " is not on the classpath");
        }
        try (InputStream in = loader.getResourceAsStream(path)) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return Files.readString(Path.of(location));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + location, e);
    }
  }

  public static String stripClasspath(String location) {
    String p = location.substring("classpath:".length());
    return p.startsWith("/") ? p.substring(1) : p;
  }
}
