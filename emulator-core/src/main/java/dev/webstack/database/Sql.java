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
    /** USE db, or H2's SET SCHEMA s: the session's default schema. */
    SET_SCHEMA,
    /** SET, USE and other session statements that change no data. */
    SESSION;

    boolean writes() {
      return this == WRITE || this == DDL;
    }
  }

  /**
   * A sequence drawn inside a read ({@code SELECT NEXT VALUE FOR s}, {@code NEXTVAL('s')}): it changes the sequence,
   * so it is a write (the primary's sequence, never a replica's; a read-only server refuses it, as MariaDB does).
   */
  private static final Pattern DRAWS_SEQUENCE = Pattern.compile("\\bNEXT\\s+VALUE\\s+FOR\\b|\\bNEXTVAL\\s*\\(");

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
      throw severalStatements(sql.substring(rest));
    }
    checkUnprivileged(sql);
    return classify(sql);
  }

  /** MySQL's answer to a second statement in one call; {@code near} is the text from it on, when known. */
  static SQLException severalStatements(String near) {
    String n = near.strip();
    return new SQLSyntaxErrorException("You have an error in your SQL syntax; check the manual that corresponds to "
        + "your MySQL server version for the right syntax to use near '" + (n.length() > 80 ? n.substring(0, 80) : n)
        + "' at line 1 (one statement per call, as with Connector/J's default allowMultiQueries=false: run each "
        + "statement on its own)", "42000", 1064);
  }

  /**
   * H2's administration statements and database-wide settings, which an application connection here could run
   * (every connection is H2's administrator) but a MySQL application user cannot: they would act on the node behind
   * the emulator's back ({@code SHUTDOWN} kills the database without the stack knowing, {@code SET
   * DEFAULT_TABLE_ENGINE} makes new tables escape the capture, {@code SET EXCLUSIVE} locks the applier out).
   */
  private static final Pattern PRIVILEGED = Pattern.compile("\\(*\\s*(SHUTDOWN|BACKUP|CHECKPOINT|SCRIPT|RUNSCRIPT)\\b.*"
      + "|\\(*\\s*SET\\s+(ALLOW_LITERALS|CACHE_SIZE|CLUSTER|COLLATION|DATABASE_EVENT_LISTENER|DB_CLOSE_DELAY"
      + "|DEFAULT_LOCK_TIMEOUT|DEFAULT_NULL_ORDERING|DEFAULT_TABLE_ENGINE|DEFAULT_TABLE_TYPE|EXCLUSIVE|IGNORECASE"
      + "|IGNORE_CATALOGS|JAVA_OBJECT_SERIALIZER|LOG|LOCK_MODE|MAX_LENGTH_INPLACE_LOB|MAX_LOG_SIZE|MAX_MEMORY_ROWS"
      + "|MAX_MEMORY_UNDO|MAX_OPERATION_MEMORY|MODE|OPTIMIZE_REUSE_RESULTS|PASSWORD|REFERENTIAL_INTEGRITY"
      + "|RETENTION_TIME|SALT|TRACE_LEVEL|TRACE_MAX_FILE_SIZE|WRITE_DELAY|CREATE|READONLY|BUILTIN_ALIAS_OVERRIDE"
      + "|AUTHENTICATOR|CACHE_TYPE|COMPRESS_LOB|DATABASE_TO_LOWER|DATABASE_TO_UPPER|CASE_INSENSITIVE_IDENTIFIERS)\\b.*"
      // A table engine of H2's naming (a quoted or dotted class) would escape the capture; MySQL's ENGINE=x is fine.
      + "|\\(*\\s*CREATE\\b.*\\bENGINE\\s+(\"|[A-Z0-9_$]+\\.).*",
      Pattern.DOTALL);

  private static void checkUnprivileged(String sql) throws SQLException {
    String s = stripLeadingComments(sql);
    switch (firstWord(s.length() > 16 ? s.substring(0, 16).toUpperCase(Locale.ROOT) : s.toUpperCase(Locale.ROOT))) {
      case "SHUTDOWN", "BACKUP", "CHECKPOINT", "SCRIPT", "RUNSCRIPT", "SET", "CREATE" -> { }
      default -> {
        return; // SELECT, INSERT...: the statements an application repeats need no further look
      }
    }
    String head = withoutComments(s.length() > 4096 ? s.substring(0, 4096) : s).toUpperCase(Locale.ROOT);
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
    if (sql.indexOf(';') < 0) {
      return -1;
    }
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        i = quoteEnd(sql, i);
      } else if (c == '$' && i + 1 < n && sql.charAt(i + 1) == '$'
          && (i == 0 || !Character.isJavaIdentifierPart(sql.charAt(i - 1)))) { // $ may be part of a name
        int end = sql.indexOf("$$", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        i = blockCommentEnd(sql, i);
      } else if (isLineComment(sql, i)) {
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
        String all = s.toUpperCase(Locale.ROOT);
        if (DRAWS_SEQUENCE.matcher(all).find()) {
          return Kind.WRITE;
        }
        return LOCKING.matcher(all).find() ? Kind.LOCKING_READ : Kind.READ;
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
        String norm = upper.replaceAll("\\s+", " ");
        if (norm.matches("SET (SESSION |@@SESSION\\.|@@)?AUTOCOMMIT\\b.*")) {
          return Kind.SET_AUTOCOMMIT;
        }
        return norm.matches("SET SCHEMA\\b.*") ? Kind.SET_SCHEMA : Kind.SESSION;
      }
      case "USE" -> {
        return Kind.SET_SCHEMA;
      }
      case "RELEASE" -> {
        return Kind.SESSION;
      }
      default -> {
        return Kind.WRITE;
      }
    }
  }

  /** The value of {@code SET AUTOCOMMIT = x}: true for 1/ON/TRUE. */
  static boolean autocommitValue(String sql) {
    String v = withoutComments(sql).toUpperCase(Locale.ROOT).replaceAll(".*AUTOCOMMIT\\s*=?\\s*", "")
        .replace(";", "").trim();
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
        i = blockCommentEnd(sql, i);
      } else if (isLineComment(sql, i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else {
        break;
      }
    }
    return sql.substring(i);
  }

  /** The index after the quoted string or name opening at {@code i}; a doubled quote stays inside. */
  private static int quoteEnd(String sql, int i) {
    char q = sql.charAt(i);
    int n = sql.length();
    int end = sql.indexOf(q, i + 1);
    while (end >= 0 && end + 1 < n && sql.charAt(end + 1) == q) {
      end = sql.indexOf(q, end + 2);
    }
    return end < 0 ? n : end + 1;
  }

  /** A line comment starts at {@code i}: {@code --} or {@code //} (H2), or MySQL's {@code #}. */
  private static boolean isLineComment(String sql, int i) {
    char c = sql.charAt(i);
    return c == '#' || ((c == '-' || c == '/') && i + 1 < sql.length() && sql.charAt(i + 1) == c);
  }

  /** The index after the block comment opening at {@code i}; H2's block comments nest. */
  private static int blockCommentEnd(String sql, int i) {
    int level = 0;
    int n = sql.length();
    while (i < n) {
      if (sql.startsWith("/*", i)) {
        level++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        i += 2;
        if (--level == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return n;
  }

  /**
   * {@code sql} with every comment outside quotes replaced by a space, for checks that look past the first word
   * (a comment between {@code SET} and its setting must not hide the setting).
   */
  static String withoutComments(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int stop = quoteEnd(sql, i);
        out.append(sql, i, stop);
        i = stop;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        i = blockCommentEnd(sql, i);
        out.append(' ');
      } else if (isLineComment(sql, i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
        out.append(' ');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
