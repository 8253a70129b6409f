package io.pgverify.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Map;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.CheckKind;
import io.pgverify.CompareMode;
import io.pgverify.ProgressListener;
import io.pgverify.Setting;
import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.TestDatabase;
import io.pgverify.internal.catalog.TableFilter;
import io.pgverify.internal.config.VerificationSettings;
import io.pgverify.internal.jdbc.SessionSettings;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.read.CheckContext;

/** The transaction that holds a snapshot for the whole run is bounded like every other session of the run. */
@ExtendWith(PostgresPairExtension.class)
class ExportedSnapshotsIT {

    private static final String APPLICATION = "pgverify-snapshot-test";

    @Test
    void theSnapshotHoldingTransactionHasTheRunsTimeoutsNameAndIsReadOnly(DatabasePair db) throws Exception {
        SessionSettings sessionSettings = SessionSettings.of(APPLICATION, Duration.ofSeconds(90), Duration.ofSeconds(7));
        ExecutorService sides = Executors.newSingleThreadExecutor();
        try (ExportedSnapshots snapshots = new ExportedSnapshots()) {
            CheckContext context = new CheckContext(db.source().dataSource(), db.target().dataSource(), sessionSettings,
                    settings(), sides);
            snapshots.export(context, sessionSettings, Duration.ofMinutes(10), new ArrayList<>());
            for (Side side : Side.values()) {
                assertThat(snapshots.setting(side, "statement_timeout")).as("%s", side).isEqualTo("90s");
                assertThat(snapshots.setting(side, "lock_timeout")).as("%s", side).isEqualTo("7s");
                assertThat(snapshots.setting(side, "idle_in_transaction_session_timeout")).as("%s", side).isEqualTo("150s");
                assertThat(snapshots.setting(side, "transaction_read_only")).as("%s", side).isEqualTo("on");
                assertThat(snapshots.setting(side, "transaction_isolation")).as("%s", side).isEqualTo("repeatable read");
                assertThat(snapshots.setting(side, "application_name")).as("%s", side).isEqualTo(APPLICATION);
            }
            // Seen from outside: one backend per server, named as the run, idle in the transaction that holds the snapshot.
            for (TestDatabase server : List.of(db.source(), db.target())) {
                assertThat(server.queryForLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND application_name = '" + APPLICATION + "' AND state = 'idle in transaction'"
                        + " AND backend_xmin IS NOT NULL")).as("%s", server).isEqualTo(1);
            }
        } finally {
            sides.shutdownNow();
        }
    }

    private static VerificationSettings settings() {
        return VerificationSettings.of(Map.of(Setting.CHECKS, EnumSet.of(CheckKind.COUNTS), Setting.THREADS, 2,
                Setting.CHUNK_TIME, Duration.ZERO, Setting.STATEMENT_TIMEOUT, Duration.ofSeconds(90),
                Setting.LOCK_TIMEOUT, Duration.ofSeconds(7), Setting.APPLICATION_NAME, APPLICATION,
                Setting.RETRIES, 0, Setting.RETRY_BACKOFF, Duration.ZERO, Setting.SNAPSHOT, true), ProgressListener.NONE);
    }
}
