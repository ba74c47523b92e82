package dev.webstack.database;

import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Classifies SQL text the way MySQL Router's and ProxySQL's query rules do: by the leading keyword after comments,
 * plus {@code FOR UPDATE}/{@code FOR SHARE}/{@code LOCK IN SHARE MODE} for locking reads. Like them it misroutes
 * what the text hides (a function with side effects inside a {@code SELECT}).
 */
final class Sql {

  enum Kind {
    /** SELECT, WITH, SHOW, EXPLAIN...: served by a replica in autocommit mode. */
    READ,
    /** SELECT ... FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE: always the primary. */
    LOCKING_READ,
    /** DML and anything unknown. */
    WRITE,
    /** CREATE, ALTER, DROP, TRUNCATE, RENAME...: implicit commit, logged as a statement event. */
    DDL,
    BEGIN,
    BEGIN_READ_ONLY,
    COMMIT,
    ROLLBACK,
    /** SAVEPOINT name. */
    SAVEPOINT,
    /** ROLLBACK TO [SAVEPOINT] name. */
    ROLLBACK_TO,
    /** SET AUTOCOMMIT = 0|1. */
    SET_AUTOCOMMIT,
    /** SET, USE and other session statements that change no data. */
    SESSION;

    boolean writes() {
      return this == WRITE || this == DDL;
    }
  }

  /** A locking read's clause, with any whitespace between its words. */
  private static final Pattern LOCKING = Pattern.compile(
      "\\bFOR\\s+(UPDATE|SHARE)\\b|\\bLOCK\\s+IN\\s+SHARE\\s+MODE\\b");

  private Sql() {}

  /**
   * {@link #classify}, after refusing text that holds more than one statement, as MySQL does for Connector/J's
   * default ({@code allowMultiQueries=false}: the server gets no multi-statement flag and answers error 1064). H2
   * would run every statement of such text in one call, past the read-only check and the capture, which look at
   * the first statement only. A trailing semicolon is fine.
   */
  static Kind classifySingle(String sql) throws SQLException {
    int rest = secondStatement(sql);
    if (rest >= 0) {
      String near = sql.substring(rest).strip();
      throw new SQLSyntaxErrorException("You have an error in your SQL syntax; check the manual that corresponds to "
          + "your MySQL server version for the right syntax to use near '"
          + (near.length() > 80 ? near.substring(0, 80) : near) + "' at line 1 (one statement per call, as with "
          + "Connector/J's default allowMultiQueries=false: run each statement on its own)", "42000", 1064);
    }
    checkUnprivileged(sql);
    return classify(sql);
  }

  /**
   * H2's administration statements and database-wide settings, which an application connection here could run
   * (every connection is H2's administrator) but a MySQL application user cannot: they would act on the node behind
   * the emulator's back ({@code SHUTDOWN} kills the database without the stack knowing, {@code SET
   * DEFAULT_TABLE_ENGINE} makes new tables escape the capture, {@code SET EXCLUSIVE} locks the applier out).
   */
  private static final Pattern PRIVILEGED = Pattern.compile("(SHUTDOWN|BACKUP|CHECKPOINT|SCRIPT|RUNSCRIPT)\\b.*|SET\\s+"
      + "(ALLOW_LITERALS|CACHE_SIZE|CLUSTER|COLLATION|DATABASE_EVENT_LISTENER|DB_CLOSE_DELAY|DEFAULT_LOCK_TIMEOUT"
      + "|DEFAULT_NULL_ORDERING|DEFAULT_TABLE_ENGINE|EXCLUSIVE|IGNORECASE|JAVA_OBJECT_SERIALIZER|LOG|MAX_LENGTH_INPLACE_LOB"
      + "|MAX_LOG_SIZE|MAX_MEMORY_ROWS|MAX_MEMORY_UNDO|MAX_OPERATION_MEMORY|MODE|OPTIMIZE_REUSE_RESULTS|PASSWORD"
      + "|REFERENTIAL_INTEGRITY|RETENTION_TIME|SALT|TRACE_LEVEL|TRACE_MAX_FILE_SIZE|WRITE_DELAY|CREATE|READONLY)\\b.*",
      Pattern.DOTALL);

  private static void checkUnprivileged(String sql) throws SQLException {
    String s = stripLeadingComments(sql);
    String head = (s.length() > 80 ? s.substring(0, 80) : s).toUpperCase(Locale.ROOT);
    if (PRIVILEGED.matcher(head).matches()) {
      throw new SQLException("Access denied; you need (at least one of) the SUPER privilege(s) for this operation"
          + " (an H2 administration statement, which would act on the node behind the emulator's back; use the"
          + " stack's API instead, such as kill() for SHUTDOWN)", "42000", 1227);
    }
  }

  /**
   * Where a second statement starts in {@code sql} (the first character after a top-level semicolon that is
   * followed by more than whitespace and comments), or -1. Skips quoted strings and identifiers ({@code '..'},
   * {@code ".."}, {@code `..`}, H2's {@code $$..$$}) and comments.
   */
  static int secondStatement(String sql) {
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = sql.indexOf(c, i + 1);
        while (end >= 0 && end + 1 < n && sql.charAt(end + 1) == c) { // a doubled quote stays inside
          end = sql.indexOf(c, end + 2);
        }
        i = end < 0 ? n : end + 1;
      } else if (c == '$' && i + 1 < n && sql.charAt(i + 1) == '$') {
        int end = sql.indexOf("$$", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if ((c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') || c == '#') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (c == ';') {
        int next = i + 1;
        String after = stripLeadingComments(sql.substring(next));
        while (after.startsWith(";")) { // empty statements
          after = stripLeadingComments(after.substring(1));
        }
        return after.isEmpty() ? -1 : n - after.length();
      } else {
        i++;
      }
    }
    return -1;
  }

  static Kind classify(String sql) {
    String s = stripLeadingComments(sql);
    String upper = s.length() > 64 ? s.substring(0, 64).toUpperCase(Locale.ROOT) : s.toUpperCase(Locale.ROOT);
    String word = firstWord(upper);
    switch (word) {
      case "SELECT", "WITH", "VALUES", "TABLE" -> {
        return LOCKING.matcher(s.toUpperCase(Locale.ROOT)).find() ? Kind.LOCKING_READ : Kind.READ;
      }
      case "SHOW", "EXPLAIN", "DESCRIBE", "DESC", "HELP" -> {
        return Kind.READ;
      }
      case "CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME", "GRANT", "REVOKE", "COMMENT" -> {
        return Kind.DDL;
      }
      case "BEGIN" -> {
        return Kind.BEGIN;
      }
      case "START" -> {
        String norm = upper.replaceAll("\\s+", " ");
        return norm.contains("READ ONLY") ? Kind.BEGIN_READ_ONLY : Kind.BEGIN;
      }
      case "COMMIT" -> {
        return Kind.COMMIT;
      }
      case "ROLLBACK" -> {
        return upper.replaceAll("\\s+", " ").startsWith("ROLLBACK TO") ? Kind.ROLLBACK_TO : Kind.ROLLBACK;
      }
      case "SAVEPOINT" -> {
        return Kind.SAVEPOINT;
      }
      case "SET" -> {
        return upper.replaceAll("\\s+", " ").matches("SET (SESSION |@@SESSION\\.|@@)?AUTOCOMMIT\\b.*")
            ? Kind.SET_AUTOCOMMIT : Kind.SESSION;
      }
      case "USE", "RELEASE" -> {
        return Kind.SESSION;
      }
      default -> {
        return Kind.WRITE;
      }
    }
  }

  /** The value of {@code SET AUTOCOMMIT = x}: true for 1/ON/TRUE. */
  static boolean autocommitValue(String sql) {
    String v = sql.toUpperCase(Locale.ROOT).replaceAll(".*AUTOCOMMIT\\s*=?\\s*", "").replace(";", "").trim();
    return v.equals("1") || v.equals("ON") || v.equals("TRUE");
  }

  /** The savepoint name of {@code SAVEPOINT x} or {@code ROLLBACK TO [SAVEPOINT] x}. */
  static String savepointName(String sql) {
    String[] words = stripLeadingComments(sql).replace(";", "").trim().split("\\s+");
    return words[words.length - 1].replace("`", "").toLowerCase(Locale.ROOT);
  }

  private static String firstWord(String s) {
    int i = 0;
    while (i < s.length() && Character.isLetter(s.charAt(i))) {
      i++;
    }
    return s.substring(0, i);
  }

  private static String stripLeadingComments(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if ((c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') || c == '#') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else {
        break;
      }
    }
    return sql.substring(i);
  }
}
