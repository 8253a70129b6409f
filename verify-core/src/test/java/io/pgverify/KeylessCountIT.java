package io.pgverify;

import static io.pgverify.Verifications.check;
import static io.pgverify.Verifications.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.TestDatabase;

/**
 * A table without a key is counted by the hashes check's own whole-table scan, not by a second scan for
 * {@code count(*)}: the counts it reports, and the differences in them, must stay what a separate count found.
 */
@ExtendWith(PostgresPairExtension.class)
class KeylessCountIT {

    private static final String EVENTS = """
            CREATE TABLE events (kind text, n int);
            INSERT INTO events SELECT 'k' || (g % 10), g % 100 FROM generate_series(1, 3000) g;
            """;

    private static VerificationReport verify(DatabasePair db, CompareMode mode) {
        return Verifications.verify(db, b -> b.compareMode(mode).recheck(0, Duration.ofMillis(1)));
    }

    @Test
    void aKeylessTableIsScannedOncePerSide(DatabasePair db) throws Exception {
        db.both(EVENTS);
        VerificationReport report = verify(db, CompareMode.STREAM);
        assertThat(report.outcome()).isEqualTo(Outcome.MATCH);
        assertThat(table(report, "public.events").sourceRows()).isEqualTo(3000L);
        assertThat(table(report, "public.events").targetRows()).isEqualTo(3000L);
        // PostgreSQL 17 writes a backend's table statistics to shared memory when it exits: once the verifier's
        // sessions are gone, the target's count of sequential scans of the table is final. A separate count(*)
        // would have scanned it a second time.
        assertThat(sequentialScans(db.target())).isEqualTo(1L);
    }

    @ParameterizedTest
    @EnumSource(CompareMode.class)
    void aCountDifferenceIsStillReportedWithBothCounts(CompareMode mode, DatabasePair db) {
        db.both(EVENTS);
        db.target().execute("DELETE FROM events WHERE ctid = (SELECT ctid FROM events WHERE n = 5 LIMIT 1)");
        VerificationReport report = verify(db, mode);
        CheckResult counts = check(report, "public.events", CheckKind.COUNTS);
        assertThat(counts.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(counts.differences()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DifferenceKind.ROW_COUNT);
            assertThat(d.detail()).isEqualTo("source 3000 rows, target 2999 (-1)");
        });
        assertThat(table(report, "public.events").sourceRows()).isEqualTo(3000L);
        assertThat(table(report, "public.events").targetRows()).isEqualTo(2999L);
        assertThat(check(report, "public.events", CheckKind.HASHES).outcome()).isEqualTo(Outcome.MISMATCH);
    }

    @ParameterizedTest
    @EnumSource(CompareMode.class)
    void aRowDuplicatedOnOneSideIsACountAndAContentDifference(CompareMode mode, DatabasePair db) {
        db.both(EVENTS);
        db.source().execute("INSERT INTO events SELECT kind, n FROM events WHERE n = 7 LIMIT 1");
        VerificationReport report = verify(db, mode);
        CheckResult counts = check(report, "public.events", CheckKind.COUNTS);
        assertThat(counts.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(counts.differences()).singleElement()
                .satisfies(d -> assertThat(d.detail()).isEqualTo("source 3001 rows, target 3000 (-1)"));
        CheckResult hashes = check(report, "public.events", CheckKind.HASHES);
        assertThat(hashes.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(hashes.differences()).extracting(Difference::kind).containsExactly(DifferenceKind.TABLE_CONTENT);
    }

    @Test
    void countsAloneStillCountAKeylessTable(DatabasePair db) {
        db.both(EVENTS);
        db.target().execute("INSERT INTO events VALUES ('extra', 1)");
        VerificationReport report = Verifications.verify(db, b -> b.checks(CheckKind.COUNTS).recheck(0, Duration.ofMillis(1)));
        CheckResult counts = check(report, "public.events", CheckKind.COUNTS);
        assertThat(counts.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(counts.differences()).singleElement()
                .satisfies(d -> assertThat(d.detail()).isEqualTo("source 3000 rows, target 3001 (+1)"));
    }

    /** The table's sequential scans once no other session is connected to the database (bounded wait). */
    private static long sequentialScans(TestDatabase database) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (database.queryForLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid()") > 0) {
            assertThat(System.nanoTime()).as("the verifier's sessions to end").isLessThan(deadline);
            Thread.sleep(20);
        }
        return database.queryForLong("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'events'");
    }
}
