package io.pgverify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * libpq's documented completion of a connection string (libpq-connect "Parameter Key Words", libpq-envars,
 * libpq-pgservice, libpq-ssl "Client Verification of Server Certificates"), with the environment and the home
 * directory injected: nothing here depends on the machine's own environment.
 */
class ConnectionEnvironmentTest {

    private static final String OS_USER = System.getProperty("user.name");

    private static final String SERVICES = """
            # comment
            [prod]
            host=svc-host
            port=6543
            dbname=svc-db
            user=svc-user
            host=ignored-second-host
            sslmode=verify-ca
              application_name=from-service\s\s

            [lite]
            host=lite-host

            [withpassword]
            host=h
            password=s3rvice-pw
            """;

    /** name, URL, environment (HOME is added), files under HOME (path → content), expected (see {@link #describe}). */
    static Stream<Arguments> cases() {
        return Stream.of(
                // the environment fills what the URL leaves unset, and only that
                row("PGHOST and PGPORT fill an empty host part", "postgresql:///shop",
                        Map.of("PGHOST", "env-host", "PGPORT", "6000"), Map.of(),
                        Map.of("endpoint", "env-host:6000", "dbname", "shop")),
                row("the URL's host wins over PGHOST", "postgresql://url-host/shop",
                        Map.of("PGHOST", "env-host", "PGPORT", "6000"), Map.of(),
                        Map.of("endpoint", "url-host:6000", "dbname", "shop")),
                row("the URL's port wins over PGPORT", "postgresql://url-host:7000/shop",
                        Map.of("PGPORT", "6000"), Map.of(),
                        Map.of("endpoint", "url-host:7000", "dbname", "shop")),
                row("several hosts in PGHOST", "postgresql:///shop",
                        Map.of("PGHOST", "a,b", "PGPORT", "1,2"), Map.of(),
                        Map.of("endpoint", "a:1,b:2", "dbname", "shop")),
                row("PGDATABASE and PGUSER", "postgresql://h",
                        Map.of("PGDATABASE", "env-db", "PGUSER", "env-user"), Map.of(),
                        Map.of("endpoint", "h:5432", "dbname", "env-db", "user", "env-user")),
                row("the database defaults to PGUSER", "postgresql://h",
                        Map.of("PGUSER", "env-user"), Map.of(),
                        Map.of("endpoint", "h:5432", "dbname", "env-user", "user", "env-user")),
                row("the URL's user wins over PGUSER", "postgresql://app@h",
                        Map.of("PGUSER", "env-user"), Map.of(),
                        Map.of("endpoint", "h:5432", "dbname", "app", "user", "app")),
                row("nothing set anywhere: libpq's defaults", "postgresql://",
                        Map.of(), Map.of(),
                        Map.of("endpoint", "localhost:5432", "dbname", OS_USER)),
                row("an empty variable counts as unset", "postgresql://h/db",
                        Map.of("PGSSLMODE", "", "PGUSER", ""), Map.of(),
                        Map.of("endpoint", "h:5432", "dbname", "db")),
                row("PGCONNECT_TIMEOUT, PGAPPNAME, PGOPTIONS, PGTARGETSESSIONATTRS", "postgresql://h/db",
                        Map.of("PGCONNECT_TIMEOUT", "7", "PGAPPNAME", "nightly", "PGOPTIONS", "-c work_mem=64MB",
                                "PGTARGETSESSIONATTRS", "read-write"), Map.of(),
                        Map.of("endpoint", "h:5432", "dbname", "db", "connect_timeout", "7", "application_name", "nightly",
                                "options", "-c work_mem=64MB", "target_session_attrs", "read-write")),
                row("the URL's parameter wins over the variable", "postgresql://h/db?connect_timeout=3&sslmode=disable",
                        Map.of("PGCONNECT_TIMEOUT", "7", "PGSSLMODE", "verify-full"), Map.of(),
                        Map.of("endpoint", "h:5432", "dbname", "db", "connect_timeout", "3", "sslmode", "disable")),

                // TLS
                row("PGSSLMODE=verify-full names ~/.postgresql/root.crt, which psql would require", "postgresql://h/db",
                        Map.of("PGSSLMODE", "verify-full"), Map.of(),
                        Map.of("endpoint", "h:5432", "dbname", "db", "sslmode", "verify-full",
                                "sslrootcert", "$HOME/.postgresql/root.crt")),
                row("PGSSLROOTCERT, PGSSLCERT and PGSSLKEY", "postgresql://h/db",
                        Map.of("PGSSLMODE", "verify-ca", "PGSSLROOTCERT", "/etc/ca.pem", "PGSSLCERT", "/etc/me.crt",
                                "PGSSLKEY", "/etc/me.key"), Map.of(),
                        Map.of("endpoint", "h:5432", "dbname", "db", "sslmode", "verify-ca", "sslrootcert", "/etc/ca.pem",
                                "sslcert", "/etc/me.crt", "sslkey", "/etc/me.key")),
                row("require with ~/.postgresql/root.crt present verifies the chain, as in libpq", "postgresql://h/db?sslmode=require",
                        Map.of(), Map.of(".postgresql/root.crt", "CA"),
                        Map.of("endpoint", "h:5432", "dbname", "db", "sslmode", "verify-ca",
                                "sslrootcert", "$HOME/.postgresql/root.crt")),
                row("require with PGSSLROOTCERT present verifies against that file", "postgresql://h/db",
                        Map.of("PGSSLMODE", "require", "PGSSLROOTCERT", "$HOME/ca.pem"), Map.of("ca.pem", "CA"),
                        Map.of("endpoint", "h:5432", "dbname", "db", "sslmode", "verify-ca", "sslrootcert", "$HOME/ca.pem")),
                row("require with a root file that does not exist stays require, as in libpq", "postgresql://h/db?sslmode=require&sslrootcert=/nonexistent/ca.pem",
                        Map.of(), Map.of(),
                        Map.of("endpoint", "h:5432", "dbname", "db", "sslmode", "require", "sslrootcert", "/nonexistent/ca.pem")),
                row("require without any root file encrypts without verifying", "postgresql://h/db?sslmode=require",
                        Map.of(), Map.of(),
                        Map.of("endpoint", "h:5432", "dbname", "db", "sslmode", "require")),
                row("ssl=true is libpq's require, so it verifies against root.crt too", "postgresql://h/db?ssl=true",
                        Map.of(), Map.of(".postgresql/root.crt", "CA"),
                        Map.of("endpoint", "h:5432", "dbname", "db", "sslmode", "verify-ca",
                                "sslrootcert", "$HOME/.postgresql/root.crt")),
                row("the default prefer is left alone by root.crt", "postgresql://h/db",
                        Map.of(), Map.of(".postgresql/root.crt", "CA"),
                        Map.of("endpoint", "h:5432", "dbname", "db")),
                row("the client certificate and key default to ~/.postgresql/postgresql.crt and .key", "postgresql://h/db",
                        Map.of(), Map.of(".postgresql/postgresql.crt", "CERT", ".postgresql/postgresql.key", "KEY"),
                        Map.of("endpoint", "h:5432", "dbname", "db", "sslcert", "$HOME/.postgresql/postgresql.crt",
                                "sslkey", "$HOME/.postgresql/postgresql.key")),
                row("the URL's client certificate wins over the default file", "postgresql://h/db?sslcert=/etc/me.crt",
                        Map.of(), Map.of(".postgresql/postgresql.crt", "CERT"),
                        Map.of("endpoint", "h:5432", "dbname", "db", "sslcert", "/etc/me.crt")),
                row("sslmode=disable reads no TLS files", "postgresql://h/db?sslmode=disable",
                        Map.of(), Map.of(".postgresql/postgresql.crt", "CERT", ".postgresql/root.crt", "CA"),
                        Map.of("endpoint", "h:5432", "dbname", "db", "sslmode", "disable")),

                // service files
                row("service= in the URL", "postgresql://?service=prod",
                        Map.of(), Map.of(".pg_service.conf", SERVICES),
                        Map.of("endpoint", "svc-host:6543", "dbname", "svc-db", "user", "svc-user", "sslmode", "verify-ca",
                                "application_name", "from-service", "sslrootcert", "$HOME/.postgresql/root.crt")),
                row("the URL wins over the service file", "postgresql://url-host/url-db?service=prod&sslmode=disable",
                        Map.of(), Map.of(".pg_service.conf", SERVICES),
                        Map.of("endpoint", "url-host:6543", "dbname", "url-db", "user", "svc-user", "sslmode", "disable",
                                "application_name", "from-service")),
                row("the service file wins over the environment", "postgresql://?service=prod",
                        Map.of("PGHOST", "env-host", "PGSSLMODE", "disable", "PGCONNECT_TIMEOUT", "9"),
                        Map.of(".pg_service.conf", SERVICES),
                        Map.of("endpoint", "svc-host:6543", "dbname", "svc-db", "user", "svc-user", "sslmode", "verify-ca",
                                "application_name", "from-service", "sslrootcert", "$HOME/.postgresql/root.crt",
                                "connect_timeout", "9")),
                row("PGSERVICE selects the service when the URL names none", "postgresql://",
                        Map.of("PGSERVICE", "lite", "PGDATABASE", "env-db"), Map.of(".pg_service.conf", SERVICES),
                        Map.of("endpoint", "lite-host:5432", "dbname", "env-db")),
                row("service= in the URL wins over PGSERVICE", "postgresql://?service=lite",
                        Map.of("PGSERVICE", "prod"), Map.of(".pg_service.conf", SERVICES),
                        Map.of("endpoint", "lite-host:5432", "dbname", OS_USER)),
                row("PGSERVICEFILE names the user's service file", "postgresql://?service=lite",
                        Map.of("PGSERVICEFILE", "$HOME/elsewhere.conf"), Map.of("elsewhere.conf", SERVICES),
                        Map.of("endpoint", "lite-host:5432", "dbname", OS_USER)),
                row("a service missing from the user's file is looked up in $PGSYSCONFDIR/pg_service.conf", "postgresql://?service=lite",
                        Map.of("PGSYSCONFDIR", "$HOME/etc"),
                        Map.of(".pg_service.conf", "[other]\nhost=x\n", "etc/pg_service.conf", SERVICES),
                        Map.of("endpoint", "lite-host:5432", "dbname", OS_USER)),
                row("a service in a JDBC URL", "jdbc:postgresql://h/db?service=prod",
                        Map.of(), Map.of(".pg_service.conf", SERVICES),
                        Map.of("endpoint", "h:5432", "dbname", "db", "user", "svc-user", "sslmode", "verify-ca",
                                "application_name", "from-service", "sslrootcert", "$HOME/.postgresql/root.crt")),

                // JDBC URLs: pgjdbc's names for the same settings keep the environment out
                row("a JDBC URL takes PGUSER and PGSSLMODE", "jdbc:postgresql://h/db",
                        Map.of("PGUSER", "env-user", "PGSSLMODE", "require", "PGHOST", "env-host"), Map.of(),
                        Map.of("endpoint", "h:5432", "dbname", "db", "user", "env-user", "sslmode", "require")),
                row("a JDBC URL's connectTimeout and ssl keep PGCONNECT_TIMEOUT and PGSSLMODE out", "jdbc:postgresql://h/db?connectTimeout=3&ssl=true",
                        Map.of("PGCONNECT_TIMEOUT", "7", "PGSSLMODE", "disable"), Map.of(),
                        Map.of("endpoint", "h:5432", "dbname", "db", "connectTimeout", "3", "ssl", "true")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void completesAsLibpqDoes(String name, String url, Map<String, String> environment, Map<String, String> files,
                              Map<String, String> expected, @TempDir Path home) throws IOException {
        write(home, files);

        ConnectionSettings settings = ConnectionSettings.parse(url, withHome(environment, home));

        Map<String, String> wanted = new TreeMap<>();
        expected.forEach((key, value) -> wanted.put(key, value.replace("$HOME", home.toString())));
        assertThat(describe(settings)).isEqualTo(wanted);
    }

    @Test
    void aServiceFilePasswordIsUsedAndMasked(@TempDir Path home) throws IOException {
        write(home, Map.of(".pg_service.conf", SERVICES));

        ConnectionSettings settings = ConnectionSettings.parse("postgresql://app@?service=withpassword", withHome(Map.of(), home));

        assertThat(settings.password()).isEqualTo("s3rvice-pw");
        assertThat(settings.toString()).doesNotContain("s3rvice-pw");
    }

    @Test
    void anUndefinedServiceIsAnErrorNamingTheFilesLookedIn(@TempDir Path home) throws IOException {
        write(home, Map.of(".pg_service.conf", SERVICES));

        assertThatThrownBy(() -> ConnectionSettings.parse("postgresql://?service=nope", withHome(Map.of(), home)))
                .isInstanceOf(VerifyException.class)
                .hasMessage("Service \"nope\" is not defined in " + home.resolve(".pg_service.conf")
                        + "; check the service name, or set PGSERVICEFILE to the file that defines it.")
                .extracting(e -> ((VerifyException) e).errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThatThrownBy(() -> ConnectionSettings.parse("postgresql://", withHome(Map.of("PGSERVICE", "nope"), home)))
                .isInstanceOf(VerifyException.class)
                .hasMessageStartingWith("Service \"nope\" is not defined");
    }

    @Test
    void aMalformedServiceLineIsAnErrorThatDoesNotShowTheLine(@TempDir Path home) throws IOException {
        write(home, Map.of(".pg_service.conf", "[s]\nhost=h\npasswd=hunter2\n"));

        assertThatThrownBy(() -> ConnectionSettings.parse("postgresql://?service=s", withHome(Map.of(), home)))
                .isInstanceOf(VerifyException.class)
                .hasMessage("Service file " + home.resolve(".pg_service.conf") + ", line 3: expected keyword=value with a "
                        + "libpq keyword such as host or sslmode; fix or remove the line.")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aServiceNamingAnotherServiceIsRefused(@TempDir Path home) throws IOException {
        write(home, Map.of(".pg_service.conf", "[s]\nservice=t\n[t]\nhost=h\n"));

        assertThatThrownBy(() -> ConnectionSettings.parse("postgresql://?service=s", withHome(Map.of(), home)))
                .isInstanceOf(VerifyException.class)
                .hasMessageContaining("line 2: a service cannot name another service");
    }

    @Test
    void variablesTheDriverCannotHonourAreRefusedNotIgnored(@TempDir Path home) {
        assertThatThrownBy(() -> ConnectionSettings.parse("postgresql://h/db", withHome(Map.of("PGSSLCRL", "/etc/crl.pem"), home)))
                .isInstanceOf(VerifyException.class)
                .hasMessage("PGSSLCRL is set, but the JDBC driver does not check certificate revocation lists; unset it for pgverify.");
        assertThatThrownBy(() -> ConnectionSettings.parse("postgresql://h/db", withHome(Map.of("PGHOSTADDR", "10.0.0.1"), home)))
                .isInstanceOf(VerifyException.class)
                .hasMessageStartingWith("PGHOSTADDR is set, but");
    }

    private static Arguments row(String name, String url, Map<String, String> environment, Map<String, String> files,
                                 Map<String, String> expected) {
        return Arguments.of(name, url, environment, files, expected);
    }

    private static Map<String, String> withHome(Map<String, String> environment, Path home) {
        Map<String, String> variables = new HashMap<>();
        environment.forEach((key, value) -> variables.put(key, value.replace("$HOME", home.toString())));
        variables.put("HOME", home.toString());
        return variables;
    }

    private static void write(Path home, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = home.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
    }

    /** endpoint, dbname, user (when set) and every parameter, in one comparable map. */
    private static Map<String, String> describe(ConnectionSettings settings) {
        Map<String, String> described = new TreeMap<>(settings.parameters());
        described.put("endpoint", settings.endpoint());
        described.put("dbname", settings.database());
        if (settings.user() != null) {
            described.put("user", settings.user());
        }
        return described;
    }
}
