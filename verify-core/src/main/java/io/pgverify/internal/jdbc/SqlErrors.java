package io.pgverify.internal.jdbc;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;
import io.pgverify.Redactor;

/**
 * Turns driver failures into one readable sentence and an {@link ErrorCode}, keeping the SQLSTATE. Classification is by
 * SQLSTATE and by the exception types in the cause chain (a pool wraps the driver's exception; the driver wraps the
 * socket's); every sentence goes through the {@link Redactor}.
 */
public final class SqlErrors {

    // SQLSTATEs pgjdbc's PSQLState has no constant for.
    static final String INVALID_CATALOG_NAME = "3D000";
    static final String INSUFFICIENT_PRIVILEGE = "42501";
    static final String LOCK_NOT_AVAILABLE = "55P03";
    static final String IDLE_IN_TRANSACTION_TIMEOUT = "25P03";
    static final String TOO_MANY_CONNECTIONS = "53300";
    static final String OPERATOR_INTERVENTION_CLASS = "57P"; // admin/crash shutdown, cannot connect now

    /** pgjdbc reports a missing password as 08004 (connection rejected); it is an authentication problem. */
    private static final String NO_PASSWORD_TEXT = "no password was provided";
    private static final Pattern REFUSED_ENDPOINT = Pattern.compile("Connection to (\\S+?) refused");
    /** pgjdbc's message when verify-ca/verify-full finds no root certificate file; libpq refuses the same way. */
    private static final String MISSING_ROOT_CERTIFICATE = "Could not open SSL root certificate file";

    private SqlErrors() {
    }

    /** The error code for a failure on the given side. */
    public static ErrorCode classify(SQLException e) {
        String state = sqlState(e);
        if (state != null) {
            if (state.equals(PSQLState.INVALID_PASSWORD.getState())
                    || state.equals(PSQLState.INVALID_AUTHORIZATION_SPECIFICATION.getState())) {
                return ErrorCode.AUTHENTICATION_FAILED;
            }
            if (state.equals(INVALID_CATALOG_NAME)) {
                return ErrorCode.DATABASE_NOT_FOUND;
            }
            if (state.equals(INSUFFICIENT_PRIVILEGE)) {
                return ErrorCode.PERMISSION_DENIED;
            }
            if (state.equals(PSQLState.QUERY_CANCELED.getState()) || state.equals(LOCK_NOT_AVAILABLE)
                    || state.equals(IDLE_IN_TRANSACTION_TIMEOUT)) {
                return ErrorCode.TIMEOUT;
            }
        }
        if (mentions(e, NO_PASSWORD_TEXT)) {
            return ErrorCode.AUTHENTICATION_FAILED;
        }
        if (state != null && (state.startsWith("08") || state.equals(TOO_MANY_CONNECTIONS)
                || state.startsWith(OPERATOR_INTERVENTION_CLASS))) {
            return ErrorCode.CONNECTION_FAILED;
        }
        if (cause(e, ConnectException.class) != null || cause(e, UnknownHostException.class) != null
                || cause(e, NoRouteToHostException.class) != null || cause(e, SocketTimeoutException.class) != null
                || (state == null && (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException))) {
            return ErrorCode.CONNECTION_FAILED;
        }
        return ErrorCode.QUERY_FAILED;
    }

    /** One sentence for a person, naming the side, e.g. {@code "target: permission denied for table orders — ..."}. */
    public static String describe(String side, SQLException e) {
        return Redactor.structural().redact(side + ": " + sentence(e));
    }

    /** An exception for a failure that stops the whole verification. */
    public static VerifyException toException(String side, SQLException e) {
        return new VerifyException(classify(e), describe(side, e), sqlState(e), e);
    }

    /** The first SQLSTATE along the cause chain, or null. */
    static String sqlState(SQLException e) {
        for (Throwable t : chain(e)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && !sql.getSQLState().isEmpty()) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static String sentence(SQLException e) {
        ErrorCode code = classify(e);
        String message = serverMessage(e);
        String state = sqlState(e);
        switch (code) {
            case CONNECTION_FAILED -> {
                if (cause(e, ConnectException.class) != null) {
                    Matcher endpoint = REFUSED_ENDPOINT.matcher(String.valueOf(driverException(e).getMessage()));
                    return "connection refused" + (endpoint.find() ? " at " + endpoint.group(1) : "")
                            + " — is the server running and reachable?";
                }
                UnknownHostException unknown = cause(e, UnknownHostException.class);
                if (unknown != null) {
                    return "unknown host " + unknown.getMessage() + " — check the host name in the URL.";
                }
                if (cause(e, SocketTimeoutException.class) != null || cause(e, NoRouteToHostException.class) != null) {
                    return "could not connect in time (" + message + ") — is the server reachable from here "
                            + "(firewall, security group, VPN)?";
                }
                if (TOO_MANY_CONNECTIONS.equals(state)) {
                    return message + " — the server has no free connection slots; use fewer threads or retry later.";
                }
                if (message.startsWith(MISSING_ROOT_CERTIFICATE)) {
                    String file = message.substring(MISSING_ROOT_CERTIFICATE.length()).strip().replaceFirst("\\.$", "");
                    return "the root certificate file " + file + " does not exist, and sslmode verify-ca or verify-full "
                            + "needs it to verify the server — put the server's CA certificate there or name it with "
                            + "sslrootcert (PGSSLROOTCERT), or use sslmode=require to encrypt without verifying.";
                }
                if (message.contains("PKIX path")) {
                    return "the server's certificate is not signed by a CA in the root certificate file (" + message
                            + ") — name the CA that signed it with sslrootcert (PGSSLROOTCERT, ~/.postgresql/root.crt).";
                }
                if (message.contains("SSL")) {
                    return message + " — check sslmode and the server's TLS setup.";
                }
                if (message.contains("administrator command")) {
                    return message + " — a DBA ended the session (pg_terminate_backend) or the server is shutting down.";
                }
                return message + " — is the server running and reachable?";
            }
            case AUTHENTICATION_FAILED -> {
                if (mentions(e, NO_PASSWORD_TEXT)) {
                    return message + " — give the password in the URL, the environment or .pgpass.";
                }
                if (message.contains("pg_hba.conf")) {
                    return message + " — ask the DBA to allow this client in pg_hba.conf, or check the user, database and sslmode.";
                }
                return message + " — check the user and password (or .pgpass).";
            }
            case DATABASE_NOT_FOUND -> {
                return message + " — check the database name in the URL.";
            }
            case PERMISSION_DENIED -> {
                if (message.contains("row-level security")) {
                    return message + " — verify as a user with BYPASSRLS or the table's owner, so that every row is"
                            + " compared, or exclude the table.";
                }
                return message + " — grant the verifying user SELECT on it, or exclude it from the verification.";
            }
            case TIMEOUT -> {
                if (LOCK_NOT_AVAILABLE.equals(state)) {
                    return message + " — another session holds a conflicting lock (a migration's DDL?); retry later "
                            + "or raise the lock timeout.";
                }
                if (message.contains("user request")) {
                    return message + " — a DBA or another tool cancelled the query (pg_cancel_backend).";
                }
                return message + " — raise the statement timeout, or compare smaller key ranges.";
            }
            default -> {
                return message + (state == null ? "" : " (SQLSTATE " + state + ")") + ".";
            }
        }
    }

    /** The server's own message when there is one (without "FATAL:" or detail lines), else the driver's first line. */
    private static String serverMessage(SQLException e) {
        for (Throwable t : chain(e)) {
            if (t instanceof PSQLException psql) {
                ServerErrorMessage server = psql.getServerErrorMessage();
                if (server != null && server.getMessage() != null) {
                    return trimmed(server.getMessage());
                }
            }
        }
        return trimmed(driverException(e).getMessage());
    }

    /** The innermost SQLException: the driver's, under whatever a pool wrapped it in. */
    private static SQLException driverException(SQLException e) {
        SQLException innermost = e;
        for (Throwable t : chain(e)) {
            if (t instanceof SQLException sql) {
                innermost = sql;
            }
        }
        return innermost;
    }

    private static String trimmed(String message) {
        if (message == null || message.isBlank()) {
            return "unknown error";
        }
        String line = message.strip();
        int newline = line.indexOf('\n');
        if (newline >= 0) {
            line = line.substring(0, newline).strip();
        }
        while (line.endsWith(".")) {
            line = line.substring(0, line.length() - 1);
        }
        return line;
    }

    private static boolean mentions(SQLException e, String text) {
        for (Throwable t : chain(e)) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t : chain(e)) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The throwable, its causes and chained SQLExceptions, outermost first, each once. */
    private static List<Throwable> chain(Throwable e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> ordered = new ArrayList<>();
        ArrayDeque<Throwable> pending = new ArrayDeque<>();
        pending.add(e);
        while (!pending.isEmpty() && ordered.size() < 32) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            ordered.add(t);
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                pending.add(sql.getNextException());
            }
        }
        return ordered;
    }
}
