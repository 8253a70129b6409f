package io.pgverify.internal.preflight;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.pgverify.PreflightFinding.Severity;

/**
 * What already holds back vacuum on the source, and what it has cost: a long initial copy adds its own snapshot to
 * these, and the bloat grows until the source degrades (the third migration story: IOPS exhausted after five hours).
 */
final class Horizon {

    static final String XMIN = "xmin_held_back";
    static final String DEAD_ROWS = "dead_rows_accumulated";

    /** Below this, dead rows are the ordinary work of autovacuum. */
    private static final long DEAD_ROWS_MINIMUM = 10_000;
    private static final double DEAD_ROWS_SHARE = 0.2;

    private Horizon() {
    }

    static void xmin(Probe p) throws SQLException {
        long seconds = p.settings.longTransaction().toSeconds();
        List<String> objects = new ArrayList<>();
        if (!Probe.superuserOrMemberOf(p.source, "pg_read_all_stats")) {
            // Other roles' sessions show no transaction start: their age cannot be judged.
            p.findings.notChecked(XMIN, "transactions of other roles: their start times are hidden from this role; grant "
                    + "it pg_read_all_stats (or run as a superuser) to see every session");
        }
        Probe.query(p.source, """
                SELECT pid, usename, application_name, coalesce(client_addr::text, 'local'), state,
                       to_char(xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC',
                       extract(epoch FROM now() - xact_start)::bigint, age(backend_xmin), backend_type
                FROM pg_stat_activity
                WHERE pid <> pg_backend_pid() AND (backend_xmin IS NOT NULL OR backend_xid IS NOT NULL)
                  AND (datname = current_database() OR datname IS NULL)
                  AND backend_type NOT IN ('autovacuum worker', 'autovacuum launcher')
                  AND xact_start <= now() - make_interval(secs => ?)
                ORDER BY xact_start""", rs -> objects.add("session pid " + rs.getInt(1) + " (user " + rs.getString(2)
                + ", application '" + rs.getString(3) + "', client " + rs.getString(4) + ", " + rs.getString(9) + ", "
                + rs.getString(5) + "): transaction open since " + rs.getString(6) + " (" + duration(rs.getLong(7))
                + "), xmin age " + rs.getString(8) + " transactions"), (double) seconds);
        Probe.query(p.source, """
                SELECT gid, owner, database, to_char(prepared AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC',
                       extract(epoch FROM now() - prepared)::bigint, age(transaction)
                FROM pg_prepared_xacts WHERE prepared <= now() - make_interval(secs => ?) ORDER BY prepared""",
                rs -> objects.add("prepared transaction '" + rs.getString(1) + "' (owner " + rs.getString(2) + ", database "
                        + rs.getString(3) + "): prepared since " + rs.getString(4) + " (" + duration(rs.getLong(5))
                        + "), xmin age " + rs.getString(6) + " transactions"), (double) seconds);
        Probe.query(p.source, """
                SELECT slot_name, slot_type, coalesce(database, '(all databases)'), age(xmin), age(catalog_xmin),
                       pg_size_pretty(pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                                                      ELSE pg_current_wal_lsn() END, restart_lsn))
                FROM pg_replication_slots
                WHERE NOT active AND (database = current_database() OR database IS NULL)
                ORDER BY slot_name""", rs -> objects.add("replication slot " + rs.getString(1) + " (" + rs.getString(2)
                + ", " + rs.getString(3) + ", inactive): xmin age " + (rs.getString(4) == null ? "-" : rs.getString(4))
                + ", catalog_xmin age " + (rs.getString(5) == null ? "-" : rs.getString(5)) + ", WAL retained "
                + (rs.getString(6) == null ? "-" : rs.getString(6))));
        p.findings.add(XMIN, Severity.WARNING, "Transactions and replication slots holding back vacuum on the source", objects,
                "While a transaction or a slot holds an old xmin, vacuum can remove no row version deleted or updated "
                        + "after it: tables and indexes bloat, queries slow down, and an inactive slot also keeps every "
                        + "WAL segment since it stopped. A migration's initial copy holds its own snapshot for hours on "
                        + "top of these.",
                "End the sessions (pg_terminate_backend(pid)) or fix the applications that leave transactions open; "
                        + "COMMIT PREPARED or ROLLBACK PREPARED old prepared transactions; drop slots no one consumes "
                        + "(pg_drop_replication_slot). Watch these during the copy, and copy large tables in their own "
                        + "subscriptions, one after another.");
    }

    /** Tables that already carry many dead rows: what held-back vacuum, or vacuum not keeping up, has left behind. */
    static void deadRows(Probe p) throws SQLException {
        List<String> objects = new ArrayList<>();
        Probe.query(p.source, """
                SELECT schemaname, relname, n_live_tup, n_dead_tup,
                       coalesce(to_char(greatest(last_autovacuum, last_vacuum) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC', 'never')
                FROM pg_stat_user_tables
                WHERE n_dead_tup >= ? AND n_dead_tup > ? * greatest(n_live_tup, 1)
                ORDER BY n_dead_tup DESC""", rs -> {
            if (p.settings.filter().matches(rs.getString(1), rs.getString(2))) {
                long live = rs.getLong(3);
                long dead = rs.getLong(4);
                objects.add(Probe.display(rs.getString(1), rs.getString(2)) + ": " + dead + " dead rows, " + live
                        + " live (" + (live == 0 ? "all" : Math.round(100.0 * dead / live) + " %") + "), last vacuumed "
                        + rs.getString(5));
            }
        }, DEAD_ROWS_MINIMUM, DEAD_ROWS_SHARE);
        p.findings.add(DEAD_ROWS, Severity.WARNING, "Tables carrying many dead rows on the source", objects,
                "Dead rows make every scan, including the migration's initial copy, read more than the live data; they "
                        + "pile up when vacuum is held back or cannot keep up, and a long copy adds to them.",
                "Find what holds vacuum back (see " + XMIN + "), then VACUUM these tables before the migration starts.");
    }

    private static String duration(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
