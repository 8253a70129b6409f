package io.pgverify;

import static io.pgverify.Verifications.check;
import static io.pgverify.Verifications.verify;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

/**
 * The cap on listed differences holds for a table and check as a whole, across all its key ranges and the workers
 * reading them, while every difference is still counted.
 */
@ExtendWith(PostgresPairExtension.class)
class DifferenceCapIT {

    @Test
    void everyRowDifferingInManyRangesListsOnlyTheCapAndCountsThemAll(DatabasePair db) {
        // 20,000 rows with 1 kB keys, every value different on the target.
        db.both("CREATE TABLE wide (k text COLLATE \"C\" PRIMARY KEY, v int NOT NULL)",
                "INSERT INTO wide SELECT lpad(g::text, 6, '0') || repeat('k', 1000), 0 FROM generate_series(1, 20000) g",
                "ANALYZE wide");
        db.target().execute("UPDATE wide SET v = 1");

        for (int recheck : new int[] {0, 1}) {
            VerificationReport report = verify(db, b -> b.checks(CheckKind.HASHES).threads(3).chunkRows(1000)
                    .chunkTime(Duration.ZERO).maxDifferencesPerTable(5).recheck(recheck, Duration.ZERO));
            CheckResult hashes = check(report, "public.wide", CheckKind.HASHES);
            assertThat(hashes.outcome()).isEqualTo(Outcome.MISMATCH);
            assertThat(hashes.message()).as("read in many key ranges").containsPattern("compared in [0-9]{2} key ranges");
            assertThat(hashes.differenceCount()).as("every differing row counted").isEqualTo(20000);
            assertThat(hashes.differences()).as("listed, with %d rechecks", recheck).hasSize(5);
            Set<String> keys = new HashSet<>();
            for (Difference difference : hashes.differences()) {
                assertThat(difference.kind()).isEqualTo(DifferenceKind.DIFFERENT);
                assertThat(difference.columns()).containsExactly("v");
                keys.add(difference.key().get("k"));
            }
            assertThat(keys).as("distinct keys").hasSize(5);
        }
    }
}
