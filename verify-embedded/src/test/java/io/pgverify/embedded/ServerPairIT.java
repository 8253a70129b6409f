package io.pgverify.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresPairExtension.class)
class ServerPairIT {

    @Test
    void startsTheConfiguredMajorVersions(ServerPair servers) {
        assertThat(servers.source().majorVersion()).isEqualTo(13);
        assertThat(servers.target().majorVersion()).isEqualTo(17);
        servers.source().execute("postgres", "SELECT 1");
    }

    @Test
    void eachTestGetsItsOwnFreshDatabases(DatabasePair first, DatabasePair second) {
        assertThat(first.source().name()).isNotEqualTo(second.source().name());
        first.both("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        assertThat(first.target().queryForLong("SELECT count(*) FROM t")).isEqualTo(1);
        assertThat(second.target().queryForString("SELECT to_regclass('t')")).isNull();
        assertThat(first.source().queryForString("SHOW server_version")).startsWith("13.");
        assertThat(first.target().queryForString("SHOW server_version")).startsWith("17.");
    }

    @Test
    void requiresThePassword(DatabasePair db) {
        Properties wrong = new Properties();
        wrong.setProperty("user", "postgres");
        wrong.setProperty("password", "not-the-password");
        assertThatThrownBy(() -> {
            try (Connection ignored = DriverManager.getConnection(db.source().jdbcUrl(), wrong)) {
                // unreachable: authentication must fail
            }
        }).hasMessageContaining("password authentication failed");
    }

    @Test
    void targetDatabaseCanHaveAnIcuDefaultCollation(ServerPair servers) {
        DatabasePair db = servers.newDatabases("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'de-DE' LOCALE 'C'");
        assertThat(db.target().queryForString("SELECT datlocprovider FROM pg_database WHERE datname = current_database()")).isEqualTo("i");
    }
}
