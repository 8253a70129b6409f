package io.pgverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

@ExtendWith(PostgresPairExtension.class)
class RunbookStepIT {

    private static final String ORDERS = """
            CREATE TABLE orders (id int PRIMARY KEY, customer text);
            INSERT INTO orders SELECT g, 'c' || g FROM generate_series(1, 500) g;
            """;

    @Test
    void opensTheGateOnlyOnAMatchAndAlwaysKeepsTheEvidence(DatabasePair db, @TempDir Path dir) throws Exception {
        db.both(ORDERS);
        Path evidence = dir.resolve("evidence.json");
        assertThat(RunbookStep.verifyBeforePromotion(db.source().libpqUri(), db.target().libpqUri(), evidence)).isZero();
        assertThat(Files.readString(evidence)).containsPattern("\"outcome\"\\s*:\\s*\"match\"").doesNotContain(db.source().password());

        db.target().execute("UPDATE orders SET customer = 'changed' WHERE id = 7");
        assertThat(RunbookStep.verifyBeforePromotion(db.source().libpqUri(), db.target().libpqUri(), evidence)).isEqualTo(1);
        assertThat(Files.readString(evidence)).containsPattern("\"outcome\"\\s*:\\s*\"mismatch\"");
    }
}
