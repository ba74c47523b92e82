package dev.webstack;

/** The roles of the seed's designs, with the real software each one stands in for. */
public enum ComponentKind {
  /** HAProxy's role: a reverse proxy balancing over the web tier. */
  BALANCER("HAProxy", 80),
  /** Nginx's role: static files, and dynamic paths forwarded to the application tier. */
  WEB_SERVER("Nginx", 80),
  /** Gunicorn's role: runs the user's application code. */
  APP_SERVER("Gunicorn", 8000),
  /** MySQL's role, played by an H2 in-memory database in MySQL mode. */
  DATABASE("MySQL", 3306);

  private final String standsFor;
  private final int defaultPort;

  ComponentKind(String standsFor, int defaultPort) {
    this.standsFor = standsFor;
    this.defaultPort = defaultPort;
  }

  /** The real server this role emulates. */
  public String standsFor() {
    return standsFor;
  }

  /** The modeled port the role listens on unless the spec says otherwise. */
  public int defaultPort() {
    return defaultPort;
  }
}
