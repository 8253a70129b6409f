package io.pgverify.internal.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.CheckKind;
import io.pgverify.ProgressListener;
import io.pgverify.Setting;
import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.internal.catalog.Catalog;
import io.pgverify.internal.catalog.CatalogReader;
import io.pgverify.internal.catalog.TableFilter;
import io.pgverify.internal.config.VerificationSettings;
import io.pgverify.internal.jdbc.SessionSettings;
import io.pgverify.internal.plan.KeyRange;
import io.pgverify.internal.plan.TablePlan;

/** Key ranges are balanced, even for a skewed key, and cover the table exactly once. */
@ExtendWith(PostgresPairExtension.class)
class KeyRangePlannerIT {

    private static final long CHUNK_ROWS = 5_000;

    @Test
    void rangesOfASkewedKeyAreBalancedAndCoverEveryRowOnce(DatabasePair db) throws Exception {
        // Half the keys dense, half spread over a billion: equal-width ranges would put half the rows in one range.
        db.both("CREATE TABLE skewed (id bigint PRIMARY KEY, filler text)",
                "INSERT INTO skewed SELECT g, repeat('x', 40) FROM generate_series(1, 50000) g",
                "INSERT INTO skewed SELECT 1000000000 + g * 20000, repeat('y', 40) FROM generate_series(1, 50000) g",
                "ANALYZE skewed");
        ExecutorService sides = Executors.newFixedThreadPool(2);
        try (Connection connection = db.source().connect()) {
            Catalog catalog = CatalogReader.read(connection, TableFilter.all(), "source");
            TablePlan plan = TablePlan.of(catalog.tables().get(0), catalog.tables().get(0));
            VerificationSettings settings = VerificationSettings.of(Map.of(Setting.CHECKS, EnumSet.of(CheckKind.HASHES),
                    Setting.THREADS, 2, Setting.CHUNK_ROWS, CHUNK_ROWS, Setting.CHUNK_TIME, Duration.ZERO,
                    Setting.STATEMENT_TIMEOUT, Duration.ofMinutes(1), Setting.APPLICATION_NAME, "pgverify-test",
                    Setting.RETRIES, 0, Setting.RETRY_BACKOFF, Duration.ZERO, Setting.RECHECK_DELAY, Duration.ZERO),
                    ProgressListener.NONE);
            CheckContext context = new CheckContext(db.source().dataSource(), db.target().dataSource(),
                    SessionSettings.of("pgverify-test", Duration.ofMinutes(1), Duration.ofSeconds(10)), settings, sides);

            List<KeyRange> ranges = KeyRangePlanner.plan(context, plan);

            assertThat(ranges.size()).isBetween(10, 30);
            assertThat(ranges.get(0).lower()).isNull();
            assertThat(ranges.get(ranges.size() - 1).upper()).isNull();
            List<Long> sizes = new ArrayList<>();
            try (Statement statement = connection.createStatement()) {
                for (KeyRange range : ranges) {
                    try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM skewed" + range.predicate(plan))) {
                        rs.next();
                        sizes.add(rs.getLong(1));
                    }
                }
            }
            assertThat(sizes.stream().mapToLong(Long::longValue).sum()).as("every row in exactly one range").isEqualTo(100_000);
            assertThat(sizes).as("range sizes %s", sizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(4 * CHUNK_ROWS));
        } finally {
            sides.shutdownNow();
        }
    }
}
