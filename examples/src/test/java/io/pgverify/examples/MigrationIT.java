package io.pgverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.VerificationReport;
import io.pgverify.Verifier;
import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

// README: junit
@ExtendWith(PostgresPairExtension.class)
class MigrationIT {

    @Test
    void theCopyIsComplete(DatabasePair db) throws SQLException {
        db.both("CREATE TABLE orders (id int PRIMARY KEY, total numeric)");   // the same DDL on both sides
        db.source().execute("INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 1000) g");

        Migration.copyOrders(db.source(), db.target());                       // the migration under test

        try (Verifier verifier = Verifier.builder().source(db.source().dataSource())
                .target(db.target().dataSource()).build()) {
            VerificationReport report = verifier.verify();
            assertThat(report.matches()).as(report.summary()).isTrue();
        }
    }
}
// END README
