package io.pgverify.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;

class PrimaryStandbyIT {

    @Test
    void theStandbyReplaysWhatThePrimaryWritesAndRefusesWrites() throws Exception {
        java.nio.file.Path standbyData;
        try (PrimaryStandby servers = PrimaryStandby.start(ServerPair.sourceVersion(),
                standby -> standby.setting("max_standby_streaming_delay", "0"))) {
            standbyData = servers.standby().dataDirectory();
            assertThat(servers.standby().port()).isNotEqualTo(servers.primary().port());
            TestDatabase primary = servers.newDatabase();
            TestDatabase standby = servers.onStandby(primary);
            assertThat(standby.queryForString("SELECT pg_is_in_recovery()")).isEqualTo("t");
            assertThat(primary.queryForString("SELECT pg_is_in_recovery()")).isEqualTo("f");
            assertThat(standby.queryForString("SHOW max_standby_streaming_delay")).isEqualTo("0");

            primary.execute("CREATE TABLE t (id int PRIMARY KEY, note text)",
                    "INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, 1000) g");
            servers.awaitReplay();
            assertThat(standby.queryForLong("SELECT count(*) FROM t")).isEqualTo(1000);
            assertThat(primary.queryForLong("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")).isEqualTo(1);

            primary.execute("UPDATE t SET note = 'changed' WHERE id = 7");
            servers.awaitReplay();
            assertThat(standby.queryForString("SELECT note FROM t WHERE id = 7")).isEqualTo("changed");

            assertThatThrownBy(() -> standby.execute("INSERT INTO t VALUES (1001, 'x')"))
                    .hasMessageContaining("read-only transaction");
            // PostgreSQL refuses to start on a data directory others can read: the copy kept 0700.
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(standbyData))).isEqualTo("rwx------");
        }
        assertThat(standbyData).doesNotExist();
    }
}
