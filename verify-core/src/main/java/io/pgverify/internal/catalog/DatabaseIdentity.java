package io.pgverify.internal.catalog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Objects;

/**
 * Which database of which PostgreSQL cluster one side is: what a state file is bound to, and how a verification of a
 * database against itself is recognised.
 *
 * <p>The cluster is named by the system identifier that initdb chose ({@code pg_control_system()}, executable by
 * every role on PostgreSQL 13 to 17 unless an administrator revoked it); a physical standby carries its primary's,
 * as it carries the same data. The database is named by its OID, which a database dropped and created again under
 * the same name does not keep. Host names and addresses are no identity: one server answers to several, and a Unix
 * socket has none ({@code inet_server_addr()} is null there). They are kept for messages, and as a fallback when the
 * system identifier cannot be read.
 *
 * @param systemIdentifier the cluster's system identifier, or null when this role may not read it
 * @param address          {@code inet_server_addr()}, or null over a Unix socket
 * @param port             the port the server listens on ({@code current_setting('port')}, known over a socket too)
 */
public record DatabaseIdentity(String systemIdentifier, long databaseOid, String database, String address, int port) {

    private static final String SQL = """
            SELECT d.oid, d.datname, host(inet_server_addr()), current_setting('port')::int,
                   has_function_privilege('pg_catalog.pg_control_system()', 'EXECUTE')
              FROM pg_database d WHERE d.datname = current_database()""";

    public DatabaseIdentity {
        Objects.requireNonNull(database, "database");
    }

    /** Reads the identity of the database the connection is on. */
    public static DatabaseIdentity read(Connection connection) throws SQLException {
        long oid;
        String database;
        String address;
        int port;
        boolean readable;
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(SQL)) {
            rs.next();
            oid = rs.getLong(1);
            database = rs.getString(2);
            address = rs.getString(3);
            port = rs.getInt(4);
            readable = rs.getBoolean(5);
        }
        return new DatabaseIdentity(readable ? systemIdentifier(connection) : null, oid, database, address, port);
    }

    /**
     * The system identifier, or null when a server that lets this role call the function still fails it (a fork or a
     * managed service that stubs it out): behind a savepoint, so the failure does not abort the session's transaction.
     */
    private static String systemIdentifier(Connection connection) throws SQLException {
        Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
        String system;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT system_identifier::text FROM pg_catalog.pg_control_system()")) {
            system = rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            if (e.getSQLState() == null || e.getSQLState().startsWith("08")) {
                throw e; // the connection is gone: nothing to fall back on
            }
            if (savepoint != null) {
                connection.rollback(savepoint);
            }
            system = null;
        }
        if (savepoint != null) {
            connection.releaseSavepoint(savepoint);
        }
        return system;
    }

    /**
     * Whether the two are certainly the same database of the same cluster (or of a primary and its physical
     * standby). Without both system identifiers, only the same address, port and OID say so; over Unix sockets
     * (no address) nothing does, and the answer is no.
     */
    public boolean sameDatabaseAs(DatabaseIdentity other) {
        if (systemIdentifier != null && other.systemIdentifier != null) {
            return systemIdentifier.equals(other.systemIdentifier) && databaseOid == other.databaseOid;
        }
        return address != null && address.equals(other.address) && port == other.port && databaseOid == other.databaseOid;
    }

    /**
     * What a state file records and compares: the system identifier and the database's OID, or, when the system
     * identifier cannot be read, the address (or {@code local}), port, OID and name.
     */
    public String key() {
        if (systemIdentifier != null) {
            return systemIdentifier + "/" + databaseOid;
        }
        return (address == null ? "local" : address) + ":" + port + "/" + databaseOid + "/" + database;
    }

    /** For messages: {@code database shop (OID 16384) on 10.0.0.5:5432}. */
    public String describe() {
        return "database " + database + " (OID " + databaseOid + ") on " + (address == null ? "a local socket" : address)
                + ":" + port + (systemIdentifier == null ? "" : ", system identifier " + systemIdentifier);
    }
}
