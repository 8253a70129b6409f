package io.pgverify;

import static io.pgverify.Verifications.check;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.PrimaryStandby;
import io.pgverify.embedded.ServerPair;
import io.pgverify.embedded.TestDatabase;

/**
 * The source read from a hot standby, as a verification of production should be: a PostgreSQL 13 primary streams to
 * a standby of its own, the standby is the source, and a 17 database is the target.
 */
@ExtendWith(PostgresPairExtension.class)
class StandbySourceIT {

    private static PrimaryStandby servers;

    @BeforeAll
    static void startPrimaryAndStandby() {
        // A standby that cancels a conflicting query at once instead of delaying replay, and tells the primary
        // nothing about its snapshots: the settings under which a long read on a standby gets cancelled.
        servers = PrimaryStandby.start(ServerPair.sourceVersion(), standby -> standby
                .setting("max_standby_streaming_delay", "0")
                .setting("hot_standby_feedback", "off"));
    }

    @AfterAll
    static void stopPrimaryAndStandby() {
        if (servers != null) {
            servers.close();
        }
    }

    private static VerificationReport verify(TestDatabase source, TestDatabase target, UnaryOperator<Verifier.Builder> configure) {
        Verifier.Builder builder = Verifier.builder().source(source.dataSource()).target(target.dataSource()).threads(2);
        try (Verifier verifier = configure.apply(builder).build()) {
            return verifier.verify();
        }
    }

    /** Runs the statements on the primary and on the target, then waits until the standby has replayed them. */
    private static void both(TestDatabase primary, TestDatabase target, String... statements) {
        primary.execute(statements);
        target.execute(statements);
        servers.awaitReplay();
    }

    @Test
    void aStandbyIsASourceForEveryCheck(DatabasePair db) {
        TestDatabase primary = servers.newDatabase();
        TestDatabase standby = servers.onStandby(primary);
        TestDatabase target = db.target();
        both(primary, target,
                "CREATE TABLE orders (id bigserial PRIMARY KEY, customer text NOT NULL, total numeric(12,2), placed timestamptz)",
                "CREATE TABLE tags (name text, weight int)",
                "CREATE SEQUENCE invoice_no START 1000",
                "INSERT INTO orders (customer, total, placed) SELECT 'c' || g, g * 1.5,"
                        + " timestamptz '2024-01-01 00:00+00' + g * interval '1 minute' FROM generate_series(1, 5000) g",
                "INSERT INTO tags SELECT 't' || (g % 10), g FROM generate_series(1, 300) g",
                "SELECT nextval('invoice_no') FROM generate_series(1, 10)");

        VerificationReport report = verify(standby, target, UnaryOperator.identity());

        assertThat(report.outcome()).as("%s", report).isEqualTo(Outcome.MATCH);
        assertThat(report.checks()).containsExactlyInAnyOrder(CheckKind.values());
        assertThat(check(report, "public.orders", CheckKind.HASHES).rowsCompared()).isEqualTo(5000);
        assertThat(check(report, "public.tags", CheckKind.HASHES).rowsCompared()).isEqualTo(300);
        assertThat(report.sequences()).extracting(SequenceReport::name)
                .containsExactlyInAnyOrder("invoice_no", "orders_id_seq");
        assertThat(report.sequences()).allSatisfy(s -> assertThat(s.outcome()).isEqualTo(Outcome.MATCH));
        // nextval() WAL-logs 32 values ahead: the first call logged 1032, which is what the standby shows, while the
        // primary and the target hand out 1010 next.
        assertThat(sequence(report, "invoice_no").sourceNextValue()).isGreaterThanOrEqualTo(1033);
        assertThat(sequence(report, "invoice_no").targetNextValue()).isEqualTo(1010);
        assertThat(sequence(report, "invoice_no").message()).contains("standby").contains("within that margin");

        // One exported snapshot per side works on a standby too.
        VerificationReport fromSnapshot = verify(standby, target, b -> b.snapshot(true));
        assertThat(fromSnapshot.outcome()).as("%s", fromSnapshot).isEqualTo(Outcome.MATCH);

        // Sequences left behind on the target are still found through a standby: by far, and by just beyond the margin.
        target.execute("SELECT setval('orders_id_seq', 10)", "SELECT setval('invoice_no', 999)");
        VerificationReport behind = verify(standby, target, b -> b.checks(CheckKind.SEQUENCES));
        assertThat(behind.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(sequence(behind, "orders_id_seq").differences()).extracting(Difference::kind)
                .containsExactly(DifferenceKind.SEQUENCE_BEHIND, DifferenceKind.SEQUENCE_BELOW_COLUMN_MAX);
        assertThat(sequence(behind, "invoice_no").differences()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DifferenceKind.SEQUENCE_BEHIND);
            assertThat(d.detail()).contains("next value on the target is 1000").contains("read on a standby");
        });
    }

    @Test
    void aStandbyVerifiedAgainstItsOwnPrimaryIsRefused() {
        TestDatabase primary = servers.newDatabase();
        TestDatabase standby = servers.onStandby(primary);
        primary.execute("CREATE TABLE t (id int PRIMARY KEY)");
        servers.awaitReplay();

        // Another server and port, but the same system identifier and database: the same data by construction.
        assertThatThrownBy(() -> verify(standby, primary, UnaryOperator.identity()))
                .isInstanceOfSatisfying(VerifyException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("Source and target are the same database")
                .hasMessageContaining("a primary and its physical standby");
        assertThat(verify(standby, primary, b -> b.allowSameDatabase(true)).outcome()).isEqualTo(Outcome.MATCH);
    }

    private static SequenceReport sequence(VerificationReport report, String name) {
        return report.sequences().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("No sequence " + name + " in " + report.sequences()));
    }

    @Test
    void aRangeCancelledByARecoveryConflictIsReadAgainFromAFreshSnapshot(DatabasePair db) throws Exception {
        TestDatabase primary = servers.newDatabase();
        TestDatabase standby = servers.onStandby(primary);
        TestDatabase target = db.target();
        // 40 MB read at 5,000 rows (5 MB) a second: the standby is still sending rows seconds after the start, when
        // the primary's vacuum arrives (a COPY whose rest fits in the socket buffers, a few MB, has no snapshot left).
        both(primary, target,
                "CREATE TABLE items (id bigint PRIMARY KEY, qty int NOT NULL, note text) WITH (autovacuum_enabled = off)",
                "INSERT INTO items SELECT g, 0, repeat('x', 1000) FROM generate_series(1, 40000) g");
        // The target already holds the values the primary is about to write.
        target.execute("UPDATE items SET qty = 1 WHERE id BETWEEN 30001 AND 30100");
        long conflictsBefore = snapshotConflicts(standby);

        CompletableFuture<VerificationReport> run = CompletableFuture.supplyAsync(() -> verify(standby, target,
                b -> b.checks(CheckKind.HASHES).threads(1).maxRowsPerSecond(5_000).retries(3, Duration.ofMillis(100))));
        awaitCopyOnStandby(standby, run);
        // Vacuum removes the row versions the standby's COPY still reads: replaying that removal conflicts with the
        // COPY's snapshot, and with max_standby_streaming_delay = 0 the standby cancels the COPY (SQLSTATE 40001).
        primary.execute("UPDATE items SET qty = 1 WHERE id BETWEEN 30001 AND 30100", "VACUUM items");
        VerificationReport report = run.get(5, TimeUnit.MINUTES);

        assertThat(awaitSnapshotConflicts(standby, conflictsBefore)).as("the standby cancelled the COPY").isPositive();
        CheckResult hashes = check(report, "public.items", CheckKind.HASHES);
        // Had the cancelled read been the one counted, the 100 updated rows would differ: the retry read them anew.
        assertThat(hashes.outcome()).as("%s", hashes).isEqualTo(Outcome.MATCH);
        assertThat(hashes.differenceCount()).isZero();
        assertThat(report.outcome()).isEqualTo(Outcome.MATCH);
    }

    /** Waits until the verification's COPY is running on the standby. */
    private static void awaitCopyOnStandby(TestDatabase standby, CompletableFuture<VerificationReport> run) throws InterruptedException {
        while (standby.queryForLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = 'pgverify' AND state = 'active' AND query LIKE 'COPY%'") == 0) {
            assertThat(run).as("the verification is still reading when its COPY is looked for").isNotDone();
            Thread.sleep(10);
        }
    }

    private static long snapshotConflicts(TestDatabase standby) {
        return standby.queryForLong("SELECT confl_snapshot FROM pg_stat_database_conflicts WHERE datname = current_database()");
    }

    /** The statistics collector hears of a conflict a little after it happened: poll for it. */
    private static long awaitSnapshotConflicts(TestDatabase standby, long before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long conflicts = snapshotConflicts(standby) - before;
        while (conflicts == 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
            conflicts = snapshotConflicts(standby) - before;
        }
        return conflicts;
    }
}
