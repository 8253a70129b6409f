package io.pgverify;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.TestDatabase;

/** A verification stopped from outside, or by its deadline, leaves nothing running and says what it finished. */
@ExtendWith(PostgresPairExtension.class)
class CancellationIT {

    private static final String TABLES = """
            CREATE TABLE small (id int PRIMARY KEY, v text);
            INSERT INTO small SELECT g, 'v' || g FROM generate_series(1, 100) g;
            CREATE TABLE readings (id bigint PRIMARY KEY, value float8);
            INSERT INTO readings SELECT g, g / 3.0 FROM generate_series(1, 200000) g;
            ANALYZE;
            """;

    @Test
    void cancelStopsEveryStatementOnBothServersAndReturnsThePartialReport(DatabasePair db) throws Exception {
        db.both(TABLES);
        String application = "pgverify-cancel-" + db.source().name();
        CountDownLatch reading = new CountDownLatch(1);
        ThreadPoolExecutor callers = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
        try (Verifier verifier = Verifier.builder().source(db.source().dataSource()).target(db.target().dataSource())
                .checks(CheckKind.COUNTS, CheckKind.HASHES).threads(2).executor(callers).applicationName(application)
                // About 100 s for the big table at this pace: the cancel below lands while it is read.
                .maxRowsPerSecond(2_000)
                .progressListener(new ProgressListener() {
                    @Override
                    public void rowsCompared(String table, long rows) {
                        if (table.endsWith("readings")) {
                            reading.countDown();
                        }
                    }
                }).build()) {
            Verification running = verifier.start();
            assertThat(reading.await(60, TimeUnit.SECONDS)).as("the big table is being read").isTrue();
            assertThat(openTransactions(db.source(), application) + openTransactions(db.target(), application))
                    .as("transactions open before the cancel").isPositive();

            running.cancel();
            VerificationReport report = running.report(Duration.ofSeconds(60));

            assertThat(report.interrupted()).isTrue();
            assertThat(report.outcome()).isEqualTo(Outcome.INCOMPLETE);
            assertThat(report.warnings()).anySatisfy(w -> assertThat(w).startsWith("The verification was cancelled"));
            assertThat(Verifications.check(report, "public.readings", CheckKind.HASHES).outcome()).isEqualTo(Outcome.INCOMPLETE);
            assertThat(Verifications.check(report, "public.small", CheckKind.COUNTS).outcome()).isEqualTo(Outcome.MATCH);
            // Nothing of it runs any more: not on the caller's executor, and not on the servers, where a backend whose
            // connection was aborted ends its transaction as it exits, a moment after the client let go.
            assertThat(callers.getActiveCount()).isZero();
            assertThat(transactionsEnd(db.source(), application)).as("open on the source").isZero();
            assertThat(transactionsEnd(db.target(), application)).as("open on the target").isZero();
            assertThat(running.isDone()).isTrue();
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void theDeadlineEndsTheRunIncompleteNotInterrupted(DatabasePair db) throws Exception {
        db.both(TABLES);
        String application = "pgverify-deadline-" + db.source().name();
        try (Verifier verifier = Verifier.builder().source(db.source().dataSource()).target(db.target().dataSource())
                .checks(CheckKind.HASHES).threads(2).applicationName(application).maxRowsPerSecond(2_000)
                .deadline(Duration.ofSeconds(2)).build()) {
            VerificationReport report = verifier.verify();

            assertThat(report.interrupted()).as("a deadline is the run ending as configured, not Ctrl-C").isFalse();
            assertThat(report.outcome()).isEqualTo(Outcome.INCOMPLETE);
            assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("stopped at its deadline of 2s"));
            assertThat(Verifications.check(report, "public.readings", CheckKind.HASHES).outcome()).isEqualTo(Outcome.INCOMPLETE);
            assertThat(transactionsEnd(db.source(), application)).isZero();
            assertThat(transactionsEnd(db.target(), application)).isZero();
        }
    }

    /** The open transactions once they have ended, or as many as are still open after 10 s. */
    private static int transactionsEnd(TestDatabase database, String application) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int open = openTransactions(database, application);
        while (open > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            open = openTransactions(database, application);
        }
        return open;
    }

    /**
     * The verification's open transactions on a server: its application_name is set for each transaction only, so a
     * session that shows it is reading (a COPY running, or between its statements).
     */
    private static int openTransactions(TestDatabase database, String application) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                     + application + "' AND xact_start IS NOT NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
