package io.pgverify.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;
import io.pgverify.Redactor;

class SqlErrorsTest {

    private static PSQLException server(String sqlState, String message) {
        return new PSQLException(new ServerErrorMessage("SFATAL\0VFATAL\0C" + sqlState + "\0M" + message + "\0"));
    }

    /** exception, expected code, expected sentence */
    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new PSQLException("Connection to 10.0.0.5:5432 refused. Check that the hostname and port are correct "
                                + "and that the postmaster is accepting TCP/IP connections.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                                new ConnectException("Connection refused")),
                        ErrorCode.CONNECTION_FAILED, "target: connection refused at 10.0.0.5:5432 — is the server running and reachable?"),
                Arguments.of(new PSQLException("The connection attempt failed.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                                new UnknownHostException("db.nowhere.example")),
                        ErrorCode.CONNECTION_FAILED, "target: unknown host db.nowhere.example — check the host name in the URL."),
                Arguments.of(new PSQLException("The connection attempt failed.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                                new SocketTimeoutException("Connect timed out")),
                        ErrorCode.CONNECTION_FAILED, "target: could not connect in time (The connection attempt failed) — is the server "
                                + "reachable from here (firewall, security group, VPN)?"),
                Arguments.of(server("28P01", "password authentication failed for user \"app\""),
                        ErrorCode.AUTHENTICATION_FAILED, "target: password authentication failed for user \"app\" — check the user and password (or .pgpass)."),
                Arguments.of(server("28000", "no pg_hba.conf entry for host \"10.1.1.1\", user \"app\", database \"shop\", no encryption"),
                        ErrorCode.AUTHENTICATION_FAILED, "target: no pg_hba.conf entry for host \"10.1.1.1\", user \"app\", database \"shop\", "
                                + "no encryption — ask the DBA to allow this client in pg_hba.conf, or check the user, database and sslmode."),
                Arguments.of(new PSQLException("The server requested SCRAM-based authentication, but no password was provided.",
                                PSQLState.CONNECTION_REJECTED),
                        ErrorCode.AUTHENTICATION_FAILED, "target: The server requested SCRAM-based authentication, but no password was "
                                + "provided — give the password in the URL, the environment or .pgpass."),
                Arguments.of(server("3D000", "database \"shop\" does not exist"),
                        ErrorCode.DATABASE_NOT_FOUND, "target: database \"shop\" does not exist — check the database name in the URL."),
                Arguments.of(server("42501", "permission denied for table orders"),
                        ErrorCode.PERMISSION_DENIED, "target: permission denied for table orders — grant the verifying user SELECT on it, "
                                + "or exclude it from the verification."),
                Arguments.of(server("42501", "query would be affected by row-level security policy for table \"orders\""),
                        ErrorCode.PERMISSION_DENIED, "target: query would be affected by row-level security policy for table \"orders\""
                                + " — verify as a user with BYPASSRLS or the table's owner, so that every row is compared, or exclude the table."),
                Arguments.of(server("57014", "canceling statement due to statement timeout"),
                        ErrorCode.TIMEOUT, "target: canceling statement due to statement timeout — raise the statement timeout, or compare smaller key ranges."),
                Arguments.of(server("57014", "canceling statement due to user request"),
                        ErrorCode.TIMEOUT, "target: canceling statement due to user request — a DBA or another tool cancelled the query (pg_cancel_backend)."),
                Arguments.of(server("57P01", "terminating connection due to administrator command"),
                        ErrorCode.CONNECTION_FAILED, "target: terminating connection due to administrator command — a DBA ended the session "
                                + "(pg_terminate_backend) or the server is shutting down."),
                Arguments.of(server("55P03", "could not obtain lock on relation \"orders\""),
                        ErrorCode.TIMEOUT, "target: could not obtain lock on relation \"orders\" — another session holds a conflicting lock "
                                + "(a migration's DDL?); retry later or raise the lock timeout."),
                Arguments.of(server("53300", "sorry, too many clients already"),
                        ErrorCode.CONNECTION_FAILED, "target: sorry, too many clients already — the server has no free connection slots; "
                                + "use fewer threads or retry later."),
                Arguments.of(server("57P03", "the database system is starting up"),
                        ErrorCode.CONNECTION_FAILED, "target: the database system is starting up — is the server running and reachable?"),
                Arguments.of(server("42P01", "relation \"orders\" does not exist"),
                        ErrorCode.QUERY_FAILED, "target: relation \"orders\" does not exist (SQLSTATE 42P01)."));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("failures")
    void classifiesAndDescribes(SQLException e, ErrorCode code, String sentence) {
        assertThat(SqlErrors.classify(e)).isEqualTo(code);
        assertThat(SqlErrors.describe("target", e)).isEqualTo(sentence);

        VerifyException exception = SqlErrors.toException("target", e);
        assertThat(exception.errorCode()).isEqualTo(code);
        assertThat(exception.getMessage()).isEqualTo(sentence);
        assertThat(exception.getCause()).isSameAs(e);
    }

    @Test
    void looksThroughThePoolsWrapperToTheDriversFailure() {
        PSQLException driver = server("28P01", "password authentication failed for user \"app\"");
        SQLException pool = new SQLTransientConnectionException(
                "pgverify-source - Connection is not available, request timed out after 30000ms.", "28P01", driver);

        assertThat(SqlErrors.classify(pool)).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(SqlErrors.describe("source", pool)).startsWith("source: password authentication failed for user \"app\"");
        assertThat(SqlErrors.toException("source", pool).sqlState()).isEqualTo("28P01");
    }

    @Test
    void aPoolTimeoutWithoutCauseIsAConnectionFailure() {
        SQLException pool = new SQLTransientConnectionException("pgverify-source - Connection is not available, request timed out after 30000ms.");

        assertThat(SqlErrors.classify(pool)).isEqualTo(ErrorCode.CONNECTION_FAILED);
    }

    @Test
    void masksSecretsInTheSentence() {
        // A verifier masks its own passwords in what it throws; the sentence itself masks what looks like one.
        Redactor verifiers = Redactor.of(java.util.List.of("Tr0ub4dor&3"));
        SQLException e = server("42601", "syntax error at or near \"Tr0ub4dor&3\"");
        VerifyException thrown = verifiers.redact(SqlErrors.toException("source", e));

        assertThat(thrown.getMessage()).doesNotContain("Tr0ub4dor").contains("****");
        assertThat(thrown.sqlState()).isEqualTo("42601");
        assertThat(SqlErrors.describe("source", new SQLException("bad url postgresql://app:pw@h/db?password=x&a=1")))
                .isEqualTo("source: bad url postgresql://app:****@h/db?password=****&a=1.");
    }
}
