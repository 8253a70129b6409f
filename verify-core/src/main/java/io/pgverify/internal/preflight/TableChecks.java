package io.pgverify.internal.preflight;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.pgverify.MigrationMethod;
import io.pgverify.PreflightFinding.Severity;
import io.pgverify.internal.catalog.TableFilter;

/** What logical replication cannot carry, read from the source's catalogs: keys, sequences, unlogged tables, large objects. */
final class TableChecks {

    static final String NO_REPLICA_IDENTITY = "table_without_replica_identity";
    static final String REPLICA_IDENTITY_FULL = "replica_identity_full";
    static final String DEFERRABLE = "deferrable_constraint";
    static final String SEQUENCES = "sequences_not_replicated";
    static final String UNLOGGED = "unlogged_table";
    static final String LARGE_OBJECTS = "large_objects";
    static final String NOT_REPLICATED = "objects_not_replicated";

    /** Relations that belong to an extension are the extension's business (it recreates them). */
    static final String NOT_EXTENSION_MEMBER = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
            + "AND d.objid = c.oid AND d.deptype = 'e')";

    private TableChecks() {
    }

    /**
     * Tables whose UPDATEs and DELETEs logical replication cannot apply. The relcache only takes a primary key or
     * replica identity index as the identity when it is valid and immediate (not deferrable), so a deferrable primary
     * key leaves a table without one, exactly as no key does.
     */
    static void replicaIdentity(Probe p) throws SQLException {
        List<String> none = new ArrayList<>();
        List<String> full = new ArrayList<>();
        Probe.query(p.source, """
                SELECT n.nspname, c.relname, c.relreplident,
                       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_pk,
                       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary
                               AND i.indimmediate AND i.indisvalid) AS usable_pk,
                       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident
                               AND i.indimmediate AND i.indisvalid) AS usable_index
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND c.relpersistence = 'p' AND\s""" + NOT_EXTENSION_MEMBER + """
                 ORDER BY 1, 2""", rs -> {
            String schema = rs.getString(1);
            String table = rs.getString(2);
            if (!p.settings.filter().matches(schema, table)) {
                return;
            }
            char identity = rs.getString(3).charAt(0);
            boolean usable = switch (identity) {
                case 'd' -> rs.getBoolean("usable_pk");
                case 'i' -> rs.getBoolean("usable_index");
                case 'f' -> true;
                default -> false;
            };
            String name = Probe.display(schema, table);
            if (!usable) {
                String detail = identity == 'n' ? "REPLICA IDENTITY NOTHING"
                        : rs.getBoolean("has_pk") ? "its primary key is deferrable or invalid"
                        : identity == 'i' ? "its replica identity index is deferrable or invalid" : "no primary key";
                none.add(name + " (" + detail + ")");
            } else if (identity == 'f') {
                full.add(name + " (REPLICA IDENTITY FULL)");
            }
        });
        MigrationMethod method = p.method();
        p.findings.add(NO_REPLICA_IDENTITY, method.replicates() ? Severity.BLOCKER : Severity.INFO,
                "Tables without a primary key or usable replica identity",
                none,
                method.replicates()
                        ? "Logical replication identifies an updated or deleted row by the table's replica identity (its "
                                + "primary key by default). Once such a table is published, every UPDATE and DELETE on it "
                                + "fails on the source; pglogical leaves such tables out of replication altogether."
                        : "pg_dump and pg_restore copy these tables fine, but without a key a verification can only "
                                + "compare them as a whole (as multisets of rows), not say which row differs.",
                method.replicates()
                        ? "Add a primary key (or ALTER TABLE ... REPLICA IDENTITY USING INDEX on a unique, non-partial, "
                                + "immediate index over NOT NULL columns) before creating the publication; as a last "
                                + "resort, REPLICA IDENTITY FULL (slow on the subscriber, unsupported by pglogical)."
                        : "Nothing is needed for dump and restore; consider adding primary keys.");
        p.findings.add(REPLICA_IDENTITY_FULL, switch (method) {
            case PGLOGICAL -> Severity.BLOCKER;
            case LOGICAL -> Severity.WARNING;
            case DUMP_RESTORE -> null;
        }, "Tables replicated with REPLICA IDENTITY FULL", full,
                "Every UPDATE and DELETE is sent with the whole old row, and the subscriber must find the row by "
                        + "comparing all columns (a sequential scan per change unless an index fits); pglogical does not "
                        + "support REPLICA IDENTITY FULL.",
                "Give these tables a primary key or a replica identity index before the migration.");
    }

    /** Deferrable primary keys and unique constraints: pglogical cannot apply changes through them. */
    static void deferrableConstraints(Probe p) throws SQLException {
        if (!p.method().replicates()) {
            return;
        }
        List<String> objects = new ArrayList<>();
        Probe.query(p.source, """
                SELECT n.nspname, c.relname, con.conname, con.contype, con.condeferred
                FROM pg_constraint con
                JOIN pg_class c ON c.oid = con.conrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE con.contype IN ('p', 'u') AND con.condeferrable AND c.relkind IN ('r', 'p') AND\s"""
                + NOT_EXTENSION_MEMBER + " ORDER BY 1, 2, 3", rs -> {
            if (p.settings.filter().matches(rs.getString(1), rs.getString(2))) {
                objects.add(Probe.display(rs.getString(1), rs.getString(2)) + ": constraint " + Probe.part(rs.getString(3))
                        + " (" + ("p".equals(rs.getString(4)) ? "PRIMARY KEY" : "UNIQUE") + " DEFERRABLE INITIALLY "
                        + (rs.getBoolean(5) ? "DEFERRED" : "IMMEDIATE") + ")");
            }
        });
        // Built-in logical replication applies changes through them fine; only as a replica identity do they fail, and
        // that is reported as a table without one.
        p.findings.add(DEFERRABLE, p.method() == MigrationMethod.PGLOGICAL ? Severity.BLOCKER : Severity.INFO,
                "Deferrable primary keys or unique constraints", objects,
                "pglogical cannot use a deferrable constraint to find or check rows, and PostgreSQL itself does not "
                        + "accept a deferrable primary key or index as a table's replica identity: UPDATE and DELETE on "
                        + "such a table cannot be replicated.",
                "Make the constraints NOT DEFERRABLE for the migration (ALTER TABLE ... ALTER CONSTRAINT ... NOT "
                        + "DEFERRABLE works for unique constraints; recreate a primary key), or move these tables by dump "
                        + "and restore while writes are stopped.");
    }

    /** Sequences: logical replication does not carry their values. */
    static void sequences(Probe p) throws SQLException {
        if (!p.method().replicates()) {
            return;
        }
        List<String> objects = new ArrayList<>();
        Probe.query(p.source, """
                SELECT n.nspname, c.relname, tn.nspname, t.relname, a.attname
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                LEFT JOIN pg_class t ON t.oid = d.refobjid
                LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
                LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                WHERE c.relkind = 'S' AND\s""" + NOT_EXTENSION_MEMBER + " ORDER BY 1, 2", rs -> {
            String schema = rs.getString(1);
            String sequence = rs.getString(2);
            boolean owned = rs.getString(4) != null;
            if (TableFilter.isSystemSchema(schema)
                    || !p.settings.filter().matches(owned ? rs.getString(3) : schema, owned ? rs.getString(4) : sequence)) {
                return;
            }
            objects.add(Probe.display(schema, sequence) + (owned ? " (for " + Probe.display(rs.getString(3), rs.getString(4))
                    + "." + Probe.part(rs.getString(5)) + ")" : ""));
        });
        boolean pglogical = p.method() == MigrationMethod.PGLOGICAL;
        p.findings.add(SEQUENCES, Severity.WARNING, "Sequences that replication does not keep current", objects,
                pglogical
                        ? "pglogical copies sequence values only when they are added to a replication set, and then "
                                + "periodically, ahead by a margin: not exactly at cutover."
                        : "Logical replication copies rows, not sequence values: after cutover the target's sequences "
                                + "would hand out numbers the source already used, and inserts would fail on duplicate keys.",
                "At cutover, after writes stop on the source: set each sequence on the target past the source's value "
                        + "(SELECT setval('schema.seq', <source last_value> + margin)), then run 'pgverify verify "
                        + "--checks sequences' to confirm before promoting.");
    }

    static void unloggedTables(Probe p) throws SQLException {
        List<String> objects = new ArrayList<>();
        Probe.query(p.source, """
                SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'u' AND\s""" + NOT_EXTENSION_MEMBER + " ORDER BY 1, 2",
                rs -> {
                    if (p.settings.filter().matches(rs.getString(1), rs.getString(2))) {
                        objects.add(Probe.display(rs.getString(1), rs.getString(2)));
                    }
                });
        p.findings.add(UNLOGGED, p.method().replicates() ? Severity.WARNING : Severity.INFO, "Unlogged tables", objects,
                p.method().replicates()
                        ? "Unlogged tables write no WAL, so neither logical nor physical replication carries them: they "
                                + "arrive empty on the target (a publication FOR ALL TABLES silently leaves them out)."
                        : "pg_dump copies unlogged tables' rows unless --no-unlogged-table-data is given; they stay "
                                + "unlogged on the target, are emptied by a crash and are not on its standbys.",
                p.method().replicates()
                        ? "Copy them at cutover (pg_dump --data-only -t ... after writes stop), or ALTER TABLE ... SET "
                                + "LOGGED before the migration if their contents matter."
                        : "Check that the dump does not use --no-unlogged-table-data if their contents matter.");
    }

    /** Large objects live in pg_largeobject, which no replication publishes. */
    static void largeObjects(Probe p) throws SQLException {
        long count = Long.parseLong(Probe.text(p.source,
                "SELECT count(*) FROM (SELECT 1 FROM pg_largeobject_metadata LIMIT 10000000) lo"));
        List<String> objects = new ArrayList<>();
        if (count > 0) {
            List<String> first = new ArrayList<>();
            Probe.query(p.source, "SELECT oid FROM pg_largeobject_metadata ORDER BY oid LIMIT 10",
                    rs -> first.add(rs.getString(1)));
            objects.add((count >= 10_000_000 ? "at least " : "") + count + " large object" + (count == 1 ? "" : "s")
                    + " in pg_largeobject (OIDs " + String.join(", ", first) + (count > first.size() ? ", ..." : "") + ")");
            // Columns that may hold their OIDs: what the application reads them through.
            Probe.query(p.source, """
                    SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
                    FROM pg_attribute a
                    JOIN pg_class c ON c.oid = a.attrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    JOIN pg_type t ON t.oid = a.atttypid
                    WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
                      AND (a.atttypid = 'oid'::regtype OR t.typname = 'lo')
                      AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                    ORDER BY 1, 2, 3""", rs -> objects.add(Probe.display(rs.getString(1), rs.getString(2)) + "."
                    + Probe.part(rs.getString(3)) + " (" + rs.getString(4) + " column, may reference large objects)"));
        }
        p.findings.add(LARGE_OBJECTS, p.method().replicates() ? Severity.WARNING : Severity.INFO, "Large objects", objects,
                p.method().replicates()
                        ? "Logical replication and pglogical do not carry large objects: the target would have the rows "
                                + "that reference them but not their contents."
                        : "pg_dump includes large objects in a whole-database dump, but leaves them out when tables or "
                                + "schemas are selected (-t, -n) unless --large-objects (-b) is given.",
                p.method().replicates()
                        ? "Copy them at cutover after writes stop (pg_dump --large-objects --data-only ...), or move "
                                + "their contents into bytea columns before the migration."
                        : "If the dump selects tables or schemas, add --large-objects (-b); compare the count on both sides "
                                + "(SELECT count(*) FROM pg_largeobject_metadata) after the restore.");
    }

    /** Materialized views and foreign tables: replication carries neither. */
    static void objectsNotReplicated(Probe p) throws SQLException {
        if (!p.method().replicates()) {
            return;
        }
        List<String> objects = new ArrayList<>();
        Probe.query(p.source, """
                SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('m', 'f') AND\s""" + NOT_EXTENSION_MEMBER + " ORDER BY 1, 2", rs -> {
            if (p.settings.filter().matches(rs.getString(1), rs.getString(2))) {
                objects.add(Probe.display(rs.getString(1), rs.getString(2))
                        + ("m".equals(rs.getString(3)) ? " (materialized view)" : " (foreign table)"));
            }
        });
        p.findings.add(NOT_REPLICATED, Severity.WARNING, "Objects that replication does not carry", objects,
                "Logical replication publishes ordinary tables only: a materialized view arrives empty (or stale), and a "
                        + "foreign table's rows live on another server, which the target must be able to reach. Schema "
                        + "changes (DDL) are not replicated either.",
                "REFRESH MATERIALIZED VIEW on the target at cutover; create the foreign servers and user mappings on the "
                        + "target; freeze schema changes on the source while replication runs.");
    }
}
