package io.pgverify;

import static io.pgverify.Verifications.check;
import static io.pgverify.Verifications.table;
import static io.pgverify.Verifications.verify;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;

/**
 * A run interrupted while a table is being verified keeps the verdicts of that table's checks that had finished: a
 * difference already found is reported, not turned into "interrupted".
 */
@ExtendWith(io.pgverify.embedded.PostgresPairExtension.class)
class InterruptedTableIT {

    @Test
    void finishedChecksOfAnInterruptedTableKeepTheirOutcome(DatabasePair db) throws Exception {
        db.both("CREATE TABLE readings (id bigint PRIMARY KEY, value float8)",
                "INSERT INTO readings SELECT g, g / 3.0 FROM generate_series(1, 20000) g", "ANALYZE readings");
        db.target().execute("DELETE FROM readings WHERE id > 19990");

        CountDownLatch started = new CountDownLatch(1);
        Thread[] runner = new Thread[1];
        List<CheckResult> heard = new CopyOnWriteArrayList<>();
        ProgressListener interruptAfterCounts = new ProgressListener() {
            @Override
            public void checkFinished(String table, CheckResult result) {
                heard.add(result);
                if (result.kind() == CheckKind.COUNTS) {
                    runner[0].interrupt(); // as Ctrl-C would, while the hash check is still reading
                }
            }
        };
        CompletableFuture<VerificationReport> report = CompletableFuture.supplyAsync(() -> {
            runner[0] = Thread.currentThread();
            started.countDown();
            // One worker: the counts first, then the hashes, at 2,000 rows a second (about 10 s for the table).
            return verify(db, b -> b.checks(CheckKind.SCHEMA, CheckKind.COUNTS, CheckKind.HASHES).threads(1)
                    .maxRowsPerSecond(2_000).progressListener(interruptAfterCounts));
        });
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        VerificationReport partial = report.get(120, TimeUnit.SECONDS);

        assertThat(partial.interrupted()).isTrue();
        assertThat(heard).extracting(CheckResult::kind).contains(CheckKind.SCHEMA, CheckKind.COUNTS);
        TableReport readings = table(partial, "public.readings");
        CheckResult counts = check(partial, "public.readings", CheckKind.COUNTS);
        assertThat(counts.outcome()).as("%s", counts).isEqualTo(Outcome.MISMATCH);
        assertThat(readings.sourceRows()).isEqualTo(20000);
        assertThat(readings.targetRows()).isEqualTo(19990);
        assertThat(check(partial, "public.readings", CheckKind.SCHEMA).outcome()).isEqualTo(Outcome.MATCH);
        CheckResult hashes = check(partial, "public.readings", CheckKind.HASHES);
        assertThat(hashes.outcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(hashes.message()).contains("interrupted");
        assertThat(partial.outcome()).isEqualTo(Outcome.MISMATCH);
    }
}
