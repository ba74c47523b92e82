package dev.webstack.database;

import dev.webstack.DatabaseNode;
import dev.webstack.DatabaseSpec;
import dev.webstack.internal.AbstractNode;
import dev.webstack.internal.NodeContext;
import java.io.PrintWriter;
import java.io.StringReader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.tools.RunScript;

/**
 * The database (MySQL's role): an H2 in-memory database in MySQL mode, named uniquely per stack so parallel
 * stacks never share one.
 *
 * <p>Killing the node models a crashed server whose disk survives: the data stays, new connections fail with
 * SQLState 08S01 and open ones are closed. A restart accepts connections again with the data as committed.
 * The database itself is dropped only when the stack closes.
 */
public final class H2Database extends AbstractNode implements DatabaseNode {

  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final org.h2.Driver DRIVER = org.h2.Driver.load();

  private final DatabaseSpec spec;
  private final String url;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final DataSource dataSource = new NetworkDataSource();
  private Connection keeper;
  private volatile boolean accepting;

  public H2Database(NodeContext context, DatabaseSpec spec) {
    super(context, spec);
    this.spec = spec;
    String unique = "webstack-" + context.stackName() + "-" + spec.name() + "-" + SEQUENCE.incrementAndGet();
    this.url = "jdbc:h2:mem:" + unique
        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
  }

  @Override
  protected void up() throws SQLException {
    if (keeper == null) {
      keeper = DRIVER.connect(url, new Properties());
      if (spec.schemaSql().isPresent()) {
        try {
          RunScript.execute(keeper, new StringReader(spec.schemaSql().get()));
        } catch (SQLException e) {
          throw new SQLException(
              "schema " + spec.schema().orElseThrow() + " of " + name() + " failed: " + e.getMessage(),
              e.getSQLState(), e);
        }
      }
    }
    accepting = true;
  }

  @Override
  protected void down() throws SQLException {
    accepting = false;
    SQLException failure = null;
    for (Connection c : open) {
      try {
        c.close();
      } catch (SQLException e) {
        failure = failure == null ? e : addSuppressed(failure, e);
      }
    }
    open.clear();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  protected void release() throws SQLException {
    if (keeper != null) {
      try (Statement s = keeper.createStatement()) {
        s.execute("SHUTDOWN");
      } finally {
        keeper.close();
        keeper = null;
      }
    }
  }

  private static SQLException addSuppressed(SQLException first, SQLException next) {
    first.addSuppressed(next);
    return first;
  }

  @Override
  public InetSocketAddress address() {
    return new InetSocketAddress(context.loopback(), 0);
  }

  @Override
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public String jdbcUrl() {
    return url;
  }

  private Connection connect() throws SQLException {
    if (!accepting) {
      throw new SQLNonTransientConnectionException(
          String.format(
              "Communications link failure: cannot reach %s at %s:%d on host %s, which is down",
              name(), host().address(), modeledPort(), host().name()),
          "08S01");
    }
    Connection raw = DRIVER.connect(url + ";IFEXISTS=TRUE", new Properties());
    Connection tracked = (Connection) Proxy.newProxyInstance(
        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new Tracked(raw));
    open.add(tracked);
    if (!accepting) { // killed while connecting
      open.remove(tracked);
      raw.close();
      return connect();
    }
    return tracked;
  }

  /** Removes a connection from the open set when the application closes it. */
  private final class Tracked implements InvocationHandler {
    private final Connection raw;

    Tracked(Connection raw) {
      this.raw = raw;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("close") && method.getParameterCount() == 0) {
        open.remove((Connection) proxy);
      } else if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "connection to " + name() + " (" + raw + ")";
        };
      }
      try {
        return method.invoke(raw, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  /** The database as the application tier reaches it. */
  private final class NetworkDataSource implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      return connect();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return connect();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("no java.util.logging parent logger; the library logs to SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      if (iface.isInstance(this)) {
        return iface.cast(this);
      }
      throw new SQLException("not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return iface.isInstance(this);
    }

    @Override
    public String toString() {
      return "DataSource of " + name();
    }
  }
}
