package dev.webstack.inspection;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One server as a proxying node sees it, in the vocabulary of HAProxy's statistics ({@code show stat}, the stats
 * page): a snapshot, immutable. Read it from {@code stack.backend("lb-1").server("web-1")}.
 *
 * @param proxy the proxying node ({@code pxname}), for example {@code lb-1}
 * @param name the server ({@code svname}), for example {@code web-1}
 * @param status {@code UP}, {@code DOWN}, {@code MAINT}, {@code DRAIN} (up with weight 0), HAProxy's transitional
 *     {@code UP 2/3} (up, and 2 more failed checks of the 3 of {@code fall} take it down) and {@code DOWN 1/2}
 *     (down, 1 of the 2 successful checks needed), or {@code no check} when checks are off
 * @param checkStatus the last check's result: {@code L4OK}, {@code L4CON} (connection refused), {@code L4TOUT}
 *     (connect timed out), {@code L7OK}, {@code L7STS} (bad HTTP status), {@code L7TOUT} (no response in time),
 *     {@code L7RSP} (no valid HTTP response), {@code HANA} (marked down by observed traffic), {@code INI} before
 *     the first check; empty when checks are off
 * @param checkCode the HTTP status of the last HTTP check, 0 for TCP checks and failed connections
 * @param checkInfo the last check's detail in HAProxy's words, for example {@code Connection refused}; may be
 *     empty
 * @param lastCheckDuration how long the last check took (real time: the network is real)
 * @param checkFailures failed checks so far ({@code chkfail}), counted while the health counter is above 0 as
 *     HAProxy counts them: checks that find a server already fully DOWN do not count
 * @param checkDowns transitions from UP to DOWN ({@code chkdown})
 * @param currentSessions requests in flight to the server now ({@code scur})
 * @param totalSessions requests sent to the server so far, retries included ({@code stot})
 * @param weight the configured weight, changed at run time by {@code Backend.weight(..)} ({@code weight})
 * @param backup true for a backup server ({@code bck})
 * @param lastStatusChange when the status last changed (UP, DOWN or MAINT), on the stack's clock ({@code
 *     lastchg} counts the seconds since then)
 * @param downtime the total time spent DOWN or in MAINT so far, including an ongoing one, on the stack's clock
 *     ({@code downtime})
 */
public record ServerStats(
    String proxy,
    String name,
    String status,
    String checkStatus,
    int checkCode,
    String checkInfo,
    Duration lastCheckDuration,
    long checkFailures,
    long checkDowns,
    int currentSessions,
    long totalSessions,
    int weight,
    boolean backup,
    Instant lastStatusChange,
    Duration downtime) {

  public ServerStats {
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(checkStatus, "checkStatus");
    Objects.requireNonNull(checkInfo, "checkInfo");
    Objects.requireNonNull(lastCheckDuration, "lastCheckDuration");
    Objects.requireNonNull(lastStatusChange, "lastStatusChange");
    Objects.requireNonNull(downtime, "downtime");
  }

  /** True when the status is UP, in transition to DOWN ({@code UP 1/3}) or DRAIN: the server counts as up. */
  public boolean isUp() {
    return status.startsWith("UP") || status.startsWith("DRAIN") || status.equals("no check");
  }

  /** True when the server may get new requests: up, not in maintenance, weight above 0. */
  public boolean isAvailable() {
    return (status.startsWith("UP") || status.equals("no check")) && weight > 0;
  }

  /**
   * One line in HAProxy's stats terms, for example {@code lb-1/web-1 DOWN 1/2 L4CON "Connection refused" in 0ms,
   * weight 1, scur 0, stot 12, chkfail 4, chkdown 1, lastchg 2000-01-01T00:00:00.400Z, downtime PT0.1S}.
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(proxy).append('/').append(name).append(' ').append(status);
    if (!checkStatus.isEmpty()) {
      b.append(' ').append(checkStatus);
      if (checkCode != 0) {
        b.append('/').append(checkCode);
      }
      if (!checkInfo.isEmpty()) {
        b.append(" \"").append(checkInfo).append('"');
      }
      b.append(" in ").append(lastCheckDuration.toMillis()).append("ms");
    }
    return b.append(backup ? ", backup" : "").append(", weight ").append(weight).append(", scur ")
        .append(currentSessions).append(", stot ").append(totalSessions).append(", chkfail ").append(checkFailures)
        .append(", chkdown ").append(checkDowns).append(", lastchg ").append(lastStatusChange).append(", downtime ")
        .append(downtime).toString();
  }
}
