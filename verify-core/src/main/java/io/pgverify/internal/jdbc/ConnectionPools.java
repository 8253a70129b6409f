package io.pgverify.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.postgresql.PGProperty;
import org.postgresql.ds.PGSimpleDataSource;

import io.pgverify.ConnectionSettings;
import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;

/**
 * Builds the connection pool of one side from its settings.
 *
 * <p>libpq parameters are translated to pgjdbc's through the data source's setters, never by gluing URL text:
 * {@code sslmode} passes through unchanged (pgjdbc's {@code ssl=true} would mean verify-full, which is not what
 * {@code sslmode=require} asks for; where libpq's {@code require} verifies, because a root certificate exists,
 * {@link LibpqEnvironment} has already made it {@code verify-ca}), {@code connect_timeout} becomes {@code connectTimeout},
 * {@code target_session_attrs} becomes {@code targetServerType}. pgjdbc parameter names (from JDBC URLs) are accepted
 * as they are. A parameter that is neither, or a libpq parameter pgjdbc cannot honour, is an error: silently
 * ignoring, say, {@code sslcrl} would verify with less protection than the user asked for.
 *
 * <p>{@code application_name}: the user's, when the URL names one (a DBA may match on it), else ours.
 *
 * <p>Without a password in the settings, pgjdbc looks in {@code .pgpass} itself ({@code PGPASSFILE}, or the system
 * property {@code org.postgresql.pgpassfile}, else {@code ~/.pgpass}) when it connects.
 */
public final class ConnectionPools {

    /** libpq waits forever by default; a gate at 3 a.m. should not. */
    static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

    /** Added to the statement timeout for the socket timeout; see {@link #socketTimeoutSeconds}. */
    static final int SOCKET_TIMEOUT_MARGIN_SECONDS = 60;

    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    private static final Map<String, String> TARGET_SESSION_ATTRS = Map.of(
            "any", "any",
            "read-write", "primary",
            "primary", "primary",
            "read-only", "secondary",
            "standby", "secondary",
            "prefer-standby", "preferSecondary");

    /** libpq parameters pgjdbc has no equivalent for, with what to do instead. */
    private static final Map<String, String> UNSUPPORTED_LIBPQ = Map.ofEntries(
            Map.entry("hostaddr", "put the address in the host part of the URL instead"),
            Map.entry("passfile", "set the PGPASSFILE environment variable instead"),
            Map.entry("sslcrl", "remove it (pgjdbc does not check certificate revocation lists)"),
            Map.entry("sslcrldir", "remove it (pgjdbc does not check certificate revocation lists)"),
            Map.entry("sslsni", "remove it"),
            Map.entry("sslcompression", "remove it"),
            Map.entry("ssl_min_protocol_version", "set the JVM's jdk.tls.client.protocols instead"),
            Map.entry("ssl_max_protocol_version", "set the JVM's jdk.tls.client.protocols instead"),
            Map.entry("sslcertmode", "remove it"),
            Map.entry("keepalives_idle", "remove it (the operating system's keepalive settings apply)"),
            Map.entry("keepalives_interval", "remove it (the operating system's keepalive settings apply)"),
            Map.entry("keepalives_count", "remove it (the operating system's keepalive settings apply)"),
            Map.entry("tcp_user_timeout", "remove it"),
            Map.entry("requirepeer", "remove it (Unix-domain sockets are not supported)"),
            Map.entry("replication", "remove it (pgverify only reads)"),
            Map.entry("gssdelegation", "remove it"),
            Map.entry("sslkeylogfile", "remove it"));

    /** pgjdbc properties the settings carry in their own fields; a parameter must not override them. */
    private static final Set<String> STRUCTURAL = Set.of(PGProperty.PG_HOST.getName(), PGProperty.PG_PORT.getName(),
            PGProperty.PG_DBNAME.getName(), PGProperty.USER.getName(), PGProperty.PASSWORD.getName());

    private ConnectionPools() {
    }

    /** A pool without a socket timeout; see {@link #create(ConnectionSettings, String, int, String, java.time.Duration)}. */
    public static HikariDataSource create(ConnectionSettings settings, String side, int size, String applicationName) {
        return create(settings, side, size, applicationName, java.time.Duration.ZERO);
    }

    /**
     * A pool of at most {@code size} connections. It connects lazily; the first {@code getConnection()} opens one
     * connection directly, so that a wrong password or a missing database fails at once with the server's error
     * instead of after the pool's wait.
     *
     * @param side the side's name for thread and pool names, e.g. {@code source}
     * @param statementTimeout the sessions' statement timeout, from which the socket timeout is derived
     * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION} for a parameter that cannot be honoured
     */
    public static HikariDataSource create(ConnectionSettings settings, String side, int size, String applicationName,
                                          java.time.Duration statementTimeout) {
        PGSimpleDataSource driver = dataSource(settings, side, applicationName);
        if (!settings.parameters().containsKey(PGProperty.SOCKET_TIMEOUT.getName())) {
            driver.setSocketTimeout(socketTimeoutSeconds(statementTimeout));
        }
        HikariConfig config = new HikariConfig();
        config.setDataSource(driver);
        config.setPoolName("pgverify-" + side);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(poolWaitMillis(driver.getConnectTimeout(), settings.hosts().size()));
        return new FailFastDataSource(config, driver);
    }

    /** The driver's data source for one side, every parameter applied and checked. */
    static PGSimpleDataSource dataSource(ConnectionSettings settings, String side, String applicationName) {
        for (String host : settings.hosts()) {
            if (host.startsWith("/")) {
                throw invalid(side + ": Unix-domain socket directories (host=" + host + ") are not supported by the JDBC "
                        + "driver; connect over TCP, e.g. host=localhost.");
            }
        }
        PGSimpleDataSource driver = new PGSimpleDataSource();
        // pgjdbc writes the host into a URL internally and reads it back: an IPv6 address needs its brackets.
        driver.setServerNames(settings.hosts().stream().map(h -> h.contains(":") ? "[" + h + "]" : h).toArray(String[]::new));
        driver.setPortNumbers(settings.ports().stream().mapToInt(Integer::intValue).toArray());
        driver.setDatabaseName(settings.database());
        if (settings.user() != null) {
            driver.setUser(settings.user());
        }
        if (settings.password() != null) {
            driver.setPassword(settings.password());
        }
        driver.setApplicationName(applicationName);
        driver.setConnectTimeout(DEFAULT_CONNECT_TIMEOUT_SECONDS);
        driver.setTcpKeepAlive(true);
        for (Map.Entry<String, String> parameter : settings.parameters().entrySet()) {
            apply(driver, side, parameter.getKey(), parameter.getValue());
        }
        return driver;
    }

    private static void apply(PGSimpleDataSource driver, String side, String name, String value) {
        switch (name) {
            case "sslmode" -> driver.setSslMode(oneOf(side, name, value, SSL_MODES));
            case "sslrootcert" -> driver.setSslRootCert(value);
            case "sslcert" -> driver.setSslCert(value);
            case "sslkey" -> driver.setSslKey(value);
            case "sslpassword" -> driver.setSslPassword(value);
            case "sslnegotiation" -> driver.setSslNegotiation(oneOf(side, name, value, Set.of("postgres", "direct")));
            case "connect_timeout" -> driver.setConnectTimeout(seconds(side, name, value));
            case "application_name" -> driver.setApplicationName(value);
            case "fallback_application_name" -> {
                // libpq uses it only when no application_name is set; ours always is.
            }
            case "target_session_attrs" -> driver.setTargetServerType(
                    TARGET_SESSION_ATTRS.get(oneOf(side, name, value, TARGET_SESSION_ATTRS.keySet())));
            case "load_balance_hosts" -> driver.setLoadBalanceHosts(
                    oneOf(side, name, value, Set.of("disable", "random")).equals("random"));
            case "keepalives" -> driver.setTcpKeepAlive(!oneOf(side, name, value, Set.of("0", "1")).equals("0"));
            case "options" -> driver.setOptions(value);
            case "gssencmode" -> driver.setGssEncMode(oneOf(side, name, value, Set.of("disable", "prefer", "require")));
            case "channel_binding" -> driver.setChannelBinding(oneOf(side, name, value, Set.of("disable", "prefer", "require")));
            case "require_auth" -> driver.setProperty(PGProperty.REQUIRE_AUTH, value);
            case "krbsrvname" -> driver.setProperty(PGProperty.KERBEROS_SERVER_NAME, value);
            case "client_encoding" -> {
                if (!value.equalsIgnoreCase("UTF8") && !value.equalsIgnoreCase("UTF-8")) {
                    throw invalid(side + ": client_encoding=" + value + " cannot be used: the JDBC driver always talks "
                            + "UTF8; remove the parameter.");
                }
            }
            default -> applyPgjdbc(driver, side, name, value);
        }
    }

    private static void applyPgjdbc(PGSimpleDataSource driver, String side, String name, String value) {
        String instead = UNSUPPORTED_LIBPQ.get(name);
        if (instead != null) {
            throw invalid(side + ": the libpq parameter " + name + " has no equivalent in the JDBC driver; " + instead + ".");
        }
        PGProperty property = PGProperty.forName(name);
        if (property == null || STRUCTURAL.contains(name)) {
            throw invalid(side + ": unknown connection parameter '" + name + "'; remove it, or use a libpq or pgjdbc "
                    + "parameter name such as sslmode or connect_timeout.");
        }
        if (property == PGProperty.CONNECT_TIMEOUT) {
            driver.setConnectTimeout(seconds(side, name, value));
            return;
        }
        driver.setProperty(property, value);
    }

    private static String oneOf(String side, String name, String value, Set<String> allowed) {
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(normalized)) {
            throw invalid(side + ": " + name + "=" + value + " is not valid; use one of " + String.join(", ", allowed.stream().sorted().toList()) + ".");
        }
        return normalized;
    }

    private static int seconds(String side, String name, String value) {
        try {
            int seconds = Integer.parseInt(value.trim());
            if (seconds >= 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw invalid(side + ": " + name + "=" + value + " is not valid; give a whole number of seconds (0 waits forever).");
    }

    /**
     * A read may wait as long as a statement may run, plus a margin for the network: a server that is alive
     * answers, or cancels the statement, within that time. Longer, and the peer is gone (a dead host, a cut network
     * that TCP has not noticed): the read fails instead of blocking a worker for ever. Without a statement timeout
     * there is no bound to derive, and none is set. A {@code socketTimeout} in the URL wins.
     */
    static int socketTimeoutSeconds(java.time.Duration statementTimeout) {
        if (statementTimeout.isZero()) {
            return 0;
        }
        long seconds = (statementTimeout.toMillis() + 999) / 1000 + SOCKET_TIMEOUT_MARGIN_SECONDS;
        return (int) Math.min(Integer.MAX_VALUE, seconds);
    }

    /** How long a caller waits for a pooled connection: long enough for the driver to try every host. */
    static long poolWaitMillis(int connectTimeoutSeconds, int hosts) {
        if (connectTimeoutSeconds == 0) {
            return 0; // Hikari: no limit, like the driver's
        }
        return Math.max(30_000L, (connectTimeoutSeconds * (long) hosts + 5) * 1000L);
    }

    private static VerifyException invalid(String message) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /** A Hikari pool whose first connection is opened directly, so its failure is the server's own, and immediate. */
    /** Whether the data source is a pool of pgverify's own, whose connections no one else borrows. */
    static boolean owns(javax.sql.DataSource dataSource) {
        return dataSource instanceof FailFastDataSource;
    }

    private static final class FailFastDataSource extends HikariDataSource {
        private final PGSimpleDataSource driver;
        private volatile boolean connectedOnce;

        FailFastDataSource(HikariConfig config, PGSimpleDataSource driver) {
            super(config);
            this.driver = driver;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (!connectedOnce) {
                synchronized (this) {
                    if (!connectedOnce) {
                        try (Connection probe = driver.getConnection()) {
                            connectedOnce = probe != null;
                        }
                    }
                }
            }
            return super.getConnection();
        }
    }
}
