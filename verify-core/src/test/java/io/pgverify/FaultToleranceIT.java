package io.pgverify;

import static io.pgverify.Verifications.check;
import static io.pgverify.Verifications.verify;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.EmbeddedPostgres;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.ServerPair;
import io.pgverify.embedded.TestDatabase;

/**
 * What happens to a running verification when a DBA cancels its query or the target server restarts: the key range is
 * retried on a fresh connection and the verdict is still right.
 */
@ExtendWith(PostgresPairExtension.class)
class FaultToleranceIT {

    /**
     * 60 MB a side, read at 10,000 rows a second: a read lasts seconds, and the server is still sending (far more than
     * loopback socket buffers hold) when the fault strikes.
     */
    private static final String ITEMS = """
            CREATE TABLE items (id bigint PRIMARY KEY, qty int, name text);
            INSERT INTO items SELECT g, g % 7, repeat('n', 3000) FROM generate_series(1, 20000) g;
            ANALYZE items;
            """;

    @Test
    void aQueryCancelledByADbaIsRetried(DatabasePair db) throws Exception {
        db.both(ITEMS);
        db.target().execute("UPDATE items SET qty = -1 WHERE id = 19000");
        CompletableFuture<VerificationReport> run = CompletableFuture.supplyAsync(() -> verify(db,
                b -> b.checks(CheckKind.HASHES).maxRowsPerSecond(10_000).retries(3, Duration.ofMillis(100))));

        int cancelled = whileRunning(run, db.source(), "pg_cancel_backend");
        VerificationReport report = run.get();

        assertThat(cancelled).as("a COPY was cancelled mid-range").isPositive();
        CheckResult hashes = check(report, "public.items", CheckKind.HASHES);
        assertThat(hashes.outcome()).as("%s", hashes).isEqualTo(Outcome.MISMATCH);
        assertThat(hashes.differences()).extracting(Difference::keyText).containsExactly("(id=19000)");
        assertThat(hashes.rowsCompared()).isEqualTo(20000);
    }

    @Test
    void aTargetServerRestartedMidRangeIsWaitedForAndTheRangeRetried() throws Exception {
        String version = System.getProperty("pgverify.postgres.target.version", EmbeddedPostgres.bundledVersions().get("target"));
        try (EmbeddedPostgres target = EmbeddedPostgres.builder(version).start()) {
            DatabasePair db = new ServerPair(ServerPair.shared().source(), target).newDatabases();
            db.both(ITEMS);
            OffsetDateTime before = startTime(db.target());
            CompletableFuture<VerificationReport> run = CompletableFuture.supplyAsync(() -> verify(db,
                    b -> b.checks(CheckKind.COUNTS, CheckKind.HASHES).maxRowsPerSecond(10_000).retries(5, Duration.ofMillis(500))));

            awaitCopy(run, db.target());
            target.restart();
            VerificationReport report = run.get();

            assertThat(startTime(db.target())).as("the server restarted").isAfter(before);
            CheckResult hashes = check(report, "public.items", CheckKind.HASHES);
            assertThat(hashes.outcome()).as("%s", hashes).isEqualTo(Outcome.MATCH);
            assertThat(hashes.rowsCompared()).isEqualTo(20000);
            assertThat(report.outcome()).isEqualTo(Outcome.MATCH);
        }
    }

    /** Applies {@code function} (pg_cancel_backend) to the verifier's COPY once one runs; returns how many it hit. */
    private static int whileRunning(CompletableFuture<?> run, TestDatabase db, String function) throws Exception {
        AtomicInteger hit = new AtomicInteger();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            while (!run.isDone() && hit.get() == 0) {
                try (ResultSet rs = statement.executeQuery("SELECT " + function + "(pid) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND application_name = 'pgverify' AND state = 'active'"
                        + " AND query LIKE 'COPY%'")) {
                    while (rs.next()) {
                        if (rs.getBoolean(1)) {
                            hit.incrementAndGet();
                        }
                    }
                }
                Thread.sleep(20);
            }
        }
        return hit.get();
    }

    private static void awaitCopy(CompletableFuture<?> run, TestDatabase db) throws Exception {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            while (!run.isDone()) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND application_name = 'pgverify' AND state = 'active'"
                        + " AND query LIKE 'COPY%'")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the verification ended before any COPY was seen on the target: " + run.get());
    }

    private static OffsetDateTime startTime(TestDatabase db) throws Exception {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_postmaster_start_time()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        }
    }
}
