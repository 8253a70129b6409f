package io.pgverify.internal.jdbc;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session settings pinned in every transaction pgverify runs, so that the same data reads the same way whatever
 * the server's or database's defaults: anything read as text (keys, boundaries, types without a stable binary form)
 * is then written identically on both sides.
 */
public final class SessionSettings {

    private final Map<String, String> values;

    private SessionSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static SessionSettings of(String applicationName, Duration statementTimeout, Duration lockTimeout) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("TimeZone", "UTC");
        values.put("DateStyle", "ISO, YMD");
        values.put("IntervalStyle", "postgres");
        values.put("extra_float_digits", "3");
        values.put("bytea_output", "hex");
        values.put("lc_monetary", "C");
        // Key boundaries are written into COPY statements as literals, quoted for this setting.
        values.put("standard_conforming_strings", "on");
        // User types print schema-qualified on both sides; every identifier pgverify writes is quoted and qualified.
        values.put("search_path", "pg_catalog");
        values.put("transaction_read_only", "on");
        // Row-level security would silently show this user a subset of the rows on both sides, and equal subsets would
        // pass: off makes such a query fail instead (as pg_dump does), and the table is reported incomplete.
        values.put("row_security", "off");
        values.put("statement_timeout", String.valueOf(statementTimeout.toMillis()));
        values.put("lock_timeout", String.valueOf(lockTimeout.toMillis()));
        // A verifier that hangs must not hold a transaction open on the source for ever.
        values.put("idle_in_transaction_session_timeout", String.valueOf(Math.max(statementTimeout.toMillis(), 60_000) + 60_000));
        values.put("application_name", applicationName);
        return new SessionSettings(values);
    }

    /** One SELECT that applies every setting to the current transaction only ({@code set_config(…, true)}). */
    String applySql() {
        StringBuilder sql = new StringBuilder("SELECT ");
        boolean first = true;
        for (String name : values.keySet()) {
            if (!first) {
                sql.append(", ");
            }
            sql.append("set_config('").append(name).append("', ?, true)");
            first = false;
        }
        return sql.toString();
    }

    /**
     * One SELECT that applies every setting to the session ({@code set_config(…, false)}), run outside a transaction:
     * read-only as the default of every later transaction, since {@code transaction_read_only} itself lasts one.
     */
    String pinSql() {
        StringBuilder sql = new StringBuilder("SELECT ");
        boolean first = true;
        for (String name : values.keySet()) {
            if (!first) {
                sql.append(", ");
            }
            String session = name.equals("transaction_read_only") ? "default_transaction_read_only" : name;
            sql.append("set_config('").append(session).append("', ?, false)");
            first = false;
        }
        return sql.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionSettings settings && settings.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /**
     * Applies every setting to the connection's current transaction, for a transaction not opened through
     * {@link Session#open} (the one that exports a snapshot must first set its isolation level).
     */
    public void applyTo(java.sql.Connection connection) throws java.sql.SQLException {
        try (java.sql.PreparedStatement statement = connection.prepareStatement(applySql())) {
            int index = 1;
            for (String value : parameterValues()) {
                statement.setString(index++, value);
            }
            statement.execute();
        }
    }

    Iterable<String> parameterValues() {
        return values.values();
    }

    public String get(String name) {
        return values.get(name);
    }
}
