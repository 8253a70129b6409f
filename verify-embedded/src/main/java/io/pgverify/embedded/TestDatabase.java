package io.pgverify.embedded;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.postgresql.ds.PGSimpleDataSource;

/** One database on one test server: where a test puts its schema and data. */
public final class TestDatabase {

    private final PostgresServer server;
    private final String name;

    TestDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public PostgresServer server() {
        return server;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** {@code postgresql://user:password@host:port/db}: carries the password, as URLs in the wild do. */
    public String libpqUri() {
        return server.libpqUri(name);
    }

    public String user() {
        return server.superuser();
    }

    public String password() {
        return server.password();
    }

    /** A data source for the superuser on this database. */
    public PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {server.host()});
        dataSource.setPortNumbers(new int[] {server.port()});
        dataSource.setDatabaseName(name);
        dataSource.setUser(server.superuser());
        dataSource.setPassword(server.password());
        dataSource.setApplicationName("pgverify-test");
        return dataSource;
    }

    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** Runs each statement in autocommit mode. */
    public TestDatabase execute(String... statements) {
        server.execute(name, statements);
        return this;
    }

    /** The first column of the first row of a query, as text; null when there is no row. */
    public String queryForString(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed on " + name + ": " + e.getMessage(), e);
        }
    }

    public long queryForLong(String sql) {
        return Long.parseLong(queryForString(sql));
    }

    @Override
    public String toString() {
        return name + " on PostgreSQL " + server.version();
    }
}
