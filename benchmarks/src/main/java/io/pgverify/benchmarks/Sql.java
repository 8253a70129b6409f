package io.pgverify.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The few ways the scenarios run SQL while loading and changing data. */
final class Sql {

    private Sql() {
    }

    static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /**
     * Runs the statements in one transaction: a table created and filled in the same transaction writes no WAL under
     * {@code wal_level=minimal}.
     */
    static void inOneTransaction(Connection connection, String... statements) throws SQLException {
        connection.setAutoCommit(false);
        try {
            execute(connection, statements);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** An UPDATE that must change exactly one row: a change the benchmark plants, or its reversal. */
    static void updateOne(Connection connection, String update) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int updated = statement.executeUpdate(update);
            if (updated != 1) {
                throw new IllegalStateException("'" + update + "' changed " + updated + " rows, not 1");
            }
        }
    }
}
