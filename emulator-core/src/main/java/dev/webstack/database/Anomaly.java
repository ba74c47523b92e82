package dev.webstack.database;

/**
 * Something a {@link HistoryChecker} found.
 *
 * @param kind {@code stale-read}, {@code read-your-writes} or {@code lost-write}
 * @param operation the read that saw too old a state, or the write that was lost
 * @param expected what it should have seen (the value of the latest write that precedes it) or, for a lost write,
 *     the value written
 * @param detail a sentence for the failure message
 */
public record Anomaly(String kind, Operation operation, String expected, String detail) {

  @Override
  public String toString() {
    return kind + ": " + detail;
  }
}
