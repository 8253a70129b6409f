package io.pgverify.internal.check;

import java.util.ArrayList;
import java.util.List;

import io.pgverify.internal.catalog.CatalogReader;
import io.pgverify.internal.catalog.ColumnInfo;
import io.pgverify.internal.catalog.TableInfo;
import io.pgverify.internal.compare.KeyCodec;
import io.pgverify.internal.compare.KeyLayout;
import io.pgverify.internal.sql.Sql;

/**
 * How one table is read on both sides: the columns both sides have with the same type, each read in a form that is
 * the same on both servers, and the key order, which must be the same order on both sides and the one the Java
 * comparators follow. Everything here is derived from both catalogs, so the SQL sent to the two sides is identical.
 */
public final class TablePlan {

    /** The row count and the two sums of {@link #digestQuery}, over the rows' md5s in a column {@code h}. */
    private static final String DIGEST_COLUMNS = "count(*), coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text,"
            + " coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text";

    private final TableInfo source;
    private final TableInfo target;
    private final List<ColumnInfo> columns;
    private final List<String> selectExpressions;
    private final List<String> sendFunctions;
    private final int[] keyFields;
    private final KeyCodec[] keyCodecs;
    private final List<String> orderExpressions;
    private final List<String> keyCasts;
    private final boolean rangeScannable;

    private TablePlan(TableInfo source, TableInfo target, List<ColumnInfo> columns, List<String> selectExpressions,
                      List<String> sendFunctions, int[] keyFields, KeyCodec[] keyCodecs, List<String> orderExpressions, List<String> keyCasts,
                      boolean rangeScannable) {
        this.source = source;
        this.target = target;
        this.columns = columns;
        this.selectExpressions = selectExpressions;
        this.sendFunctions = sendFunctions;
        this.keyFields = keyFields;
        this.keyCodecs = keyCodecs;
        this.orderExpressions = orderExpressions;
        this.keyCasts = keyCasts;
        this.rangeScannable = rangeScannable;
    }

    /**
     * Plans the comparison of the columns both sides have with the same declared type (the schema check reports the
     * others), keyed by the source's key when all its columns are among them.
     */
    public static TablePlan of(TableInfo source, TableInfo target) {
        List<ColumnInfo> columns = new ArrayList<>();
        List<String> selects = new ArrayList<>();
        List<String> sends = new ArrayList<>();
        List<Boolean> binary = new ArrayList<>();
        for (ColumnInfo column : source.columns()) {
            ColumnInfo other = target.column(column.name()).orElse(null);
            if (other == null || !other.typeDisplay().equals(column.typeDisplay())) {
                continue;
            }
            boolean asIs = column.binaryStable() && other.binaryStable();
            columns.add(column);
            binary.add(asIs);
            selects.add(!asIs ? Sql.quote(column.name()) + "::text"
                    : CatalogReader.FLOAT_TYPES.contains(column.baseType().name()) ? canonicalNaN(column)
                    : Sql.quote(column.name()));
            sends.add(asIs ? column.baseType().send() : "textsend");
        }
        List<String> keyNames = source.keyColumns();
        boolean keyed = !keyNames.isEmpty() && keyNames.stream().allMatch(k -> columns.stream().anyMatch(c -> c.name().equals(k)));
        int[] keyFields = new int[keyed ? keyNames.size() : 0];
        KeyCodec[] codecs = new KeyCodec[keyFields.length];
        List<String> order = new ArrayList<>();
        List<String> casts = new ArrayList<>();
        boolean scannable = keyed;
        for (int k = 0; k < keyFields.length; k++) {
            String name = keyNames.get(k);
            int field = indexOf(columns, name);
            keyFields[k] = field;
            ColumnInfo column = columns.get(field);
            ColumnInfo other = target.column(name).orElseThrow();
            KeyCodec codec = binary.get(field) ? KeyCodec.forType(column.baseType().name()) : null;
            if (codec == null) {
                // No comparator for this type's binary form: read and order the key by its text, byte-wise.
                selects.set(field, Sql.quote(name) + "::text");
                sends.set(field, "textsend");
                codecs[k] = KeyCodec.text();
                order.add(Sql.quote(name) + "::text COLLATE \"C\"");
                casts.add("text");
                scannable = false;
            } else if (codec.collatable() && !(column.byteOrdered() && other.byteOrdered())) {
                // A collation other than C on either side: order explicitly, at the price of the index.
                codecs[k] = codec;
                order.add(Sql.quote(name) + " COLLATE \"C\"");
                casts.add(column.typeDisplay());
                scannable = false;
            } else {
                codecs[k] = codec;
                order.add(Sql.quote(name));
                casts.add(column.typeDisplay());
            }
        }
        // Ranges need an index in key order on the target too: without one (a restore that failed to build the key),
        // every range would scan the whole target table.
        scannable = scannable && target.keyColumns().equals(keyNames);
        return new TablePlan(source, target, List.copyOf(columns), List.copyOf(selects), List.copyOf(sends), keyFields, codecs,
                List.copyOf(order), List.copyOf(casts), scannable);
    }

    /**
     * A float column with every NaN as the canonical one. NaN's bits depend on how it was computed (x86 gives
     * {@code 0xfff8…} for Infinity - Infinity, the literal is {@code 0x7ff8…}), and a copy through text, as pg_dump and
     * logical replication make, keeps only "NaN": the same value must not look different. PostgreSQL's NaN equals NaN.
     */
    private static String canonicalNaN(ColumnInfo column) {
        String type = "pg_catalog." + column.baseType().name();
        String name = Sql.quote(column.name());
        return "(CASE WHEN " + name + " = 'NaN'::" + type + " THEN 'NaN'::" + type + " ELSE " + name + "::" + type + " END)";
    }

    private static int indexOf(List<ColumnInfo> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("No column " + name);
    }

    public TableInfo source() {
        return source;
    }

    public TableInfo target() {
        return target;
    }

    public String displayName() {
        return source.qualifiedKey();
    }

    public boolean keyed() {
        return keyFields.length > 0;
    }

    /**
     * The source's columns that are not compared because the target lacks them or declares another type: the schema
     * check names them; the row checks must not call a table matching while they went unread.
     */
    public List<String> uncomparedColumns() {
        List<String> names = new ArrayList<>();
        for (ColumnInfo column : source.columns()) {
            if (!columns.contains(column)) {
                names.add(column.name());
            }
        }
        return names;
    }

    /** The compared columns, in the order they are selected. */
    public List<ColumnInfo> columns() {
        return columns;
    }

    public List<String> keyNames() {
        return keyed() ? source.keyColumns() : List.of();
    }

    /**
     * Whether key ranges can be read with plain comparisons on the key as declared, so that the index serves each
     * range. Otherwise the table is read as one range: many ranges would each scan the whole table.
     */
    public boolean rangeScannable() {
        return rangeScannable;
    }

    /**
     * {@code FROM ONLY "s"."t"} for plain tables (inheritance children are tables of their own); partitioned parents
     * whole. A table partitioned on one side only (a migration that introduces or removes partitioning) is read whole
     * on both: {@code ONLY} on a partitioned parent reads nothing.
     */
    public String fromClause() {
        boolean partitioned = source.partitioned() || target.partitioned();
        return (partitioned ? "" : "ONLY ") + Sql.qualified(source.schema(), source.name());
    }

    public String selectList() {
        return String.join(", ", selectExpressions);
    }

    /** The key order: ascending, or descending for the highest keys. */
    public String orderBy(boolean descending) {
        List<String> parts = new ArrayList<>();
        for (String expression : orderExpressions) {
            parts.add(descending ? expression + " DESC" : expression);
        }
        return String.join(", ", parts);
    }

    /** The key as a row value in the key order, e.g. {@code ("a", "b")}, for range predicates. */
    public String keyRow() {
        return "(" + String.join(", ", orderExpressions) + ")";
    }

    /**
     * Key values as a row of literals matching {@link #keyRow()}: {@code (CAST('42' AS integer), CAST('x' AS text))}.
     * Literals, not parameters, because COPY takes none; the values are the server's own text output, quoted.
     */
    public String keyLiterals(List<String> values) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < keyCasts.size(); i++) {
            parts.add("CAST(" + Sql.literal(values.get(i)) + " AS " + keyCasts.get(i) + ")");
        }
        return "(" + String.join(", ", parts) + ")";
    }

    /** The key as the merger reads it: which fields, in which order, compared how. */
    public KeyLayout keyLayout() {
        KeyLayout.Builder layout = KeyLayout.builder();
        List<String> names = keyNames();
        for (int k = 0; k < keyFields.length; k++) {
            layout.key(names.get(k), keyFields[k], keyCodecs[k]);
        }
        return layout.build();
    }

    /** {@code COPY (SELECT … FROM … <where> ORDER BY …) TO STDOUT (FORMAT binary)}. */
    public String copyRange(String where, boolean descending, long limit) {
        return "COPY (SELECT " + selectList() + " FROM " + fromClause() + where
                + (keyed() ? " ORDER BY " + orderBy(descending) : "")
                + (limit > 0 ? " LIMIT " + limit : "") + ") TO STDOUT (FORMAT binary)";
    }

    /**
     * One row per side: the row count and a 128-bit multiset digest (two sums of 64-bit halves of each row's md5) of
     * the rows of a range, computed by the server over the very bytes binary COPY would send: each field's type send
     * function, length-prefixed, {@code -1} for NULL. Only this row crosses the network; equal digests on both sides
     * mean equal multisets of rows, and with a unique key, equal rows.
     */
    public String digestQuery(String where) {
        return "SELECT " + DIGEST_COLUMNS + " FROM (SELECT pg_catalog.md5(" + rowBytes() + ") AS h FROM " + fromClause()
                + where + ") AS pgverify_rows";
    }

    /**
     * The digest of {@link #digestQuery} per key bucket (see {@link #bucketPredicate}): one row for each bucket that
     * holds rows, the bucket first. The server scans the table once and sends only these rows.
     */
    public String bucketDigestQuery(int buckets) {
        return "SELECT b, " + DIGEST_COLUMNS + " FROM (SELECT " + bucketOf(buckets) + " AS b, pg_catalog.md5(" + rowBytes()
                + ") AS h FROM " + fromClause() + ") AS pgverify_rows GROUP BY b";
    }

    /** A whole row as binary COPY frames its fields, computed in SQL. */
    private String rowBytes() {
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < selectExpressions.size(); i++) {
            fields.add(fieldBytes(i));
        }
        return fields.isEmpty() ? "''::bytea" : String.join(" || ", fields);
    }

    /**
     * Field {@code i} as binary COPY frames it, computed in SQL: its 4-byte length and its type's send bytes, or the
     * length {@code -1} alone for NULL.
     */
    private String fieldBytes(int i) {
        String value = "pg_catalog." + sendFunctions.get(i) + "(" + selectExpressions.get(i) + ")";
        return "CASE WHEN (" + selectExpressions.get(i) + ") IS NULL THEN '\\xffffffff'::bytea"
                + " ELSE pg_catalog.int4send(pg_catalog.octet_length(" + value + ")) || " + value + " END";
    }

    /** The key's fields among the selected columns, in key order. */
    public int[] keyFieldIndexes() {
        return keyFields.clone();
    }

    /** {@code COPY (SELECT … FROM …) TO STDOUT (FORMAT binary)} in whatever order the server finds cheapest. */
    public String copyUnordered() {
        return "COPY (SELECT " + selectList() + " FROM " + fromClause() + ") TO STDOUT (FORMAT binary)";
    }

    /**
     * A WHERE clause for the rows whose key falls into one of {@code ids} of {@code buckets} key buckets: the bucket
     * {@link io.pgverify.internal.compare.KeyBuckets} computes, computed by the server over the same bytes.
     */
    public String bucketPredicate(int buckets, List<Integer> ids) {
        List<String> list = new ArrayList<>();
        ids.forEach(id -> list.add(Integer.toString(id)));
        return " WHERE " + bucketOf(buckets) + " IN (" + String.join(", ", list) + ")";
    }

    /** The key bucket of a row: the first four bytes of the md5 of its key fields' bytes, masked. */
    private String bucketOf(int buckets) {
        List<String> fields = new ArrayList<>();
        for (int field : keyFields) {
            fields.add(fieldBytes(field));
        }
        return "(('x' || pg_catalog.substr(pg_catalog.md5(" + String.join(" || ", fields) + "), 1, 8))::bit(32)::int4 & "
                + (buckets - 1) + ")";
    }

    /** The name of the compared column read as field {@code index}. */
    public String columnName(int index) {
        return columns.get(index).name();
    }

    /** The key columns, quoted: {@code "a", "b"}. */
    public String keyColumnList() {
        List<String> parts = new ArrayList<>();
        for (String name : keyNames()) {
            parts.add(Sql.quote(name));
        }
        return String.join(", ", parts);
    }

    /**
     * The key columns as text, for boundaries: {@code "a"::text AS key_1, "b"::text AS key_2}. The aliases matter: an
     * output column named like the key would make {@code ORDER BY "a"} sort by the text, not by the key.
     */
    public String keyTextList() {
        List<String> parts = new ArrayList<>();
        List<String> names = keyNames();
        for (int i = 0; i < names.size(); i++) {
            parts.add(Sql.quote(names.get(i)) + "::text AS pgverify_key_" + (i + 1));
        }
        return String.join(", ", parts);
    }
}
