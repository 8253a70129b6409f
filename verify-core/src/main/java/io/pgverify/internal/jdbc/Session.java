package io.pgverify.internal.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * One short unit of work on one side: a read-only transaction with the pinned session settings, rolled back at the
 * end. Short transactions keep the xmin horizon moving: pgverify never holds a snapshot for the whole run.
 * The connection is returned to its pool as it was found (settings are transaction-local), except in pgverify's own
 * pools, whose connections keep the settings pinned for their whole life (see {@link PinnedSettings}).
 */
public final class Session implements AutoCloseable {

    /** Marks a session that never changes the isolation level, so has none to restore. */
    private static final int UNCHANGED_ISOLATION = -1;

    private final Side side;
    private final DataSource dataSource;
    private final Connection connection;
    private final boolean originalAutoCommit;
    private final boolean originalReadOnly;
    private final int originalIsolation;
    /** Whether the session's one statement runs in autocommit: there is no transaction to end. */
    private boolean autoCommitted;
    /** Set once the session was closed or aborted: the connection is back with its pool. */
    private boolean ended;
    /** The run's, told of this session while it is open so that it can cancel its statement; or null. */
    private Cancellation cancellation;

    private Session(Side side, DataSource dataSource, Connection connection, boolean originalAutoCommit,
                    boolean originalReadOnly, int originalIsolation) {
        this.side = side;
        this.dataSource = dataSource;
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
        return open(side, dataSource, settings, snapshot, null);
    }

    /**
     * @param cancellation the run's, which can then cancel this session's statements; null for none
     * @throws java.util.concurrent.CancellationException when the run was cancelled: no query is sent
     */
    public static Session open(Side side, DataSource dataSource, SessionSettings settings, String snapshot,
                               Cancellation cancellation) throws SQLException {
        return open(side, dataSource, settings, snapshot, cancellation, false);
    }

    /**
     * @param oneStatement whether the work sends a single statement (one count, one COPY): on a connection whose
     *                     settings are pinned, read-only by default included, and without a snapshot to share, that
     *                     statement then runs in autocommit, its own transaction with its own snapshot as it would
     *                     have had in ours, without the BEGIN (a round trip of its own before a COPY) and the ROLLBACK
     */
    public static Session open(Side side, DataSource dataSource, SessionSettings settings, String snapshot,
                               Cancellation cancellation, boolean oneStatement) throws SQLException {
        if (cancellation != null && cancellation.cancelled()) {
            throw new java.util.concurrent.CancellationException(cancellation.reason());
        }
        Connection connection = dataSource.getConnection();
        try {
            if (cancellation != null) {
                cancellation.register(connection);
            }
            boolean autoCommit = connection.getAutoCommit();
            boolean readOnly = connection.isReadOnly();
            // pgjdbc asks the server for the isolation level (a round trip): only a snapshot's session changes it.
            int isolation = snapshot == null ? UNCHANGED_ISOLATION : connection.getTransactionIsolation();
            // Before the transaction starts: the pinned settings must be committed to outlive it.
            boolean pinned = PinnedSettings.pin(dataSource, connection, settings);
            if (oneStatement && pinned && snapshot == null && autoCommit) {
                Session session = new Session(side, dataSource, connection, true, readOnly, UNCHANGED_ISOLATION);
                session.autoCommitted = true;
                session.cancellation = cancellation;
                return session;
            }
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            if (snapshot != null) {
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try (java.sql.Statement statement = connection.createStatement()) {
                    // Must be the transaction's first statement.
                    statement.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
                }
            }
            if (!pinned) {
                try (PreparedStatement statement = connection.prepareStatement(settings.applySql())) {
                    int index = 1;
                    for (String value : settings.parameterValues()) {
                        statement.setString(index++, value);
                    }
                    statement.execute();
                }
            }
            Session session = new Session(side, dataSource, connection, autoCommit, readOnly, isolation);
            session.cancellation = cancellation;
            return session;
        } catch (SQLException | RuntimeException e) {
            if (cancellation != null) {
                cancellation.unregister(connection);
            }
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

    /** The server as reports name it, {@code host:port}: never the URL's parameters, which may hold a password. */
    public String endpoint() throws SQLException {
        String url = connection.getMetaData().getURL();
        String rest = url.startsWith("jdbc:postgresql://") ? url.substring("jdbc:postgresql://".length()) : url;
        int slash = rest.indexOf('/');
        return slash >= 0 ? rest.substring(0, slash) : rest;
    }

    public CopyManager copyManager() throws SQLException {
        return connection.unwrap(PGConnection.class).getCopyAPI();
    }

    @Override
    public void close() throws SQLException {
        if (ended) {
            return;
        }
        ended = true;
        unregister();
        if (autoCommitted) {
            connection.close();
            return;
        }
        try {
            connection.rollback();
            if (originalIsolation != UNCHANGED_ISOLATION && connection.getTransactionIsolation() != originalIsolation) {
                connection.setTransactionIsolation(originalIsolation);
            }
            connection.setReadOnly(originalReadOnly);
            connection.setAutoCommit(originalAutoCommit);
        } finally {
            connection.close();
        }
    }

    /**
     * Ends a session whose work failed, when the connection's protocol state is unknown: a read that failed inside
     * the driver (an {@link OutOfMemoryError} while it allocated a message, a malformed stream, a cancelled merge)
     * leaves the rest of a COPY unread or half read, and a {@code rollback()} would send a command and then try to
     * parse whatever comes next, blocking or failing with "Unexpected packet type". The physical connection is
     * aborted instead (its socket closed, nothing sent or read) and evicted from our HikariCP pool; any other pool
     * evicts it when closing its handle fails to reset a closed connection. Either way it is never lent out again.
     * Failures of the abort itself are added to {@code failure}, which stays the one to report.
     */
    public void abort(Throwable failure) {
        if (ended) {
            return;
        }
        ended = true;
        unregister();
        try {
            // The driver's own connection, under any pool's handle: its abort closes the socket at once.
            Object driver = connection.unwrap(PGConnection.class);
            (driver instanceof Connection physical ? physical : connection).abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        if (dataSource instanceof HikariDataSource pool) {
            // Said outright, rather than left for the pool to infer from the failed reset (and log as a warning).
            pool.evictConnection(connection);
        }
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            // Expected after the abort: a pool's handle resets the connection on close and finds it closed. That is
            // how a pool other than ours learns to evict it; the failure being reported is the one that led here.
            // HikariCP's handle of an evicted connection that ran no statement through it (only a COPY, with the
            // settings pinned) resets the connection's state without rolling back first, and fails with a
            // NullPointerException: the evicted entry no longer holds its connection.
        }
    }

    /** Before the connection goes back to its pool, where a cancel would reach the next borrower's statement. */
    private void unregister() {
        if (cancellation != null) {
            cancellation.unregister(connection);
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
