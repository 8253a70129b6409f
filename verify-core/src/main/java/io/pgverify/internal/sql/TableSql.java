package io.pgverify.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every query that reads a table's rows, written once from the plan's decisions (which columns, read through which
 * expressions, in which key order), so that the SQL sent to the two sides is identical: binary COPY of a key range,
 * server-side digests of ranges and key buckets, key samples and boundaries, counts.
 */
public final class TableSql {

    /** The row count and the two sums of {@link #digestQuery}, over the rows' md5s in a column {@code h}. */
    private static final String DIGEST_COLUMNS = "count(*), coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text,"
            + " coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text";

    private final String from;
    private final List<String> selectExpressions;
    private final List<String> sendFunctions;
    private final int[] keyFields;
    private final List<String> keyNames;
    private final List<String> orderExpressions;
    private final List<String> keyCasts;

    /**
     * @param partitioned       whether the table is partitioned on either side
     * @param selectExpressions each field's expression, in the order read
     * @param sendFunctions     each field's send function, for digests computed by the server
     * @param keyFields         the key's fields among them, in key order; empty for a table without a key
     * @param keyNames          the key's column names, in key order
     * @param orderExpressions  the key order, one expression per key column
     * @param keyCasts          the type each key column's literals are cast to
     */
    public TableSql(String schema, String name, boolean partitioned, List<String> selectExpressions,
                    List<String> sendFunctions, int[] keyFields, List<String> keyNames, List<String> orderExpressions,
                    List<String> keyCasts) {
        // FROM ONLY for plain tables (inheritance children are tables of their own); partitioned parents whole. A table
        // partitioned on one side only (a migration that introduces or removes partitioning) is read whole on both:
        // ONLY on a partitioned parent reads nothing.
        this.from = (partitioned ? "" : "ONLY ") + Sql.qualified(schema, name);
        this.selectExpressions = List.copyOf(selectExpressions);
        this.sendFunctions = List.copyOf(sendFunctions);
        this.keyFields = keyFields.clone();
        this.keyNames = List.copyOf(keyNames);
        this.orderExpressions = List.copyOf(orderExpressions);
        this.keyCasts = List.copyOf(keyCasts);
    }

    /** {@code ONLY "s"."t"}, or {@code "s"."t"} for a partitioned table. */
    public String fromClause() {
        return from;
    }

    public String selectList() {
        return String.join(", ", selectExpressions);
    }

    private boolean keyed() {
        return keyFields.length > 0;
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

    /**
     * The WHERE clause for the keys {@code [lower, upper)} in the key order, or empty for the whole table.
     *
     * @param lower the key values (as text) of the inclusive lower bound, or null
     * @param upper the key values (as text) of the exclusive upper bound, or null
     */
    public String keyRange(List<String> lower, List<String> upper) {
        if (lower == null && upper == null) {
            return "";
        }
        StringBuilder where = new StringBuilder(" WHERE ");
        if (lower != null) {
            where.append(keyRow()).append(" >= ").append(keyLiterals(lower));
        }
        if (upper != null) {
            if (lower != null) {
                where.append(" AND ");
            }
            where.append(keyRow()).append(" < ").append(keyLiterals(upper));
        }
        return where.toString();
    }

    /** {@code COPY (SELECT … FROM … <where> ORDER BY …) TO STDOUT (FORMAT binary)}. */
    public String copyRange(String where, boolean descending, long limit) {
        return "COPY (SELECT " + selectList() + " FROM " + from + where
                + (keyed() ? " ORDER BY " + orderBy(descending) : "")
                + (limit > 0 ? " LIMIT " + limit : "") + ") TO STDOUT (FORMAT binary)";
    }

    /** {@code COPY (SELECT … FROM …) TO STDOUT (FORMAT binary)} in whatever order the server finds cheapest. */
    public String copyUnordered() {
        return "COPY (SELECT " + selectList() + " FROM " + from + ") TO STDOUT (FORMAT binary)";
    }

    /**
     * One row per side: the row count and a 128-bit multiset digest (two sums of 64-bit halves of each row's md5) of
     * the rows of a range, computed by the server over the very bytes binary COPY would send: each field's type send
     * function, length-prefixed, {@code -1} for NULL. Only this row crosses the network; equal digests on both sides
     * mean equal multisets of rows, and with a unique key, equal rows.
     */
    public String digestQuery(String where) {
        return "SELECT " + DIGEST_COLUMNS + " FROM (SELECT pg_catalog.md5(" + rowBytes() + ") AS h FROM " + from
                + where + ") AS pgverify_rows";
    }

    /**
     * The digest of {@link #digestQuery} per key bucket (see {@link #bucketPredicate}): one row for each bucket that
     * holds rows, the bucket first. The server scans the table once and sends only these rows.
     */
    public String bucketDigestQuery(int buckets) {
        return "SELECT b, " + DIGEST_COLUMNS + " FROM (SELECT " + bucketOf(buckets) + " AS b, pg_catalog.md5(" + rowBytes()
                + ") AS h FROM " + from + ") AS pgverify_rows GROUP BY b";
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

    /**
     * A WHERE clause for the rows whose key falls into one of {@code ids} of {@code buckets} key buckets: the bucket
     * {@code io.pgverify.internal.compare.KeyBuckets} computes, computed by the server over the same bytes.
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

    /** The key columns, quoted: {@code "a", "b"}. */
    public String keyColumnList() {
        List<String> parts = new ArrayList<>();
        for (String name : keyNames) {
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
        for (int i = 0; i < keyNames.size(); i++) {
            parts.add(Sql.quote(keyNames.get(i)) + "::text AS pgverify_key_" + (i + 1));
        }
        return String.join(", ", parts);
    }

    /** {@code SELECT count(*)} of the table. */
    public String count() {
        return "SELECT count(*) FROM " + from;
    }

    /**
     * The keys, as text and in key order, of one row per page of a {@code TABLESAMPLE SYSTEM} sample of
     * {@code percent} of the table's pages: about evenly spread boundaries without reading the table.
     */
    public String keySample(double percent) {
        String page = "tableoid, (ctid::text::point)[0]";
        return "SELECT " + keyTextList() + " FROM (SELECT DISTINCT ON (" + page + ") " + keyColumnList()
                + " FROM " + from + String.format(Locale.ROOT, " TABLESAMPLE SYSTEM (%.6f)", percent)
                + " ORDER BY " + page + ", random()) AS pgverify_sample ORDER BY " + orderBy(false);
    }

    /**
     * The key of the {@code n}th highest row as one {@code text[]} value (null when the table has fewer rows), for a
     * scalar subquery: many tables' keys in one statement.
     */
    public String nthHighestKeyArray(int n) {
        List<String> parts = new ArrayList<>();
        for (String key : keyNames) {
            parts.add(Sql.quote(key) + "::text");
        }
        return "SELECT ARRAY[" + String.join(", ", parts) + "] FROM " + from + " ORDER BY " + orderBy(true)
                + " OFFSET " + (n - 1) + " LIMIT 1";
    }

    /** The key, as text, of the {@code n}th highest row. */
    public String nthHighestKey(int n) {
        return "SELECT " + keyTextList() + " FROM " + from + " ORDER BY " + orderBy(true) + " OFFSET " + (n - 1)
                + " LIMIT 1";
    }
}
