package dev.webstack;

import javax.sql.DataSource;

/** The running database: an H2 in-memory database in MySQL mode, private to its stack. */
public interface DatabaseNode extends Node {

  /**
   * The database as the application tier reaches it over the modeled network: while the node (or its host) is
   * down, {@code getConnection()} fails with SQLState {@code 08S01} ("Communications link failure", as MySQL
   * Connector/J reports an unreachable server) and connections opened before the kill are closed.
   */
  DataSource dataSource();

  /** The H2 URL of the database, for tools; connecting through it bypasses kill and restart. */
  String jdbcUrl();
}
