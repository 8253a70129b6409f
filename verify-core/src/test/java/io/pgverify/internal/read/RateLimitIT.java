package io.pgverify.internal.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.sql.Connection;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Outcome;
import io.pgverify.ProgressListener;
import io.pgverify.Setting;
import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.TestDatabase;
import io.pgverify.internal.catalog.Catalog;
import io.pgverify.internal.catalog.CatalogReader;
import io.pgverify.internal.catalog.TableFilter;
import io.pgverify.internal.check.RowCheck;
import io.pgverify.internal.config.VerificationSettings;
import io.pgverify.internal.jdbc.SessionSettings;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.plan.TablePlan;

/**
 * The rate limits are asked for every row and every byte each side delivered, in steps small enough for a low limit to
 * pace a table from its first rows. How long the waits take is for ThrottleTest (with a fake clock), not for this test.
 */
@ExtendWith(PostgresPairExtension.class)
class RateLimitIT {

    @Test
    void eachSideLimitIsAskedForTheRowsAndBytesItsCopyDelivered(DatabasePair db) throws Exception {
        db.both("CREATE TABLE notes (id bigint PRIMARY KEY, note text)",
                "INSERT INTO notes SELECT g, repeat('x', g % 100) FROM generate_series(1, 30000) g");
        // The target lost rows: its side delivers fewer rows and bytes than the source's.
        db.target().execute("DELETE FROM notes WHERE id > 29000");
        long sourceBytes = copyBytes(db.source());
        long targetBytes = copyBytes(db.target());
        // 19-byte header, 2-byte trailer; a row is its field count, two lengths, 8 bytes of id and the note, and the
        // length -1 of the note's digest field (NULL: the note is far from large; see TablePlan).
        assertThat(sourceBytes).isEqualTo(19 + 2 + 30000L * (2 + 4 + 8 + 4 + 4) + sumOfNoteLengths(30000));

        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            CheckContext limited = context(db, 1_000_000_000L, 1_000_000_000_000L, executor);
            CheckResult result = RowCheck.run(limited, plan(db), executor).join();

            assertThat(result.outcome()).isEqualTo(Outcome.MISMATCH);
            assertThat(result.differenceCount()).isEqualTo(1000);
            assertThat(limited.throttle(Side.SOURCE).bytesPerSecond()).isEqualTo(1e12);
            assertThat(limited.throttle(Side.SOURCE).bytesAcquired()).isEqualTo(sourceBytes);
            assertThat(limited.throttle(Side.TARGET).bytesAcquired()).isEqualTo(targetBytes);
            assertThat(limited.throttle(Side.SOURCE).rowsAcquired()).isEqualTo(30000);
            assertThat(limited.throttle(Side.TARGET).rowsAcquired()).isEqualTo(29000);

            CheckContext unlimited = context(db, 0, 0, executor);
            RowCheck.run(unlimited, plan(db), executor).join();
            assertThat(unlimited.throttle(Side.SOURCE).bytesAcquired()).isZero();
            assertThat(unlimited.throttle(Side.SOURCE).rowsAcquired()).isZero();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aLowRowLimitPacesATableFromItsFirstRowsInSmallSteps(DatabasePair db) throws Exception {
        db.both("CREATE TABLE notes (id bigint PRIMARY KEY, note text)",
                "INSERT INTO notes SELECT g, 'n' FROM generate_series(1, 1000) g");
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.atomic.AtomicInteger steps = new java.util.concurrent.atomic.AtomicInteger();
            ProgressListener listener = new ProgressListener() {
                @Override
                public void rowsCompared(String table, long rows) {
                    steps.incrementAndGet();
                }
            };
            // 1,000 rows at 500 a second: a tenth of a second's worth (50 rows) between two steps.
            CheckContext limited = context(db, 500, 0, executor, listener);
            CheckResult result = RowCheck.run(limited, plan(db), executor).join();

            assertThat(result.outcome()).isEqualTo(Outcome.MATCH);
            assertThat(steps.get()).as("progress steps of the one range").isGreaterThanOrEqualTo(20);
            // The limit starts empty and saves up at most a second's worth: 1,000 rows cost at least a second of
            // waits, however fast they came (the time asked for, not measured).
            assertThat(limited.throttle(Side.SOURCE).waitedNanos()).isGreaterThanOrEqualTo(1_000_000_000L);
        } finally {
            executor.shutdownNow();
        }
    }

    private static long sumOfNoteLengths(int rows) {
        long sum = 0;
        for (int g = 1; g <= rows; g++) {
            sum += g % 100;
        }
        return sum;
    }

    /** What the server sends for the table in binary COPY, counted by the driver's copy API, not by pgverify. */
    private static long copyBytes(TestDatabase db) throws Exception {
        long[] count = new long[1];
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        };
        try (Connection connection = db.connect()) {
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY (SELECT id, note, NULL::bytea FROM notes ORDER BY id) TO STDOUT (FORMAT binary)", counter);
        }
        return count[0];
    }

    private static TablePlan plan(DatabasePair db) throws Exception {
        try (Connection source = db.source().connect(); Connection target = db.target().connect()) {
            Catalog sourceCatalog = CatalogReader.read(source, TableFilter.all(), "source");
            Catalog targetCatalog = CatalogReader.read(target, TableFilter.all(), "target");
            return TablePlan.of(sourceCatalog.tables().get(0), targetCatalog.tables().get(0));
        }
    }

    private static CheckContext context(DatabasePair db, long rowsPerSecond, long bytesPerSecond, ExecutorService sides) {
        return context(db, rowsPerSecond, bytesPerSecond, sides, ProgressListener.NONE);
    }

    private static CheckContext context(DatabasePair db, long rowsPerSecond, long bytesPerSecond, ExecutorService sides,
                                        ProgressListener listener) {
        VerificationSettings settings = VerificationSettings.of(Map.of(Setting.CHECKS, EnumSet.of(CheckKind.HASHES),
                Setting.THREADS, 2, Setting.CHUNK_ROWS, 200_000L, Setting.CHUNK_TIME, Duration.ZERO,
                Setting.STATEMENT_TIMEOUT, Duration.ofMinutes(1), Setting.APPLICATION_NAME, "pgverify-test",
                Setting.RETRIES, 0, Setting.RETRY_BACKOFF, Duration.ZERO, Setting.MAX_ROWS_PER_SECOND, rowsPerSecond,
                Setting.MAX_BYTES_PER_SECOND, bytesPerSecond), listener);
        return new CheckContext(db.source().dataSource(), db.target().dataSource(),
                SessionSettings.of("pgverify-test", Duration.ofMinutes(1), Duration.ofSeconds(10)), settings, sides);
    }
}
