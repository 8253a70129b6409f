package io.pgverify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.pgverify.internal.jdbc.LibpqEnvironment;

/**
 * Where and how to connect to one side: hosts, database, user, password and driver parameters (e.g. {@code sslmode}).
 * Immutable; {@link #toString()} never shows the password.
 *
 * <pre>{@code
 * ConnectionSettings source = ConnectionSettings.parse("postgres://app@db1.example.com/shop?sslmode=verify-full");
 * ConnectionSettings target = ConnectionSettings.builder().host("db2.example.com").database("shop")
 *         .user("app").password(System.getenv("TARGET_PASSWORD")).build();
 * }</pre>
 */
public final class ConnectionSettings {

    private final List<String> hosts;
    private final List<Integer> ports;
    private final String database;
    private final String user;
    private final String password;
    private final Map<String, String> parameters;

    private ConnectionSettings(Builder builder) {
        this.hosts = List.copyOf(builder.hosts);
        this.ports = List.copyOf(builder.ports);
        this.database = builder.database;
        this.user = builder.user;
        this.password = builder.password;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(builder.parameters));
    }

    /**
     * Reads a libpq URI ({@code postgres://} or {@code postgresql://}) or a JDBC URL ({@code jdbc:postgresql://}).
     *
     * <p>libpq URIs follow libpq: percent-encoded user, password, host and database; several hosts
     * ({@code h1:5432,h2:5433}); IPv6 in brackets; query parameters by their libpq names ({@code sslmode},
     * {@code connect_timeout}, ...), of which {@code host}, {@code port}, {@code dbname}, {@code user} and
     * {@code password} override the parts before the {@code ?}. The database defaults to the user name, and an empty
     * password counts as none (so that {@code .pgpass} is read), as in libpq. A raw {@code @} or {@code /} in the
     * password is tolerated (the user part ends at the last {@code @} before the {@code ?}); percent-encode
     * {@code ?}, {@code #} and {@code @} elsewhere. JDBC URLs are read by pgjdbc's own parser and keep pgjdbc's
     * parameter names.
     *
     * <p>As in libpq, what the URL leaves unset comes from the service file's entry ({@code service=} in the URL, else
     * {@code PGSERVICE}; files {@code PGSERVICEFILE} or {@code ~/.pg_service.conf}, then
     * {@code $PGSYSCONFDIR/pg_service.conf}), then from libpq's environment variables ({@code PGHOST}, {@code PGPORT},
     * {@code PGDATABASE}, {@code PGUSER}, {@code PGSSLMODE}, {@code PGSSLROOTCERT}, {@code PGSSLCERT}, {@code PGSSLKEY},
     * {@code PGCONNECT_TIMEOUT}, {@code PGAPPNAME}, ...), then from the built-in defaults. TLS files too:
     * {@code sslmode=require} with a root certificate present ({@code sslrootcert} or {@code ~/.postgresql/root.crt})
     * verifies the server's certificate chain ({@code verify-ca}), and the client certificate and key default to
     * {@code ~/.postgresql/postgresql.crt} and {@code postgresql.key}. Settings made with {@link #builder()} are used
     * as given.
     *
     * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION} when the text is not such a URL, the
     *                         service is not defined, or a libpq variable is set that the JDBC driver cannot honour
     */
    public static ConnectionSettings parse(String url) {
        return ConnectionUrls.parse(url, LibpqEnvironment.system());
    }

    /**
     * {@link #parse(String)} with libpq's environment variables read from {@code environment} instead of the process's
     * ({@code HOME} in it is the home directory holding {@code .pg_service.conf} and {@code .postgresql/}).
     */
    public static ConnectionSettings parse(String url, Map<String, String> environment) {
        return ConnectionUrls.parse(url, new LibpqEnvironment(environment));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.hosts.addAll(hosts);
        builder.ports.addAll(ports);
        builder.database = database;
        builder.user = user;
        builder.password = password;
        builder.parameters.putAll(parameters);
        return builder;
    }

    /** Host names or addresses, at least one; several for libpq's multi-host failover. */
    public List<String> hosts() {
        return hosts;
    }

    /** One port per host. */
    public List<Integer> ports() {
        return ports;
    }

    public String database() {
        return database;
    }

    /** The user, or null for the driver's default. */
    public String user() {
        return user;
    }

    /** The password, or null. Never log it. */
    public String password() {
        return password;
    }

    public boolean hasPassword() {
        return password != null;
    }

    /** Further connection parameters by their libpq/pgjdbc names, e.g. {@code sslmode}. */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** {@code host:port[,host:port]}, with no credentials. */
    public String endpoint() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < hosts.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            String host = hosts.get(i);
            text.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(ports.get(i));
        }
        return text.toString();
    }

    /** A URL to show people: the password, if any, is masked. */
    @Override
    public String toString() {
        return "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":****") + "@") + endpoint() + "/" + database;
    }

    /** Builds {@link ConnectionSettings}; {@link #build()} checks them. */
    public static final class Builder {
        private final List<String> hosts = new ArrayList<>();
        private final List<Integer> ports = new ArrayList<>();
        private String database;
        private String user;
        private String password;
        private final Map<String, String> parameters = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder host(String host) {
            return host(host, 5432);
        }

        public Builder host(String host, int port) {
            hosts.add(Objects.requireNonNull(host, "host"));
            ports.add(port);
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder parameter(String name, String value) {
            parameters.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public ConnectionSettings build() {
            if (hosts.isEmpty()) {
                hosts.add("localhost");
                ports.add(5432);
            }
            if (database == null || database.isEmpty()) {
                throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "No database named in the connection settings: add one.");
            }
            return new ConnectionSettings(this);
        }
    }
}
