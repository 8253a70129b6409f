package io.pgverify.internal.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * One short unit of work on one side: a read-only transaction with the pinned session settings, rolled back at the
 * end. Short transactions keep the xmin horizon moving: pgverify never holds a snapshot for the whole run.
 * The connection is returned to its pool as it was found (settings are transaction-local).
 */
public final class Session implements AutoCloseable {

    private final Side side;
    private final Connection connection;
    private final boolean originalAutoCommit;
    private final boolean originalReadOnly;
    private final int originalIsolation;

    private Session(Side side, Connection connection, boolean originalAutoCommit, boolean originalReadOnly,
                    int originalIsolation) {
        this.side = side;
        this.connection = connection;
        this.originalAutoCommit = originalAutoCommit;
        this.originalReadOnly = originalReadOnly;
        this.originalIsolation = originalIsolation;
    }

    public static Session open(Side side, DataSource dataSource, SessionSettings settings) throws SQLException {
        return open(side, dataSource, settings, null);
    }

    /**
     * @param snapshot an exported snapshot to read from ({@code pg_export_snapshot()}), or null for a fresh one
     */
    public static Session open(Side side, DataSource dataSource, SessionSettings settings, String snapshot) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            boolean autoCommit = connection.getAutoCommit();
            boolean readOnly = connection.isReadOnly();
            int isolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            if (snapshot != null) {
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try (java.sql.Statement statement = connection.createStatement()) {
                    // Must be the transaction's first statement.
                    statement.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(settings.applySql())) {
                int index = 1;
                for (String value : settings.parameterValues()) {
                    statement.setString(index++, value);
                }
                statement.execute();
            }
            return new Session(side, connection, autoCommit, readOnly, isolation);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, e);
            throw e;
        }
    }

    public Side side() {
        return side;
    }

    public Connection connection() {
        return connection;
    }

    public CopyManager copyManager() throws SQLException {
        return connection.unwrap(PGConnection.class).getCopyAPI();
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
            if (connection.getTransactionIsolation() != originalIsolation) {
                connection.setTransactionIsolation(originalIsolation);
            }
            connection.setReadOnly(originalReadOnly);
            connection.setAutoCommit(originalAutoCommit);
        } finally {
            connection.close();
        }
    }

    private static void closeQuietly(Connection connection, Exception cause) {
        try {
            connection.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
