package io.pgverify.internal.sql;

/**
 * The SQL expressions a column is read through, so that both servers send the same bytes for the same value. Which
 * expression a column gets is the plan's decision ({@code io.pgverify.internal.plan.TablePlan}); the text is written
 * here.
 */
public final class ColumnSql {

    private ColumnSql() {
    }

    /** The column as text: for types without a binary form both sides share. */
    public static String asText(String column) {
        return Sql.quote(column) + "::text";
    }

    /** An expression ordered byte-wise, whatever the column's collation. */
    public static String collateC(String expression) {
        return expression + " COLLATE \"C\"";
    }

    /**
     * A float column with every NaN as the canonical one. NaN's bits depend on how it was computed (x86 gives
     * {@code 0xfff8…} for Infinity - Infinity, the literal is {@code 0x7ff8…}), and a copy through text, as pg_dump and
     * logical replication make, keeps only "NaN": the same value must not look different. PostgreSQL's NaN equals NaN.
     *
     * @param type the column's base type, e.g. {@code float8}
     */
    public static String canonicalNaN(String column, String type) {
        String qualified = "pg_catalog." + type;
        String name = Sql.quote(column);
        return "(CASE WHEN " + name + " = 'NaN'::" + qualified + " THEN 'NaN'::" + qualified + " ELSE " + name + "::"
                + qualified + " END)";
    }

    /** The bytes binary COPY sends for the value, by the type's send function. */
    public static String sendBytes(String expression, String send) {
        return send.equals("byteasend") ? expression : "pg_catalog." + send + "(" + expression + ")";
    }

    /**
     * True when a value's size, read from its header (the string types; json cast to text), is above the limit: no
     * detoasting.
     */
    public static String octetLengthAbove(String expression, int limit) {
        return "pg_catalog.octet_length(" + expression + ") > " + limit;
    }

    /**
     * True when the send form of the value is above the limit. CASE evaluates its branches in order: the send form is
     * computed only for values stored in more than {@code limit / 512} bytes, which compression cannot shrink from more
     * than the limit.
     */
    public static String sendFormAbove(String column, String expression, String send, int limit) {
        return "(CASE WHEN pg_catalog.pg_column_size(" + Sql.quote(column) + ") <= " + limit / 512
                + " THEN false ELSE " + octetLengthAbove(sendBytes(expression, send), limit) + " END)";
    }

    /** The value, or NULL when {@code large} holds. */
    public static String unlessLarge(String large, String expression) {
        return "(CASE WHEN " + large + " THEN NULL ELSE " + expression + " END)";
    }

    /** The server's SHA-256 of the value's send form when {@code large} holds, else NULL. */
    public static String digestIfLarge(String large, String expression, String send) {
        return "(CASE WHEN " + large + " THEN pg_catalog.sha256(" + sendBytes(expression, send) + ") END)";
    }
}
