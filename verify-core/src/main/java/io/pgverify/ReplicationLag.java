package io.pgverify;

import java.time.Duration;
import java.util.List;

/**
 * How far the target was behind the source, measured through the logical replication slots that feed it.
 *
 * @param sourceLsn  the source's WAL position the target had to reach, e.g. {@code 0/3000148}
 * @param slots      the replication slots on the source that were watched
 * @param lagBytes   WAL bytes the slowest slot had not confirmed when measured last; 0 when caught up
 * @param lagSeconds the replay lag PostgreSQL reports for the slowest slot's sender, or null when it reports none
 * @param caughtUp   whether the target confirmed everything up to {@code sourceLsn}
 * @param waited     how long pgverify waited for it
 */
public record ReplicationLag(String sourceLsn, List<String> slots, long lagBytes, Double lagSeconds, boolean caughtUp,
                             Duration waited) {

    public ReplicationLag {
        slots = slots == null ? List.of() : List.copyOf(slots);
    }
}
