package io.pgverify;

import static io.pgverify.Verifications.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

/** The library as an application embeds it: its exceptions, a listener of its own, a verifier's life cycle. */
@ExtendWith(PostgresPairExtension.class)
class EmbeddingIT {

    private static final String ORDERS = """
            CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL);
            INSERT INTO orders SELECT g, 'c' || g FROM generate_series(1, 300) g;
            """;

    @Test
    void aListenerThatThrowsNeitherEndsTheRunNorMakesItIncomplete(DatabasePair db) {
        db.both(ORDERS);
        AtomicInteger calls = new AtomicInteger();
        ProgressListener broken = new ProgressListener() {
            @Override
            public void started(int tables, long estimatedRows) {
                calls.incrementAndGet();
                throw new IllegalStateException("progress bar broke");
            }

            @Override
            public void rowsCompared(String table, long rows) {
                calls.incrementAndGet();
                throw new IllegalStateException("progress bar broke");
            }

            @Override
            public void checkFinished(String table, CheckResult result) {
                calls.incrementAndGet();
                throw new IllegalStateException("progress bar broke");
            }

            @Override
            public void tableFinished(TableReport report) {
                calls.incrementAndGet();
                throw new IllegalStateException("progress bar broke");
            }
        };

        VerificationReport report = verify(db, b -> b.progressListener(broken));

        assertThat(report.outcome()).as(report.summary()).isEqualTo(Outcome.MATCH);
        assertThat(calls).as("every kind of call was made and threw").hasValueGreaterThanOrEqualTo(4);
    }

    @Test
    void verifyOrThrowIsAVerifyExceptionNamingTheTableAndKey(DatabasePair db) {
        db.both(ORDERS);
        db.target().execute("DELETE FROM orders WHERE id = 42");
        try (Verifier verifier = Verifier.builder().source(db.source().dataSource()).target(db.target().dataSource())
                .checks(CheckKind.HASHES).build()) {
            assertThatThrownBy(verifier::verifyOrThrow)
                    .isInstanceOf(VerifyException.class)
                    .isInstanceOfSatisfying(VerificationFailedException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.DIFFERENCES_FOUND);
                        assertThat(e.errorCode().exitCode()).isEqualTo(1);
                        assertThat(e.report().outcome()).isEqualTo(Outcome.MISMATCH);
                    })
                    .hasMessageContaining("Verification mismatch: 1 difference in 1 of 1 table")
                    .hasMessageContaining("public.orders hashes: missing on target (id=42)");
        }
    }

    @Test
    void anIncompleteVerificationThrowsWithTheReasonAndItsOwnCode(DatabasePair db) {
        db.both(ORDERS);
        try (Verifier verifier = Verifier.builder().source(db.source().dataSource()).target(db.target().dataSource())
                .include("nothing.here").build()) {
            assertThatThrownBy(verifier::verifyOrThrow)
                    .isInstanceOfSatisfying(VerificationFailedException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INCOMPLETE))
                    .hasMessageContaining("Verification incomplete")
                    .hasMessageContaining("No tables on the source match the selection");
        }
    }

    @Test
    void aClosedVerifierSaysSo(DatabasePair db) {
        db.both(ORDERS);
        Verifier verifier = Verifier.builder().source(db.source().dataSource()).target(db.target().dataSource()).build();
        verifier.close();
        verifier.close(); // twice is harmless, as for any AutoCloseable used in try-with-resources and a finally

        assertThatThrownBy(verifier::verify)
                .isInstanceOfSatisfying(VerifyException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessage("This verifier is closed: build a new one with Verifier.builder().");
    }

    @Test
    void aChecksSelectionThatComparesNothingSaysWhy(DatabasePair db) {
        db.both(ORDERS); // a table, and no sequence
        VerificationReport report = verify(db, b -> b.checks(CheckKind.SEQUENCES));

        assertThat(report.outcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(report.warnings()).contains("No sequences on the source match the selection: the sequences check"
                + " compared nothing.");
        assertThat(report.summary()).contains("No sequences on the source match the selection");
    }
}
