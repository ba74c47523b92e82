package dev.webstack;

import static dev.webstack.internal.Checks.checkArgument;

import dev.webstack.internal.Resources;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The database (MySQL's role): one H2 in-memory database in MySQL compatibility mode, private to the stack.
 * Immutable.
 */
public final class DatabaseSpec extends ComponentSpec {

  private final String schema;
  private final String schemaSql;

  private DatabaseSpec(Builder b) {
    super(b);
    this.schema = b.schema;
    this.schemaSql = b.schemaSql;
  }

  /** The SQL script run once when the database is created: a {@code classpath:} location or a file path. */
  public Optional<String> schema() {
    return Optional.ofNullable(schema);
  }

  /** The script's text, read once when the spec was built, so starting many stacks reads no file. */
  public Optional<String> schemaSql() {
    return Optional.ofNullable(schemaSql);
  }

  @Override
  public ComponentKind kind() {
    return ComponentKind.DATABASE;
  }

  @Override
  public String toString() {
    return name() + " on " + host() + ":" + port() + (schema == null ? "" : " (schema " + schema + ")");
  }

  /** Configures the database; obtained from {@link StackSpec.Builder#database}. */
  public static final class Builder extends AbstractBuilder<Builder> {
    private String schema;
    private String schemaSql;

    Builder() {
      super("db-1", ComponentKind.DATABASE.defaultPort());
    }

    private Builder(DatabaseSpec spec) {
      super(spec);
      this.schema = spec.schema;
      this.schemaSql = spec.schemaSql;
    }

    /** Runs this script ({@code classpath:schema.sql} or a file path) when the database is created. */
    public Builder schema(String location) {
      checkArgument(location != null && Resources.exists(location),
          "schema (%s) of %s does not exist (use classpath:<path> or a file path)", location, name);
      this.schema = location;
      this.schemaSql = Resources.read(location);
      return this;
    }

    /** Runs this script file when the database is created. */
    public Builder schema(Path file) {
      return schema(file == null ? null : file.toString());
    }

    DatabaseSpec build() {
      return new DatabaseSpec(this);
    }
  }

  Builder toBuilder() {
    return new Builder(this);
  }
}
