package io.pgverify.internal.replication;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pgverify.ErrorCode;
import io.pgverify.ReplicationLag;
import io.pgverify.VerifyException;
import io.pgverify.internal.jdbc.Session;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.jdbc.SqlErrors;
import io.pgverify.internal.read.CheckContext;

/**
 * Waits until the target has confirmed the source's current WAL position through logical replication. It watches
 * the source's logical slots (what native logical replication, pglogical and managed migration services all use), so
 * it needs no access to the subscriber's internals; it only reads.
 */
public final class CatchupGate {

    private static final Logger LOG = LoggerFactory.getLogger(CatchupGate.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private CatchupGate() {
    }

    private record SlotLag(String slot, long bytes, Double seconds) {
    }

    public static ReplicationLag await(CheckContext context, Duration timeout, List<String> configuredSlots) {
        long started = System.nanoTime();
        try {
            List<String> subscriptions = subscriptionSlots(context);
            List<String> slots = configuredSlots.isEmpty() ? subscriptions : configuredSlots;
            String lsn;
            try (Session source = context.open(Side.SOURCE)) {
                lsn = currentLsn(source.connection());
                if (slots.isEmpty()) {
                    slots = logicalSlots(source.connection());
                }
            }
            if (slots.isEmpty()) {
                throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "source: no logical replication slot feeds "
                        + "the target in this database, so catch-up cannot be measured: name the slot, or do not wait for catch-up.");
            }
            LOG.info("Waiting up to {} s for slots {} to confirm the source's WAL position {}", timeout.toSeconds(), slots, lsn);
            long deadline = started + timeout.toNanos();
            while (true) {
                SlotLag worst;
                try (Session source = context.open(Side.SOURCE)) {
                    worst = worstLag(source.connection(), slots, lsn);
                }
                // While a table's initial copy runs, the subscription's own slot skips that table's changes and can
                // look caught up: native subscriptions count only when every table is ready.
                long syncing = subscriptions.isEmpty() ? 0 : tablesStillSyncing(context);
                Duration waited = Duration.ofNanos(System.nanoTime() - started);
                if (worst.bytes() <= 0 && syncing == 0) {
                    LOG.info("The target caught up with {} after {} ms", lsn, waited.toMillis());
                    return new ReplicationLag(lsn, slots, 0, worst.seconds(), true, waited);
                }
                if (System.nanoTime() > deadline) {
                    String behind = worst.bytes() > 0
                            ? "slot " + worst.slot() + " is still " + worst.bytes() + " bytes of WAL behind " + lsn
                            : syncing + " subscribed tables are still in their initial copy";
                    throw new VerifyException(ErrorCode.TIMEOUT, "The target did not catch up with the source within "
                            + timeout.toSeconds() + " s: " + behind + " — is the subscription enabled and running?");
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (SQLException e) {
            throw SqlErrors.toException("source", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerifyException(ErrorCode.INTERRUPTED, "Interrupted while waiting for the target to catch up.");
        }
    }

    /**
     * The insert position, not the write position: with {@code synchronous_commit = off} a transaction that has
     * committed can still be beyond what has been written.
     */
    private static String currentLsn(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(
                     "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The slots the target's subscriptions in this database use (readable without superuser). */
    private static List<String> subscriptionSlots(CheckContext context) throws SQLException {
        try (Session target = context.open(Side.TARGET)) {
            return names(target.connection(), "SELECT s.subslotname FROM pg_subscription s JOIN pg_database d ON d.oid = s.subdbid"
                    + " WHERE d.datname = current_database() AND s.subslotname IS NOT NULL ORDER BY 1");
        }
    }

    private static long tablesStillSyncing(CheckContext context) throws SQLException {
        try (Session target = context.open(Side.TARGET); Statement statement = target.connection().createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_subscription_rel r"
                     + " JOIN pg_subscription s ON s.oid = r.srsubid JOIN pg_database d ON d.oid = s.subdbid"
                     + " WHERE d.datname = current_database() AND r.srsubstate <> 'r'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> logicalSlots(Connection connection) throws SQLException {
        return names(connection, "SELECT slot_name FROM pg_replication_slots"
                + " WHERE slot_type = 'logical' AND database = current_database() ORDER BY 1");
    }

    /** The first column of every row of a query. */
    private static List<String> names(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    private static SlotLag worstLag(Connection connection, List<String> slots, String lsn) throws SQLException {
        String sql = """
                SELECT s.slot_name, coalesce(pg_wal_lsn_diff(CAST(? AS pg_lsn), s.confirmed_flush_lsn), 9223372036854775807)::bigint,
                       extract(epoch FROM r.replay_lag)::float8
                  FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
                 WHERE s.slot_name = ANY (?)""";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, lsn);
            statement.setArray(2, connection.createArrayOf("text", slots.toArray()));
            SlotLag worst = null;
            int found = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    found++;
                    double seconds = rs.getDouble(3);
                    SlotLag lag = new SlotLag(rs.getString(1), rs.getLong(2), rs.wasNull() ? null : seconds);
                    if (worst == null || lag.bytes() > worst.bytes()) {
                        worst = lag;
                    }
                }
            }
            if (found < slots.size()) {
                throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "source: replication slot(s) " + slots
                        + " not all found in pg_replication_slots: check the slot names.");
            }
            return worst;
        }
    }
}
