package io.pgverify.internal.jdbc;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Which failures are worth another attempt on a fresh connection: the connection was lost, the server restarted or
 * is starting, the query was cancelled (by a DBA, a statement timeout, or a standby's recovery conflict), a lock or
 * connection slot was not available. Permission and syntax errors are not: trying again gives the same answer.
 */
public final class Transience {

    private static final Set<String> TRANSIENT_STATES = Set.of(
            "57P01", // admin_shutdown: terminated by pg_terminate_backend or a shutdown
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now: starting up, shutting down
            "57P05", // idle_session_timeout
            "57014", // query_canceled: a DBA, or statement_timeout
            "40001", // serialization_failure: a hot standby cancelled the query for a recovery conflict
            "40P01", // deadlock_detected
            "55P03", // lock_not_available: lock_timeout
            "53300", // too_many_connections
            "53400"); // configuration_limit_exceeded

    private Transience() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state))) {
                    return true;
                }
                if (sql instanceof SQLTransientException) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
