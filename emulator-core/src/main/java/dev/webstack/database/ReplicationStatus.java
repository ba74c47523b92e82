package dev.webstack.database;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * One node's replication state, MySQL's {@code SHOW REPLICA STATUS} and a bit more. For the primary the replica
 * fields are empty ({@code source} null, receiver {@code "No"}).
 *
 * @param node the node's name
 * @param role primary, replica or detached
 * @param running whether the node is up
 * @param readOnly {@code @@read_only}
 * @param superReadOnly {@code @@super_read_only}
 * @param source the node it replicates from ({@code Source_Host}), or null
 * @param receiverState {@code Replica_IO_Running}: {@code Yes}, {@code Connecting} (source down or unreachable;
 *     after losing a source that went down, until the next attempt every {@code connectRetry} finds it back) or
 *     {@code No} (stopped)
 * @param applierRunning {@code Replica_SQL_Running}
 * @param connected false while the link to the source is partitioned
 * @param executed {@code Executed_Gtid_Set}
 * @param retrieved {@code Retrieved_Gtid_Set}: what the receiver fetched since the node last started
 * @param secondsBehindSource MySQL's {@code Seconds_Behind_Source}: empty (NULL) when the receiver or the
 *     applier is not running or cannot reach the source; 0 when everything received is applied, even when the
 *     receiver itself is behind (MySQL's blind spot); else the age of the transaction being applied
 * @param receiveLag the true receive lag: age of the oldest transaction of the source the node has not received
 * @param applyLag the true lag: age of the oldest transaction of the source the node has not applied, received or
 *     not (what a heartbeat table such as pt-heartbeat measures)
 * @param relayLogTransactions transactions received and not yet applied
 * @param lastErrno {@code Last_SQL_Errno}, 0 when none
 * @param lastError {@code Last_SQL_Error}, empty when none
 * @param shipDelay the receiver's delay
 * @param applyDelay the applier's delay ({@code SOURCE_DELAY})
 * @param connectRetry {@code Connect_Retry}: the receiver's interval between attempts to reach a lost source
 *     (zero for a primary)
 */
public record ReplicationStatus(
    String node,
    DatabaseRole role,
    boolean running,
    boolean readOnly,
    boolean superReadOnly,
    String source,
    String receiverState,
    boolean applierRunning,
    boolean connected,
    GtidSet executed,
    GtidSet retrieved,
    OptionalLong secondsBehindSource,
    Duration receiveLag,
    Duration applyLag,
    int relayLogTransactions,
    int lastErrno,
    String lastError,
    Duration shipDelay,
    Duration applyDelay,
    Duration connectRetry) {}
