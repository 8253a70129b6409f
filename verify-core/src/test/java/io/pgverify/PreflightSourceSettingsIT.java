package io.pgverify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.pgverify.PreflightFinding.Severity;
import io.pgverify.embedded.EmbeddedPostgres;
import io.pgverify.embedded.ServerPair;

/**
 * A source not set up for logical replication, on its own server (the shared ones are): wal_level replica, no
 * replication slots, no WAL senders.
 */
class PreflightSourceSettingsIT {

    @Test
    void aSourceWithoutLogicalDecodingBlocksTheLogicalMethods() {
        try (EmbeddedPostgres source = EmbeddedPostgres.builder(ServerPair.sourceVersion())
                .setting("wal_level", "replica").setting("max_replication_slots", "0").setting("max_wal_senders", "0")
                .start()) {
            source.execute("postgres", "CREATE TABLE accounts (id int PRIMARY KEY)");
            PreflightReport report;
            try (Preflight preflight = Preflight.builder().source(ConnectionSettings.parse(source.libpqUri("postgres")))
                    .method(MigrationMethod.LOGICAL).build()) {
                report = preflight.run();
            }
            assertThat(report.findings("wal_level_not_logical")).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
                assertThat(f.objects()).containsExactly("wal_level = replica");
            });
            assertThat(report.findings("replication_slots_exhausted")).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
                assertThat(f.objects()).containsExactly("max_replication_slots = 0, in use: 0, free: 0");
            });
            assertThat(report.findings("wal_senders_exhausted")).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
                assertThat(f.objects()).containsExactly("max_wal_senders = 0, in use: 0, free: 0");
            });
            // The same source is fine for a dump and restore.
            try (Preflight preflight = Preflight.builder().source(ConnectionSettings.parse(source.libpqUri("postgres")))
                    .method(MigrationMethod.DUMP_RESTORE).build()) {
                assertThat(preflight.run().findings()).isEmpty();
            }
        }
    }
}
