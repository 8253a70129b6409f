package io.pgverify.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops one verification's queries on both servers. Every session registers its connection while it is open;
 * {@link #cancel} asks the server to cancel the statement each of them runs (libpq's cancel request, what
 * {@code pg_cancel_backend} does, sent on a connection of its own so that it is heard mid-COPY) and refuses new
 * sessions, so work still queued on a caller's executor fails at once instead of querying after the run returned.
 */
public final class Cancellation {

    private static final Logger LOG = LoggerFactory.getLogger(Cancellation.class);

    private final Set<Connection> active = ConcurrentHashMap.newKeySet();
    private volatile String reason;

    /** Whether {@link #cancel} was called. */
    public boolean cancelled() {
        return reason != null;
    }

    /** Why the run was cancelled ("interrupted", "the deadline of 30m was reached"), or null. */
    public String reason() {
        return reason;
    }

    /** Cancels every statement running now and every session opened later; later calls keep the first reason. */
    public void cancel(String why) {
        synchronized (this) {
            if (reason == null) {
                reason = why;
            }
        }
        for (Connection connection : active) {
            try {
                connection.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException | RuntimeException e) {
                // The session ended meanwhile, or the server is gone: nothing runs there to stop.
                LOG.debug("Could not cancel a statement: {}", e.getMessage());
            }
        }
    }

    /** @throws CancellationException once the run is cancelled: no new query starts after that */
    void register(Connection connection) {
        active.add(connection);
        if (reason != null) {
            active.remove(connection);
            throw new CancellationException(reason);
        }
    }

    void unregister(Connection connection) {
        active.remove(connection);
    }
}
