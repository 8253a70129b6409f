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

    private Session(Side side, Connection connection, boolean originalAutoCommit, boolean originalReadOnly) {
        this.side = side;
        this.connection = connection;
        this.originalAutoCommit = originalAutoCommit;
        this.originalReadOnly = originalReadOnly;
    }

    public static Session open(Side side, DataSource dataSource, SessionSettings settings) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            boolean autoCommit = connection.getAutoCommit();
            boolean readOnly = connection.isReadOnly();
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement(settings.applySql())) {
                int index = 1;
                for (String value : settings.parameterValues()) {
                    statement.setString(index++, value);
                }
                statement.execute();
            }
            return new Session(side, connection, autoCommit, readOnly);
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
