package io.pgverify.internal.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pgverify.ServerInfo;

/**
 * Reads one side's catalog: the tables to verify with their columns and keys, and the sequences. The same queries run
 * on both sides and work on PostgreSQL 13 and later.
 */
public final class CatalogReader {

    /**
     * Base types whose binary send format is the same from PostgreSQL 13 on and does not depend on session settings.
     * Everything else (user-defined base types, composites, types without send functions, anything new) is read as
     * text under pinned settings: slower, but never a false alarm from a changed binary format.
     */
    private static final Set<String> BINARY_STABLE_TYPES = Set.of(
            "bool", "bytea", "char", "name", "int8", "int2", "int4", "text", "oid", "json", "xml", "float4", "float8",
            "money", "bpchar", "varchar", "date", "time", "timestamp", "timestamptz", "interval", "timetz", "bit",
            "varbit", "numeric", "uuid", "jsonb", "inet", "cidr", "macaddr", "macaddr8", "point", "line", "lseg", "box",
            "path", "polygon", "circle", "pg_lsn", "tsvector", "tsquery", "int4range", "int8range", "numrange",
            "daterange", "tsrange", "tstzrange");

    /** Types whose NaN has more than one bit pattern; see {@link io.pgverify.internal.plan.TablePlan}. */
    public static final Set<String> FLOAT_TYPES = Set.of("float4", "float8");

    /**
     * Every table. The join is planned apart from the sort (OFFSET 0 fences it): asked for rows in schema order, the
     * planner walked pg_namespace in name order and, for each schema, filtered every table (a nested loop of schemas
     * times tables, 413,000 comparisons and 40 ms a side for 2,000 tables in 200 schemas, quadratic in a
     * schema-per-tenant database) instead of hashing one side and sorting 2,000 rows.
     */
    static final String TABLES_SQL = """
            SELECT * FROM (
                SELECT c.oid, n.nspname, c.relname, c.relkind = 'p' AS partitioned,
                       CASE WHEN c.relkind = 'p' THEN
                            (SELECT coalesce(sum(greatest(pc.reltuples, 0)), 0)::bigint
                               FROM pg_partition_tree(c.oid) pt JOIN pg_class pc ON pc.oid = pt.relid WHERE pt.isleaf)
                            ELSE c.reltuples::bigint END AS estimated_rows
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
                   AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
                OFFSET 0) AS t
             ORDER BY nspname, relname""";

    private static final String COLUMNS_SQL = """
            SELECT a.attrelid, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod), a.atttypid, a.attnotnull,
                   coalesce(co.collname, ''), a.attcollation <> 0
              FROM pg_attribute a LEFT JOIN pg_collation co ON co.oid = a.attcollation
             WHERE a.attrelid = ANY (?) AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attrelid, a.attnum""";

    /** Primary keys first, then unique indexes whose columns are all NOT NULL (a usable replica identity). */
    private static final String KEYS_SQL = """
            SELECT i.indrelid, i.indisprimary, ic.relname, array_agg(a.attname ORDER BY k.ord)
              FROM pg_index i
              JOIN pg_class ic ON ic.oid = i.indexrelid
              CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE i.indrelid = ANY (?) AND i.indisunique AND i.indisvalid AND i.indpred IS NULL
               AND i.indexprs IS NULL AND 0 <> ALL (i.indkey)
             GROUP BY i.indrelid, i.indisprimary, ic.relname
            HAVING bool_and(a.attnotnull)
             ORDER BY i.indrelid, i.indisprimary DESC, count(*), ic.relname""";

    /**
     * Indexes that back no constraint (those are compared as constraints), named by their definition without the
     * index's own name, and constraints other than NOT NULL (columns carry that).
     */
    private static final String OBJECTS_SQL = """
            SELECT i.indrelid, 'INDEX', ic.relname,
                   replace(pg_get_indexdef(i.indexrelid), ' INDEX ' || quote_ident(ic.relname) || ' ON ', ' INDEX ON '),
                   i.indisvalid
              FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
             WHERE i.indrelid = ANY (?)
               AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid)
            UNION ALL
            SELECT co.conrelid, 'CONSTRAINT', co.conname, pg_get_constraintdef(co.oid), true
              FROM pg_constraint co
             WHERE co.conrelid = ANY (?) AND co.contype IN ('p', 'u', 'f', 'c', 'x')
             ORDER BY 1, 2, 3""";

    /**
     * The types the selected tables' columns use, and what resolving them needs: a domain's base type and an array's
     * element type, followed as far as they go. Keyed by the columns actually read, never by all of pg_type: with a
     * rowtype per table, a database of 10,000 tables holds over 30,000 types and 180,000 attributes, and a filter on
     * "is used by some attribute" (a subplan over pg_attribute) was re-scanned per type on PostgreSQL 13 when its hash
     * did not fit work_mem: quadratic, minutes of one busy core. Here every step is an index lookup.
     */
    private static final String TYPES_SQL = """
            WITH RECURSIVE used(oid) AS (
                SELECT DISTINCT a.atttypid FROM pg_attribute a
                 WHERE a.attrelid = ANY (?) AND a.attnum > 0 AND NOT a.attisdropped
              UNION
                SELECT x.oid FROM used u JOIN pg_type t ON t.oid = u.oid
                       CROSS JOIN LATERAL (VALUES (t.typbasetype), (t.typelem)) AS x(oid)
                 WHERE x.oid <> 0
            )
            SELECT t.oid, n.nspname, t.typname, t.typtype, t.typbasetype, t.typelem, t.typcategory, t.typsend <> 0,
                   t.typsend::regproc::text
              FROM used u JOIN pg_type t ON t.oid = u.oid JOIN pg_namespace n ON n.oid = t.typnamespace""";

    /**
     * Every sequence, with the column it feeds. The owning column's name is a subquery, one index lookup per owned
     * sequence: as a join, the planner hashed all of pg_attribute (67,000 rows for 2,000 tables, spilled to disk at the
     * default work_mem), half of the query's time (EXPLAIN ANALYZE at 2,000 tables: 39 to 47 ms, now 24 to 29 ms a
     * side, all before the first table is read), growing with every table of the database.
     */
    static final String SEQUENCES_SQL = """
            SELECT n.nspname, c.relname, s.seqincrement, tn.nspname, tc.relname,
                   (SELECT ta.attname FROM pg_attribute ta WHERE ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid),
                   has_sequence_privilege(c.oid, 'SELECT')
              FROM pg_sequence s
              JOIN pg_class c ON c.oid = s.seqrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
              LEFT JOIN pg_class tc ON tc.oid = d.refobjid
              LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
             WHERE n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
             ORDER BY n.nspname, c.relname""";

    private CatalogReader() {
    }

    /** Reads the catalog of the database the connection is on. */
    public static Catalog read(Connection connection, TableFilter filter, String endpoint) throws SQLException {
        ServerInfo server = readServer(connection, endpoint);
        boolean databaseIsC = databaseCollationIsC(connection, server.versionNumber());

        Map<Long, String[]> tableRows = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(TABLES_SQL)) {
            while (rs.next()) {
                String schema = rs.getString(2);
                String name = rs.getString(3);
                if (filter.matches(schema, name)) {
                    tableRows.put(rs.getLong(1), new String[] {schema, name, rs.getString(4), rs.getString(5)});
                }
            }
        }
        Long[] oids = tableRows.keySet().toArray(Long[]::new);
        Map<Long, PgType> types = readTypes(connection, oids);
        Map<Long, List<ColumnInfo>> columns = readColumns(connection, oids, types, databaseIsC);
        Map<Long, String[]> keys = readKeys(connection, oids);
        Map<Long, List<SchemaObject>> objects = readObjects(connection, oids);

        List<TableInfo> tables = new ArrayList<>();
        tableRows.forEach((oid, row) -> {
            String[] key = keys.get(oid);
            List<String> keyColumns = key == null ? List.of() : List.of(key).subList(1, key.length);
            tables.add(new TableInfo(row[0], row[1], "t".equals(row[2]), columns.getOrDefault(oid, List.of()),
                    keyColumns, key == null ? "" : key[0], Long.parseLong(row[3]), objects.getOrDefault(oid, List.of())));
        });
        return new Catalog(server, tables, readSequences(connection, filter, tableRows), countLargeObjects(connection));
    }

    private static long countLargeObjects(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_catalog.pg_largeobject_metadata")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static ServerInfo readServer(Connection connection, String endpoint) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(
                     "SELECT current_setting('server_version'), current_setting('server_version_num')::int, current_database()")) {
            rs.next();
            return new ServerInfo(rs.getString(1), rs.getInt(2), rs.getString(3), endpoint);
        }
    }

    /**
     * Whether the database's default collation sorts by bytes: then text keys with the default collation can be read
     * in key ranges that use the index. PostgreSQL 15 added ICU defaults and 17 the builtin provider.
     */
    private static boolean databaseCollationIsC(Connection connection, int versionNumber) throws SQLException {
        String sql;
        if (versionNumber >= 170000) {
            sql = "SELECT datlocprovider, datcollate, coalesce(datlocale, '') FROM pg_database WHERE datname = current_database()";
        } else if (versionNumber >= 150000) {
            sql = "SELECT datlocprovider, datcollate, coalesce(daticulocale, '') FROM pg_database WHERE datname = current_database()";
        } else {
            sql = "SELECT 'c', datcollate, '' FROM pg_database WHERE datname = current_database()";
        }
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            String provider = rs.getString(1);
            String collate = rs.getString(2);
            String locale = rs.getString(3);
            return switch (provider) {
                case "c" -> isCLocale(collate);
                case "b" -> locale.equals("C") || locale.equals("C.UTF-8");
                default -> false;
            };
        }
    }

    private static boolean isCLocale(String name) {
        return name.equals("C") || name.equals("POSIX");
    }

    private static Map<Long, PgType> readTypes(Connection connection, Long[] oids) throws SQLException {
        Map<Long, PgType> types = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(TYPES_SQL)) {
            statement.setArray(1, connection.createArrayOf("oid", oids));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    PgType type = new PgType(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4).charAt(0),
                            rs.getLong(5), rs.getLong(6), rs.getString(7).charAt(0), rs.getBoolean(8), rs.getString(9));
                    types.put(type.oid(), type);
                }
            }
        }
        return types;
    }

    private static Map<Long, List<ColumnInfo>> readColumns(Connection connection, Long[] oids, Map<Long, PgType> types,
                                                           boolean databaseIsC) throws SQLException {
        Map<Long, List<ColumnInfo>> columns = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS_SQL)) {
            statement.setArray(1, connection.createArrayOf("oid", oids));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long typeOid = rs.getLong(5);
                    PgType declared = types.get(typeOid);
                    PgType base = resolveDomain(declared, types);
                    boolean collatable = rs.getBoolean(8);
                    String collation = rs.getString(7);
                    boolean byteOrdered = !collatable || isCLocale(collation) || (collation.equals("default") && databaseIsC);
                    ColumnInfo column = new ColumnInfo(rs.getString(2), rs.getInt(3), rs.getString(4), base,
                            rs.getBoolean(6), binaryStable(base, types), collatable, byteOrdered);
                    columns.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(column);
                }
            }
        }
        return columns;
    }

    private static PgType resolveDomain(PgType type, Map<Long, PgType> types) {
        PgType current = type;
        for (int depth = 0; current != null && current.typtype() == 'd' && depth < 32; depth++) {
            current = types.get(current.baseType());
        }
        if (current == null) {
            throw new IllegalStateException("Type " + (type == null ? "?" : type.name()) + " could not be resolved in pg_type");
        }
        return current;
    }

    /** Whether a column of this (domain-resolved) type can be compared in its binary COPY form. */
    static boolean binaryStable(PgType type, Map<Long, PgType> types) {
        if (!type.hasSend()) {
            return false;
        }
        if (type.typtype() == 'e') {
            return true; // enums are sent as their label
        }
        if (type.isArray()) {
            // An array's binary form carries its element type's OID: stable only for types initdb created.
            // Floats are the exception: a NaN's bits depend on how it was computed, and a copy through text turns every
            // NaN into the canonical one. Their text form (extra_float_digits pinned) is exact and NaN is one spelling.
            PgType element = types.get(type.elementType());
            return element != null && element.builtin() && element.typtype() == 'b' && BINARY_STABLE_TYPES.contains(element.name())
                    && !FLOAT_TYPES.contains(element.name());
        }
        return type.builtin() && BINARY_STABLE_TYPES.contains(type.name());
    }

    private static Map<Long, List<SchemaObject>> readObjects(Connection connection, Long[] oids) throws SQLException {
        Map<Long, List<SchemaObject>> objects = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(OBJECTS_SQL)) {
            java.sql.Array array = connection.createArrayOf("oid", oids);
            statement.setArray(1, array);
            statement.setArray(2, array);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    SchemaObject object = new SchemaObject(SchemaObject.Kind.valueOf(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getBoolean(5));
                    objects.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(object);
                }
            }
        }
        return objects;
    }

    private static Map<Long, String[]> readKeys(Connection connection, Long[] oids) throws SQLException {
        Map<Long, String[]> keys = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(KEYS_SQL)) {
            statement.setArray(1, connection.createArrayOf("oid", oids));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long oid = rs.getLong(1);
                    if (keys.containsKey(oid)) {
                        continue; // the first row is the best key: the primary key, else the narrowest unique index
                    }
                    String[] columnNames = (String[]) rs.getArray(4).getArray();
                    String[] entry = new String[columnNames.length + 1];
                    entry[0] = rs.getBoolean(2) ? "primary key" : "unique index " + rs.getString(3);
                    System.arraycopy(columnNames, 0, entry, 1, columnNames.length);
                    keys.put(oid, entry);
                }
            }
        }
        return keys;
    }

    private static List<SequenceInfo> readSequences(Connection connection, TableFilter filter,
                                                    Map<Long, String[]> selectedTables) throws SQLException {
        Set<String> selected = new java.util.HashSet<>();
        selectedTables.values().forEach(row -> selected.add(row[0] + "." + row[1]));
        List<SequenceInfo> sequences = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(SEQUENCES_SQL)) {
            while (rs.next()) {
                SequenceInfo sequence = new SequenceInfo(rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getBoolean(7));
                // A sequence that feeds a column follows its table's selection; any other follows its own name.
                boolean wanted = sequence.owned()
                        ? selected.contains(sequence.ownerSchema() + "." + sequence.ownerTable())
                        : filter.matches(sequence.schema(), sequence.name());
                if (wanted) {
                    sequences.add(sequence);
                }
            }
        }
        return sequences;
    }
}
