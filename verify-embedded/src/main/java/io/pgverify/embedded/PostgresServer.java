package io.pgverify.embedded;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A running PostgreSQL server that tests, the demo and benchmarks can create databases on.
 * The superuser authenticates with a password (SCRAM), so every client of it exercises real authentication.
 */
public interface PostgresServer extends AutoCloseable {

    /** The version the server reports, e.g. {@code 17.4}. */
    String version();

    /** The major version, e.g. {@code 17}. */
    int majorVersion();

    String host();

    int port();

    String superuser();

    String password();

    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** A libpq URI with the password in it, as people keep them in their environment. */
    default String libpqUri(String database) {
        return "postgresql://" + superuser() + ":" + password() + "@" + host() + ":" + port() + "/" + database;
    }

    default Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", superuser());
        properties.setProperty("password", password());
        properties.setProperty("ApplicationName", "pgverify-fixture");
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    /** Runs each statement in autocommit mode on the given database. */
    default void execute(String database, String... statements) {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on PostgreSQL " + version() + " database " + database + ": " + e.getMessage(), e);
        }
    }

    @Override
    void close();
}
