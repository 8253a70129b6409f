package io.pgverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.VerificationReport;
import io.pgverify.Verifier;
import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

/** The README's test on a migration that loses a row: it fails, and its message names the row. */
@ExtendWith(PostgresPairExtension.class)
class LostRowIT {

    @Test
    void aMigrationThatLosesARowFailsWithTheKeyInTheMessage(DatabasePair db) throws SQLException {
        db.both("CREATE TABLE orders (id int PRIMARY KEY, total numeric)");
        db.source().execute("INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 1000) g");
        Migration.copyOrders(db.source(), db.target());
        db.target().execute("DELETE FROM orders WHERE id = 640");

        try (Verifier verifier = Verifier.builder().source(db.source().dataSource())
                .target(db.target().dataSource()).build()) {
            VerificationReport report = verifier.verify();
            assertThat(report.matches()).isFalse();
            assertThat(report.summary()).contains("public.orders hashes: missing on target (id=640)");
        }
    }
}
