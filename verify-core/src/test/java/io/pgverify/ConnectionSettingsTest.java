package io.pgverify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConnectionSettingsTest {

    private static final String OS_USER = System.getProperty("user.name");

    /** url, hosts, ports, database, user, password, parameters */
    static Stream<Arguments> urls() {
        return Stream.of(
                row("postgresql://app:secret@db.example.com:5433/shop", List.of("db.example.com"), List.of(5433), "shop", "app", "secret", Map.of()),
                row("postgres://app@db/shop", List.of("db"), List.of(5432), "shop", "app", null, Map.of()),
                row("POSTGRESQL://app@db/shop", List.of("db"), List.of(5432), "shop", "app", null, Map.of()),
                // percent-encoded '@', ':' and '/' in the password
                row("postgresql://app:p%40ss%3Aw%2Frd@h/db", List.of("h"), List.of(5432), "db", "app", "p@ss:w/rd", Map.of()),
                // raw '@', ':' and '/' are tolerated: the user part ends at the last '@'
                row("postgresql://app:p@ss@h/db", List.of("h"), List.of(5432), "db", "app", "p@ss", Map.of()),
                row("postgresql://app:a:b@h/db", List.of("h"), List.of(5432), "db", "app", "a:b", Map.of()),
                row("postgresql://app:a/b@h/db", List.of("h"), List.of(5432), "db", "app", "a/b", Map.of()),
                // a password that really contains "%40"
                row("postgresql://app:x%2540y@h/db", List.of("h"), List.of(5432), "db", "app", "x%40y", Map.of()),
                // '+' is not a space in libpq URIs
                row("postgresql://app:a+b@h/db", List.of("h"), List.of(5432), "db", "app", "a+b", Map.of()),
                row("postgresql://app:with%20space@h/db", List.of("h"), List.of(5432), "db", "app", "with space", Map.of()),
                row("postgresql://app:with space@h/db", List.of("h"), List.of(5432), "db", "app", "with space", Map.of()),
                row("postgresql://app:%C3%BCml%C3%A4ut@h/db", List.of("h"), List.of(5432), "db", "app", "ümläut", Map.of()),
                // an empty password is none, as in libpq: .pgpass is read
                row("postgresql://app:@h/db", List.of("h"), List.of(5432), "db", "app", null, Map.of()),
                row("postgresql://h/db", List.of("h"), List.of(5432), "db", null, null, Map.of()),
                // the database defaults to the user, then to the OS user
                row("postgresql://app@h", List.of("h"), List.of(5432), "app", "app", null, Map.of()),
                row("postgresql://app@h/", List.of("h"), List.of(5432), "app", "app", null, Map.of()),
                row("postgresql://h", List.of("h"), List.of(5432), OS_USER, null, null, Map.of()),
                row("postgresql://", List.of("localhost"), List.of(5432), OS_USER, null, null, Map.of()),
                row("postgresql:///shop", List.of("localhost"), List.of(5432), "shop", null, null, Map.of()),
                row("postgresql://app@:6000/shop", List.of("localhost"), List.of(6000), "shop", "app", null, Map.of()),
                row("postgresql://h/my%2Fdb", List.of("h"), List.of(5432), "my/db", null, null, Map.of()),
                // IPv6
                row("postgresql://app@[::1]:5433/db", List.of("::1"), List.of(5433), "db", "app", null, Map.of()),
                row("postgresql://[2001:db8::1]/db", List.of("2001:db8::1"), List.of(5432), "db", null, null, Map.of()),
                // several hosts
                row("postgresql://app@h1:5432,h2:5433,h3/db", List.of("h1", "h2", "h3"), List.of(5432, 5433, 5432), "db", "app", null, Map.of()),
                row("postgresql://app@h1,[::1]:7000/db", List.of("h1", "::1"), List.of(5432, 7000), "db", "app", null, Map.of()),
                row("postgresql:///db?host=a,b&port=1,2", List.of("a", "b"), List.of(1, 2), "db", null, null, Map.of()),
                row("postgresql:///db?host=a,b&port=6432", List.of("a", "b"), List.of(6432, 6432), "db", null, null, Map.of()),
                // socket directories
                row("postgresql://app@/db?host=/var/run/postgresql", List.of("/var/run/postgresql"), List.of(5432), "db", "app", null, Map.of()),
                row("postgresql://%2Fvar%2Frun%2Fpostgresql/db", List.of("/var/run/postgresql"), List.of(5432), "db", null, null, Map.of()),
                // parameters override the parts, and the rest pass through by their libpq names
                row("postgresql://h/db?user=app&password=p%26w&dbname=other&port=7777", List.of("h"), List.of(7777), "other", "app", "p&w", Map.of()),
                row("postgresql://h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem&sslcert=/c.crt&sslkey=/c.key",
                        List.of("h"), List.of(5432), "db", null, null,
                        Map.of("sslmode", "verify-full", "sslrootcert", "/etc/ca.pem", "sslcert", "/c.crt", "sslkey", "/c.key")),
                row("postgresql://h/db?sslmode=disable", List.of("h"), List.of(5432), "db", null, null, Map.of("sslmode", "disable")),
                row("postgresql://h/db?sslmode=require", List.of("h"), List.of(5432), "db", null, null, Map.of("sslmode", "require")),
                // libpq's JDBC compatibility: ssl=true means sslmode=require
                row("postgresql://h/db?ssl=true", List.of("h"), List.of(5432), "db", null, null, Map.of("sslmode", "require")),
                row("postgresql://h/db?connect_timeout=5&application_name=nightly%20gate&target_session_attrs=read-write&options=-c%20search_path%3Dshop",
                        List.of("h"), List.of(5432), "db", null, null,
                        Map.of("connect_timeout", "5", "application_name", "nightly gate", "target_session_attrs", "read-write",
                                "options", "-c search_path=shop")),
                // JDBC URLs
                row("jdbc:postgresql://h1:5433,h2/shop?user=app&password=s%40cret&sslmode=require",
                        List.of("h1", "h2"), List.of(5433, 5432), "shop", "app", "s@cret", Map.of("sslmode", "require")),
                row("jdbc:postgresql://h/db", List.of("h"), List.of(5432), "db", null, null, Map.of()),
                row("jdbc:postgresql://[::1]:5433/db", List.of("::1"), List.of(5433), "db", null, null, Map.of()),
                row("jdbc:postgresql:shop", List.of("localhost"), List.of(5432), "shop", null, null, Map.of()),
                row("jdbc:postgresql://h/?user=app", List.of("h"), List.of(5432), "app", "app", null, Map.of()),
                row("jdbc:postgresql://h/db?user=app&password=&connectTimeout=3&ApplicationName=x",
                        List.of("h"), List.of(5432), "db", "app", null, Map.of("connectTimeout", "3", "ApplicationName", "x")));
    }

    private static Arguments row(String url, List<String> hosts, List<Integer> ports, String database, String user,
                                 String password, Map<String, String> parameters) {
        return Arguments.of(url, hosts, ports, database, user, password, parameters);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urls")
    void parses(String url, List<String> hosts, List<Integer> ports, String database, String user, String password,
                Map<String, String> parameters) {
        ConnectionSettings settings = ConnectionSettings.parse(url);

        assertThat(settings.hosts()).as("hosts").isEqualTo(hosts);
        assertThat(settings.ports()).as("ports").isEqualTo(ports);
        assertThat(settings.database()).as("database").isEqualTo(database);
        assertThat(settings.user()).as("user").isEqualTo(user);
        assertThat(settings.password()).as("password").isEqualTo(password);
        assertThat(settings.parameters()).as("parameters").isEqualTo(parameters);
        if (password != null) {
            assertThat(settings.toString()).doesNotContain(password).contains(":****@");
        }
    }

    /** url, a fragment the message must contain, the secret it must not */
    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("mysql://app:hunter2@h/db", "use a libpq URI (postgresql://", "hunter2"),
                Arguments.of("host=h dbname=db password=hunter2", "or a JDBC URL (jdbc:postgresql://", "hunter2"),
                Arguments.of("jdbc:mysql://h/db?password=hunter2", "Unsupported connection URL", "hunter2"),
                Arguments.of("", "No connection URL given", "\u0000"),
                Arguments.of("   ", "No connection URL given", "\u0000"),
                Arguments.of("postgresql://app:hunter2@h:abc/db", "port 'abc' is not a number between 1 and 65535", "hunter2"),
                Arguments.of("postgresql://app:hunter2@h:70000/db", "port '70000'", "hunter2"),
                Arguments.of("postgresql://app:hunter2@h:0/db", "port '0'", "hunter2"),
                Arguments.of("postgresql://app:hunter2@[::1:5432/db", "has no closing ']'", "hunter2"),
                Arguments.of("postgresql://app:hunter2@[::1]x/db", "expected ':port'", "hunter2"),
                Arguments.of("postgresql://app:hun%zzter2@h/db", "the password has a broken percent-encoding", "hun"),
                Arguments.of("postgresql://app:hunter2%@h/db", "broken percent-encoding", "hunter2"),
                Arguments.of("postgresql://app:hunter2@h/db%ff", "database name has a broken percent-encoding", "hunter2"),
                Arguments.of("postgresql://app:hunter2@h/db?sslmode", "parameter 'sslmode' has no value", "hunter2"),
                Arguments.of("postgresql://app:hunter2@h/db?ssl=false", "ssl must be 'true'", "hunter2"),
                Arguments.of("postgresql://app:hunt er2@h:x/db", "port 'x'", "hunt er2"),
                Arguments.of("postgresql://app:hunter2@h1,h2/db?port=1,2,3", "2 hosts but 3 ports", "hunter2"),
                Arguments.of("jdbc:postgresql://app:hunter2@h/db", "take the user and password as parameters", "hunter2"),
                Arguments.of("jdbc:postgresql://h:port/db?user=app&password=hunter2", "Malformed JDBC URL", "hunter2"),
                Arguments.of("jdbc:postgresql://h:70000/db?password=hunter2", "ports from 1 to 65535", "hunter2"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformed")
    void rejectsWithOneSentenceAndNoPassword(String url, String expected, String secret) {
        assertThatThrownBy(() -> ConnectionSettings.parse(url))
                .isInstanceOfSatisfying(VerifyException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.getMessage()).contains(expected).doesNotContain(secret).endsWith(".").doesNotContain("\n");
                });
    }

    @Test
    void showsThePasswordMaskedAndIpv6InBrackets() {
        ConnectionSettings settings = ConnectionSettings.parse("postgresql://app:s3cret@[::1]:5433,h2/shop");

        assertThat(settings.toString()).isEqualTo("postgresql://app:****@[::1]:5433,h2:5432/shop");
        assertThat(settings.endpoint()).isEqualTo("[::1]:5433,h2:5432");
    }

    @Test
    void masksUrlsTooBrokenToParse() {
        assertThat(ConnectionUrls.mask("postgresql://app:p@ss w?rd@h/db")).doesNotContain("ss w");
        assertThat(ConnectionUrls.mask("postgresql://app:pa ss@h:x/db")).isEqualTo("postgresql://app:****@h:x/db");
        assertThat(ConnectionUrls.mask("jdbc:postgresql://h/db?user=u&password=pw&x=1")).isEqualTo("jdbc:postgresql://h/db?user=u&password=****&x=1");
    }
}
