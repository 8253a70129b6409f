package io.pgverify.internal.preflight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.pgverify.MigrationMethod;

/**
 * What one check sees: a read-only transaction on the source, one on the target when a target was given, the settings
 * and where to put what it finds.
 */
final class Probe {

    /** Reads one row of a result. */
    @FunctionalInterface
    interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    final Connection source;
    final Connection target;
    final int sourceVersion;
    final int targetVersion;
    final PreflightSettings settings;
    final Findings findings;

    Probe(Connection source, Connection target, int sourceVersion, int targetVersion, PreflightSettings settings,
          Findings findings) {
        this.source = source;
        this.target = target;
        this.sourceVersion = sourceVersion;
        this.targetVersion = targetVersion;
        this.settings = settings;
        this.findings = findings;
    }

    MigrationMethod method() {
        return settings.method();
    }

    boolean hasTarget() {
        return target != null;
    }

    /** Runs a query with text or number parameters and hands each row to {@code row}. */
    static void query(Connection connection, String sql, Row row, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }

    /** The first column of the single row of a query, as text (null when there is no row). */
    static String text(Connection connection, String sql, Object... parameters) throws SQLException {
        String[] value = new String[1];
        query(connection, sql, rs -> value[0] = rs.getString(1), parameters);
        return value[0];
    }

    /** True when the connected role is a superuser or a member of {@code role} (e.g. {@code pg_read_all_stats}). */
    static boolean superuserOrMemberOf(Connection connection, String role) throws SQLException {
        return "t".equals(text(connection, "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
                + "OR (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?) AND pg_has_role(current_user, ?, 'MEMBER'))",
                role, role));
    }

    static boolean superuser(Connection connection) throws SQLException {
        return "t".equals(text(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
    }

    private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile("[a-z_][a-z0-9_$]*");

    /** {@code schema.name} for reports, quoted only where SQL would need quotes (as the verification report does). */
    static String display(String schema, String name) {
        return part(schema) + "." + part(name);
    }

    static String part(String identifier) {
        return PLAIN.matcher(identifier).matches() ? identifier : ident(identifier);
    }

    /** {@code "schema"."name"} quoted for SQL. */
    static String quoted(String schema, String name) {
        return ident(schema) + "." + ident(name);
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
