package io.pgverify.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.zaxxer.hikari.HikariDataSource;

import io.pgverify.ConnectionSettings;
import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;
import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.TestDatabase;

/** Real servers, real failures: each ends as the right error code and a sentence without the password. */
@ExtendWith(PostgresPairExtension.class)
class ConnectionErrorsIT {

    /** Connects the way the engine will: through the pool, translating the failure. */
    private static VerifyException connectionFailure(String url, String side) {
        try (HikariDataSource pool = ConnectionPools.create(ConnectionSettings.parse(url), side, 2, "pgverify-test");
             Connection ignored = pool.getConnection()) {
            throw new AssertionError("connected, but should not have: " + url);
        } catch (SQLException e) {
            return SqlErrors.toException(side, e);
        }
    }

    private static String query(String url, String sql) throws SQLException {
        try (HikariDataSource pool = ConnectionPools.create(ConnectionSettings.parse(url), "source", 2, "pgverify-test");
             Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void connectsWithALibpqUriAndAJdbcUrl(DatabasePair db) throws SQLException {
        TestDatabase source = db.source();

        assertThat(query(source.libpqUri() + "?sslmode=disable&connect_timeout=5", "SELECT current_database()")).isEqualTo(source.name());
        assertThat(query(source.jdbcUrl() + "?user=" + source.user() + "&password=" + source.password(), "SHOW server_version"))
                .startsWith("13.");
    }

    @Test
    void theUsersApplicationNameWinsOverOurs(DatabasePair db) throws SQLException {
        assertThat(query(db.target().libpqUri() + "?application_name=nightly-gate", "SHOW application_name")).isEqualTo("nightly-gate");
        assertThat(query(db.target().libpqUri(), "SHOW application_name")).isEqualTo("pgverify-test");
    }

    @Test
    void wrongPassword(DatabasePair db) {
        String wrong = "Wr0ng-" + db.source().password();
        String url = db.source().libpqUri().replace(":" + db.source().password() + "@", ":" + wrong + "@");

        long started = System.nanoTime();
        VerifyException e = connectionFailure(url, "source");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(e.sqlState()).isEqualTo("28P01");
        assertThat(e.getMessage())
                .isEqualTo("source: password authentication failed for user \"postgres\" — check the user and password (or .pgpass).")
                .doesNotContain(wrong);
        // The first connection is opened directly: no waiting out the pool's timeout to learn the password is wrong.
        assertThat(System.nanoTime() - started).isLessThan(10_000_000_000L);
    }

    @Test
    void noPasswordAnywhere(DatabasePair db, @TempDir Path home) throws IOException {
        Path emptyPgpass = Files.writeString(home.resolve("pgpass"), "");
        String previous = System.setProperty("org.postgresql.pgpassfile", emptyPgpass.toString());
        try {
            String url = "postgresql://" + db.source().user() + "@" + db.source().server().host() + ":"
                    + db.source().server().port() + "/" + db.source().name();

            VerifyException e = connectionFailure(url, "source");

            assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(e.getMessage()).startsWith("source: ").endsWith("give the password in the URL, the environment or .pgpass.");
        } finally {
            restore("org.postgresql.pgpassfile", previous);
        }
    }

    @Test
    void readsThePasswordFromPgpassWhenTheUrlHasNone(DatabasePair db, @TempDir Path home) throws IOException, SQLException {
        TestDatabase target = db.target();
        Path pgpass = Files.writeString(home.resolve("pgpass"), "otherhost:*:*:*:nope\n"
                + target.server().host() + ":" + target.server().port() + ":" + target.name() + ":" + target.user() + ":"
                + target.password().replace("\\", "\\\\").replace(":", "\\:") + "\n");
        String previous = System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try {
            String url = "postgresql://" + target.user() + "@" + target.server().host() + ":" + target.server().port() + "/" + target.name();

            assertThat(query(url, "SELECT current_user")).isEqualTo(target.user());
        } finally {
            restore("org.postgresql.pgpassfile", previous);
        }
    }

    @Test
    void databaseThatDoesNotExist(DatabasePair db) {
        String url = db.target().libpqUri().replace("/" + db.target().name(), "/no_such_db");

        VerifyException e = connectionFailure(url, "target");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.DATABASE_NOT_FOUND);
        assertThat(e.getMessage())
                .isEqualTo("target: database \"no_such_db\" does not exist — check the database name in the URL.")
                .doesNotContain(db.target().password());
    }

    @Test
    void portWithNothingListening(DatabasePair db) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "postgresql://postgres:" + db.target().password() + "@127.0.0.1:" + port + "/" + db.target().name();

        VerifyException e = connectionFailure(url, "target");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.getMessage())
                .isEqualTo("target: connection refused at 127.0.0.1:" + port + " — is the server running and reachable?")
                .doesNotContain(db.target().password());
    }

    @Test
    void permissionDeniedAndStatementTimeout(DatabasePair db) {
        db.source().execute("CREATE TABLE hidden_stuff (id int)", "CREATE ROLE reader LOGIN PASSWORD 'R3ader-pw'");
        String url = "postgresql://reader:R3ader-pw@" + db.source().server().host() + ":" + db.source().server().port() + "/" + db.source().name();

        assertThatThrownBy(() -> query(url, "SELECT count(*) FROM hidden_stuff"))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(SqlErrors.classify(e)).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(SqlErrors.describe("source", e)).startsWith("source: permission denied for table hidden_stuff — ");
                });
        assertThatThrownBy(() -> query(url + "?options=-c%20statement_timeout%3D50", "SELECT pg_sleep(5)"))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(SqlErrors.classify(e)).isEqualTo(ErrorCode.TIMEOUT);
                    assertThat(SqlErrors.describe("source", e)).startsWith("source: canceling statement due to statement timeout — ");
                });
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }
}
