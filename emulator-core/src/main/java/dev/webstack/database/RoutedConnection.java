package dev.webstack.database;

import java.util.Optional;

/**
 * What a connection from the {@linkplain DatabaseCluster#dataSource() routing data source} tells about its
 * routing; reach it with {@code connection.unwrap(RoutedConnection.class)}.
 */
public interface RoutedConnection {

  /** The node that ran the last statement, for example {@code db-2}, or empty before the first. */
  Optional<String> lastNode();

  /** The GTID of the session's last commit ({@code session_track_gtids}), or empty. */
  Optional<String> lastCommitGtid();
}
