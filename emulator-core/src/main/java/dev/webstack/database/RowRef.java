package dev.webstack.database;

import java.util.List;

/**
 * A row a transaction changed, named by its table and primary-key values (every column for a table without a
 * primary key); DDL appears with the table {@code "(statement) <sql>"} and no key.
 *
 * @param gtid the transaction, {@code uuid:id}
 */
public record RowRef(String gtid, String table, List<Object> key) {

  public RowRef {
    key = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(key));
  }

  @Override
  public String toString() {
    return table + key + " (" + gtid + ")";
  }
}
