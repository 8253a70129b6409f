package io.pgverify;

import static io.pgverify.Verifications.check;
import static io.pgverify.Verifications.verify;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.TestDatabase;

/**
 * An {@link Error} thrown in the middle of a read, while both servers are still sending: the check is incomplete with
 * that error as its cause, the run ends, and no connection is left inside a COPY.
 */
@ExtendWith(PostgresPairExtension.class)
class ReadFailureIT {

    /** 60 MB a side: both servers are mid-send (far beyond socket buffers) when the first progress call comes. */
    private static final String TABLES = """
            CREATE TABLE items (id bigint PRIMARY KEY, name text);
            INSERT INTO items SELECT g, repeat('n', 3000) FROM generate_series(1, 20000) g;
            CREATE TABLE loose (name text);
            INSERT INTO loose SELECT repeat('n', 3000) FROM generate_series(1, 20000) g;
            """;

    /** What a worker may meet inside a read: not an exception, and thrown by no JDBC or COPY code. */
    private static final class InjectedError extends Error {
        private static final long serialVersionUID = 1L;

        InjectedError() {
            super("injected inside a read");
        }
    }

    @Test
    void anErrorInsideAReadIsTheChecksCauseAndNoConnectionStaysInACopy(DatabasePair db) throws Exception {
        db.both(TABLES);
        ProgressListener failing = new ProgressListener() {
            @Override
            public void rowsCompared(String table, long rows) {
                throw new InjectedError();
            }
        };

        CompletableFuture<VerificationReport> run = CompletableFuture.supplyAsync(() -> verify(db,
                b -> b.checks(CheckKind.HASHES).progressListener(failing).retries(0, java.time.Duration.ZERO)));
        // A bound on "the run ends", not a timing: before, a worker could block for ever.
        VerificationReport report = run.get(2, TimeUnit.MINUTES);

        for (String table : new String[] {"public.items", "public.loose"}) {
            CheckResult hashes = check(report, table, CheckKind.HASHES);
            assertThat(hashes.outcome()).as("%s", hashes).isEqualTo(Outcome.INCOMPLETE);
            assertThat(hashes.message()).as(table).contains("InjectedError: injected inside a read");
        }
        assertNoCopyLeft(db.source());
        assertNoCopyLeft(db.target());
    }

    @Test
    void thePoolLendsNoConnectionThatAReadFailureLeftBehind(DatabasePair db) throws Exception {
        db.both(TABLES);
        java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean(true);
        ProgressListener listener = new ProgressListener() {
            @Override
            public void rowsCompared(String table, long rows) {
                if (failing.get()) {
                    throw new InjectedError();
                }
            }
        };
        // Pools the verifier builds itself (HikariCP), one connection a side, no retries: a broken connection lent
        // out again would make the second run incomplete.
        try (Verifier verifier = Verifier.builder()
                .source(ConnectionSettings.parse(db.source().libpqUri()))
                .target(ConnectionSettings.parse(db.target().libpqUri()))
                .threads(1).checks(CheckKind.HASHES).progressListener(listener).retries(0, java.time.Duration.ZERO)
                .build()) {
            VerificationReport failed = CompletableFuture.supplyAsync(verifier::verify).get(2, TimeUnit.MINUTES);
            assertThat(check(failed, "public.items", CheckKind.HASHES).message()).contains("InjectedError");

            failing.set(false);
            VerificationReport again = CompletableFuture.supplyAsync(verifier::verify).get(2, TimeUnit.MINUTES);
            for (String table : new String[] {"public.items", "public.loose"}) {
                CheckResult hashes = check(again, table, CheckKind.HASHES);
                assertThat(hashes.outcome()).as("%s", hashes).isEqualTo(Outcome.MATCH);
            }
        }
    }

    /** The aborted connections' backends notice the closed socket and end; none stays in its COPY. */
    private static void assertNoCopyLeft(TestDatabase database) throws InterruptedException {
        String sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid() AND query LIKE 'COPY%' AND state = 'active'";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (database.queryForLong(sql) > 0) {
            assertThat(System.nanoTime()).as("no COPY left running on " + database).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
