package dev.webstack;

import static dev.webstack.internal.Checks.checkArgument;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What every component spec has: a name unique in the stack, the host it runs on, and the modeled port it listens
 * on. Subclasses are immutable.
 */
public abstract class ComponentSpec {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final String name;
  private final String host;
  private final int port;

  ComponentSpec(AbstractBuilder<?> b) {
    this.name = b.name;
    this.host = b.host == null ? b.name : b.host;
    this.port = b.port;
  }

  /** The component's name, for example {@code web-1}. */
  public final String name() {
    return name;
  }

  /** The name of the host the component runs on; a component without one gets a host of its own name. */
  public final String host() {
    return host;
  }

  /** The modeled port (80 for HTTP tiers, 8000 for the app tier, 3306 for the database by default). */
  public final int port() {
    return port;
  }

  public abstract ComponentKind kind();

  static String checkName(String field, String name) {
    checkArgument(name != null && NAME.matcher(name).matches(),
        "%s (%s) must be 1-63 lower-case letters, digits or inner hyphens", field, name);
    return name;
  }

  /** Shared builder state. */
  @SuppressWarnings("unchecked")
  public abstract static class AbstractBuilder<B extends AbstractBuilder<B>> {
    String name;
    String host;
    int port;

    AbstractBuilder(String name, int port) {
      this.name = name;
      this.port = port;
    }

    AbstractBuilder(ComponentSpec spec) {
      this.name = spec.name;
      this.host = spec.host;
      this.port = spec.port;
    }

    /** Renames the component (lower-cased); names are unique across the stack. */
    public B name(String name) {
      // null reaches checkName, which names the field, rather than failing in toLowerCase with a bare NPE
      this.name = checkName("name", name == null ? null : name.toLowerCase(Locale.ROOT));
      return (B) this;
    }

    /** Places the component on a host declared with {@link StackSpec.Builder#host}, or on a new host of that name. */
    public B host(String host) {
      this.host = checkName("host", host);
      return (B) this;
    }

    /** The modeled port, 1-65535. The real listener always binds 127.0.0.1 on a port the OS picks. */
    public B port(int port) {
      checkArgument(port >= 1 && port <= 65535, "port (%s) of %s must be between 1 and 65535", port, name);
      this.port = port;
      return (B) this;
    }

    /** The name this builder currently carries, so per-node configuration can tell nodes apart. */
    public String name() {
      return name;
    }
  }
}
