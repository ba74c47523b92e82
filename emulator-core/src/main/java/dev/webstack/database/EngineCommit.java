package dev.webstack.database;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.message.DbException;

/**
 * H2's commit of a client transaction, the last step of {@link H2Database#commit}, without H2's {@code COMMIT}
 * command around it.
 *
 * <p>Why: H2 commits an autocommit statement inside the statement ({@code SessionLocal.commit} at its end), while
 * replication must commit after logging, so it keeps H2's autocommit off and commits explicitly. {@link
 * Connection#commit()} runs a {@code COMMIT} command (parse cache, statement start and end, thread-local session),
 * which measured about 5 % of an autocommit insert. This calls what that command calls, {@code
 * SessionLocal.commit(false)}, under the session's lock as H2 does, and falls back to {@link Connection#commit()}
 * for anything else (a closed connection, another H2 version's classes) so errors stay H2's own.
 */
final class EngineCommit {

  private static final boolean AVAILABLE = available();

  private EngineCommit() {}

  private static boolean available() {
    try {
      SessionLocal.class.getMethod("commit", boolean.class);
      Session.class.getMethod("lock");
      JdbcConnection.class.getMethod("getSession");
      return true;
    } catch (NoSuchMethodException | LinkageError e) {
      return false;
    }
  }

  static void commit(Connection raw) throws SQLException {
    if (AVAILABLE && raw instanceof JdbcConnection jdbc && !jdbc.isClosed()
        && jdbc.getSession() instanceof SessionLocal session && !session.isClosed()) {
      session.lock();
      try {
        session.commit(false);
        return;
      } catch (DbException e) {
        throw DbException.toSQLException(e);
      } finally {
        session.unlock();
      }
    }
    raw.commit();
  }
}
