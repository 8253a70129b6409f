package io.pgverify.internal.sql;

/** SQL text helpers: every identifier pgverify writes is quoted. */
public final class Sql {

    private Sql() {
    }

    /** {@code "name"}, with embedded quotes doubled: safe for any name PostgreSQL allows. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."name"}. */
    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }

    /** A string literal, for the rare places where a parameter cannot be bound (inside COPY). */
    public static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("A NUL character cannot appear in a PostgreSQL string");
        }
        return "'" + value.replace("'", "''") + "'";
    }
}
