package io.pgverify.internal.preflight;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.pgverify.MigrationMethod;
import io.pgverify.PreflightFinding.Severity;

/** What the source must have before logical replication can start: WAL level, free slots and senders, a role, publications. */
final class SourceReadiness {

    static final String WAL_LEVEL = "wal_level_not_logical";
    static final String SLOTS = "replication_slots_exhausted";
    static final String SENDERS = "wal_senders_exhausted";
    static final String ROLE = "replication_role_privileges";
    static final String PUBLICATIONS = "tables_not_published";
    static final String PGLOGICAL = "pglogical_not_installed";

    /** One slot for the subscription, and one per table-synchronisation worker while the initial copy runs. */
    private static final int DEFAULT_SYNC_WORKERS = 2;

    private SourceReadiness() {
    }

    static void capacity(Probe p) throws SQLException {
        if (!p.method().replicates()) {
            return;
        }
        String walLevel = Probe.text(p.source, "SELECT setting FROM pg_settings WHERE name = 'wal_level'");
        if (!"logical".equals(walLevel)) {
            p.findings.add(WAL_LEVEL, Severity.BLOCKER, "wal_level is not logical on the source",
                    List.of("wal_level = " + walLevel),
                    "Logical decoding needs wal_level = logical; without it no logical replication slot can be created.",
                    "ALTER SYSTEM SET wal_level = logical (on managed services: the provider's logical-decoding flag, e.g. "
                            + "rds.logical_replication or cloudsql.logical_decoding), then restart the source.");
        }
        long[] slots = new long[2];
        Probe.query(p.source, "SELECT current_setting('max_replication_slots')::int, (SELECT count(*) FROM pg_replication_slots)",
                rs -> {
                    slots[0] = rs.getLong(1);
                    slots[1] = rs.getLong(2);
                });
        int needed = 1 + DEFAULT_SYNC_WORKERS;
        long free = slots[0] - slots[1];
        if (free < needed) {
            p.findings.add(SLOTS, free < 1 ? Severity.BLOCKER : Severity.WARNING, "Too few free replication slots on the source",
                    List.of("max_replication_slots = " + slots[0] + ", in use: " + slots[1] + ", free: " + free),
                    "A subscription needs one slot, and its initial copy one more per table being synchronised "
                            + "(max_sync_workers_per_subscription, default 2); with too few, the copy stalls or the "
                            + "subscription cannot be created.",
                    "Raise max_replication_slots on the source (needs a restart), or drop slots no longer used "
                            + "(SELECT pg_drop_replication_slot(name) for inactive ones).");
        }
        long[] senders = new long[2];
        Probe.query(p.source, "SELECT current_setting('max_wal_senders')::int, (SELECT count(*) FROM pg_stat_replication)",
                rs -> {
                    senders[0] = rs.getLong(1);
                    senders[1] = rs.getLong(2);
                });
        long freeSenders = senders[0] - senders[1];
        if (freeSenders < needed) {
            p.findings.add(SENDERS, freeSenders < 1 ? Severity.BLOCKER : Severity.WARNING,
                    "Too few free WAL senders on the source",
                    List.of("max_wal_senders = " + senders[0] + ", in use: " + senders[1] + ", free: " + freeSenders),
                    "Each subscription, and each table-synchronisation worker during the initial copy, holds one WAL "
                            + "sender on the source; standbys and backups hold others.",
                    "Raise max_wal_senders on the source (needs a restart).");
        }
    }

    /** The replication role needs the REPLICATION attribute (or superuser) and SELECT on every selected table. */
    static void replicationRole(Probe p) throws SQLException {
        if (!p.method().replicates()) {
            return;
        }
        String role = p.settings.replicationUser() != null ? p.settings.replicationUser()
                : Probe.text(p.source, "SELECT current_user");
        String[] attributes = new String[1];
        Probe.query(p.source, "SELECT rolsuper OR rolreplication FROM pg_roles WHERE rolname = ?",
                rs -> attributes[0] = rs.getString(1), role);
        List<String> objects = new ArrayList<>();
        if (attributes[0] == null) {
            objects.add("role " + Probe.part(role) + " does not exist on the source");
        } else {
            if (!"t".equals(attributes[0])) {
                objects.add("role " + Probe.part(role) + " has neither REPLICATION nor SUPERUSER");
            }
            Probe.query(p.source, """
                    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
                      AND NOT (has_schema_privilege(?, n.oid, 'USAGE') AND has_table_privilege(?, c.oid, 'SELECT'))
                    ORDER BY 1, 2""", rs -> {
                if (p.settings.filter().matches(rs.getString(1), rs.getString(2))) {
                    objects.add(Probe.display(rs.getString(1), rs.getString(2)) + " (no SELECT for " + Probe.part(role) + ")");
                }
            }, role, role);
        }
        p.findings.add(ROLE, Severity.BLOCKER, "The replication role lacks privileges on the source", objects,
                "The subscription connects as this role: it needs the REPLICATION attribute to stream changes, and "
                        + "SELECT on every published table (and USAGE on its schema) for the initial copy.",
                "ALTER ROLE " + Probe.part(role) + " WITH REPLICATION (managed services: the provider's replication "
                        + "role, e.g. rds_replication), GRANT USAGE ON SCHEMA ... and GRANT SELECT ON ALL TABLES IN "
                        + "SCHEMA ... TO " + Probe.part(role) + ".");
    }

    /** Tables the publications do not cover: their rows would never reach the target. */
    static void publications(Probe p) throws SQLException {
        if (p.method() != MigrationMethod.LOGICAL) {
            return;
        }
        long publications = Long.parseLong(Probe.text(p.source, "SELECT count(*) FROM pg_publication"));
        Set<String> published = new HashSet<>();
        Probe.query(p.source, "SELECT DISTINCT schemaname, tablename FROM pg_publication_tables",
                rs -> published.add(rs.getString(1) + "\u0000" + rs.getString(2)));
        List<String> objects = new ArrayList<>();
        Probe.query(p.source, """
                SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND c.relpersistence = 'p' AND NOT c.relispartition AND\s"""
                + TableChecks.NOT_EXTENSION_MEMBER + " ORDER BY 1, 2", rs -> {
            String schema = rs.getString(1);
            String table = rs.getString(2);
            if (p.settings.filter().matches(schema, table) && !published.contains(schema + "\u0000" + table)) {
                objects.add(Probe.display(schema, table));
            }
        });
        p.findings.add(PUBLICATIONS, publications == 0 ? Severity.INFO : Severity.WARNING,
                publications == 0 ? "No publication on the source yet" : "Tables no publication covers", objects,
                publications == 0
                        ? "A subscription replicates only what a publication on the source names."
                        : "These tables are in no publication: the subscription would never copy their rows.",
                publications == 0
                        ? "CREATE PUBLICATION ... FOR TABLE <these tables> (or FOR ALL TABLES) on the source."
                        : "ALTER PUBLICATION ... ADD TABLE <these tables>, then ALTER SUBSCRIPTION ... REFRESH PUBLICATION "
                                + "on the target.");
    }

    static void pglogical(Probe p) throws SQLException {
        if (p.method() != MigrationMethod.PGLOGICAL) {
            return;
        }
        String installed = Probe.text(p.source, "SELECT extversion FROM pg_extension WHERE extname = 'pglogical'");
        if (installed != null) {
            return;
        }
        String available = Probe.text(p.source, "SELECT default_version FROM pg_available_extensions WHERE name = 'pglogical'");
        String preload = Probe.text(p.source, "SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries'");
        boolean preloaded = preload != null && List.of(preload.replace(" ", "").split(",")).contains("pglogical");
        p.findings.add(PGLOGICAL, available == null || !preloaded ? Severity.BLOCKER : Severity.WARNING,
                "The pglogical extension is not installed on the source",
                List.of("pglogical: " + (available == null ? "not available on the source server" : "available (" + available
                        + ") but not created in this database") + "; shared_preload_libraries = '" + preload + "'"),
                "pglogical must be installed, preloaded and created in the source database before a node can be created.",
                "Install the pglogical package on the source server, add pglogical to shared_preload_libraries (restart), "
                        + "then CREATE EXTENSION pglogical in this database (managed services: the provider's flag, e.g. "
                        + "cloudsql.enable_pglogical).");
    }
}
