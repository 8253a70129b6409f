package io.pgverify;

import static io.pgverify.Verifications.check;
import static io.pgverify.Verifications.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.TestDatabase;
import io.pgverify.internal.jdbc.RoundTripCounter;

/**
 * Counts of small tables, and the source keys that bound their last rows, many in one statement per side: the batch
 * still finds the one table among many that differs, and a table one side cannot read is incomplete alone, its
 * neighbours in the batch compared as ever. Through pools pgverify builds itself (connection settings, not a data
 * source), as the CLI runs.
 */
@ExtendWith(PostgresPairExtension.class)
class SmallTableBatchesIT {

    private static final int TABLES = 40;

    /** Tables t_0 … t_39 of 5 rows each, analysed so that the planner's estimates call them small. */
    private static void smallTables(DatabasePair db) {
        List<String> statements = new ArrayList<>();
        for (int i = 0; i < TABLES; i++) {
            statements.add("CREATE TABLE t_" + i + " (id int PRIMARY KEY, note text)");
            statements.add("INSERT INTO t_" + i + " SELECT g, 'row ' || g FROM generate_series(1, 5) g");
        }
        statements.add("ANALYZE");
        db.both(statements.toArray(String[]::new));
    }

    private static ConnectionSettings settings(TestDatabase side, String user, String password, String label) {
        String uri = user == null ? side.libpqUri()
                : "postgresql://" + user + ":" + password + "@" + side.server().host() + ":" + side.server().port() + "/" + side.name();
        ConnectionSettings.Builder builder = ConnectionSettings.parse(uri).toBuilder();
        if (label != null) {
            builder.parameter("socketFactory", RoundTripCounter.class.getName()).parameter("socketFactoryArg", label);
        }
        return builder.build();
    }

    private static VerificationReport verify(DatabasePair db, String user, String password, String label, CheckKind... checks) {
        return verify(db, user, password, null, label, 10, checks);
    }

    private static VerificationReport verify(DatabasePair db, String user, String password, String sourceLabel,
                                             String targetLabel, int lastRows, CheckKind... checks) {
        try (Verifier verifier = Verifier.builder().source(settings(db.source(), user, password, sourceLabel))
                .target(settings(db.target(), user, password, targetLabel)).threads(1).lastRows(lastRows).checks(checks).build()) {
            return verifier.verify();
        }
    }

    @Test
    void countsOfManySmallTablesTakeAFewRoundTripsNotSomePerTable(DatabasePair db) {
        smallTables(db);
        String label = "count-batches-" + db.target().name();
        RoundTripCounter.reset(label);

        VerificationReport report = verify(db, null, null, label, CheckKind.COUNTS);

        assertThat(report.outcome()).isEqualTo(Outcome.MATCH);
        assertThat(report.tables()).hasSize(TABLES).allSatisfy(t -> {
            assertThat(t.sourceRows()).isEqualTo(5L);
            assertThat(t.targetRows()).isEqualTo(5L);
        });
        // Connecting (twice: the pool's probe first), identifying and reading the catalog take about 30 round trips
        // whatever the tables; the counts of all 40 tables one more. A round trip per table would make it 70 or more.
        assertThat(RoundTripCounter.count(label)).isLessThan(TABLES);
    }

    @Test
    void aBatchFindsTheOneCountThatDiffersTheOneRowThatDiffersAndTheTableThatIsMissing(DatabasePair db) {
        smallTables(db);
        db.target().execute("INSERT INTO t_17 VALUES (6, 'extra')", "UPDATE t_23 SET note = 'changed' WHERE id = 3",
                "DROP TABLE t_31");

        VerificationReport report = verify(db, null, null, null, CheckKind.values());

        assertThat(report.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(report.tables()).hasSize(TABLES);
        CheckResult extra = check(report, "public.t_17", CheckKind.COUNTS);
        assertThat(extra.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(extra.differences()).singleElement().satisfies(d -> assertThat(d.kind()).isEqualTo(DifferenceKind.ROW_COUNT));
        assertThat(table(report, "public.t_17").targetRows()).isEqualTo(6L);
        assertThat(check(report, "public.t_23", CheckKind.COUNTS).outcome()).isEqualTo(Outcome.MATCH);
        assertThat(check(report, "public.t_23", CheckKind.HASHES).outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(check(report, "public.t_31", CheckKind.COUNTS).outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(table(report, "public.t_31").outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(report.tables()).filteredOn(t -> !List.of("t_17", "t_23", "t_31").contains(t.name()))
                .hasSize(TABLES - 3).allSatisfy(t -> assertThat(t.outcome()).as(t.qualifiedName()).isEqualTo(Outcome.MATCH));
    }

    @Test
    void aTableOneSideCannotReadIsIncompleteAloneAndItsNeighboursInTheBatchAreStillCompared(DatabasePair db) {
        smallTables(db);
        String reader = "reader_" + db.target().name();
        for (TestDatabase side : new TestDatabase[] {db.source(), db.target()}) {
            side.execute("DO $$ BEGIN CREATE ROLE " + reader + " LOGIN PASSWORD 'Batch-Reader-5';"
                            + " EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + reader);
        }
        db.target().execute("REVOKE SELECT ON t_5 FROM " + reader, "INSERT INTO t_6 VALUES (6, 'extra')");

        VerificationReport report = verify(db, reader, "Batch-Reader-5", null, CheckKind.COUNTS);

        assertThat(report.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(report.tables()).hasSize(TABLES);
        CheckResult unreadable = check(report, "public.t_5", CheckKind.COUNTS);
        assertThat(unreadable.outcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(unreadable.message()).contains("target").contains("permission denied");
        assertThat(check(report, "public.t_6", CheckKind.COUNTS).outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(report.tables()).filteredOn(t -> !List.of("t_5", "t_6").contains(t.name()))
                .hasSize(TABLES - 2).allSatisfy(t -> assertThat(t.outcome()).as(t.qualifiedName()).isEqualTo(Outcome.MATCH));
    }

    @Test
    void theLastRowsOfManySmallTablesTakeOneReadPerTableAndSideNotTwoOnTheSource(DatabasePair db) {
        smallTables(db);
        String label = "last-rows-batches-" + db.source().name();
        RoundTripCounter.reset(label);

        VerificationReport report = verify(db, null, null, label, null, 3, CheckKind.LAST_ROWS);

        assertThat(report.outcome()).isEqualTo(Outcome.MATCH);
        assertThat(report.tables()).hasSize(TABLES).allSatisfy(t -> assertThat(t.check(CheckKind.LAST_ROWS))
                .hasValueSatisfying(c -> assertThat(c.rowsCompared()).isEqualTo(3)));
        // About 30 to connect and read the catalog, one COPY per table, one statement for all 40 keys: a key read
        // per table would make it 110 or more.
        assertThat(RoundTripCounter.count(label)).isLessThan(2L * TABLES + 10);
    }

    @Test
    void batchedKeysStillBoundTheLastRowsAndFindTheOneThatDiffers(DatabasePair db) {
        smallTables(db);
        db.target().execute("UPDATE t_9 SET note = 'changed' WHERE id = 4", "UPDATE t_10 SET note = 'changed' WHERE id = 1",
                "DELETE FROM t_11 WHERE id = 5");

        VerificationReport report = verify(db, null, null, null, null, 3, CheckKind.LAST_ROWS);

        assertThat(report.tables()).hasSize(TABLES);
        assertThat(check(report, "public.t_9", CheckKind.LAST_ROWS).outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(check(report, "public.t_9", CheckKind.LAST_ROWS).differences()).singleElement()
                .satisfies(d -> assertThat(d.key()).containsEntry("id", "4"));
        // Below the three highest keys: outside the last rows.
        assertThat(check(report, "public.t_10", CheckKind.LAST_ROWS).outcome()).isEqualTo(Outcome.MATCH);
        assertThat(check(report, "public.t_11", CheckKind.LAST_ROWS).outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(report.tables()).filteredOn(t -> !List.of("t_9", "t_11").contains(t.name()))
                .allSatisfy(t -> assertThat(t.outcome()).as(t.qualifiedName()).isEqualTo(Outcome.MATCH));
    }

    @Test
    void aTableTheSourceCannotReadLeavesOnlyItsOwnLastRowsIncomplete(DatabasePair db) {
        smallTables(db);
        String reader = "last_reader_" + db.source().name();
        for (TestDatabase side : new TestDatabase[] {db.source(), db.target()}) {
            side.execute("DO $$ BEGIN CREATE ROLE " + reader + " LOGIN PASSWORD 'Batch-Reader-5';"
                            + " EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + reader);
        }
        db.source().execute("REVOKE SELECT ON t_5 FROM " + reader);
        db.target().execute("UPDATE t_6 SET note = 'changed' WHERE id = 5");

        VerificationReport report = verify(db, reader, "Batch-Reader-5", null, null, 10, CheckKind.LAST_ROWS);

        assertThat(report.tables()).hasSize(TABLES);
        CheckResult unreadable = check(report, "public.t_5", CheckKind.LAST_ROWS);
        assertThat(unreadable.outcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(unreadable.message()).contains("source").contains("permission denied");
        assertThat(check(report, "public.t_6", CheckKind.LAST_ROWS).outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(report.tables()).filteredOn(t -> !List.of("t_5", "t_6").contains(t.name()))
                .hasSize(TABLES - 2).allSatisfy(t -> assertThat(t.outcome()).as(t.qualifiedName()).isEqualTo(Outcome.MATCH));
    }

    @Test
    void withHashesTheLastRowsOfASmallTableAreNotReadAgainUnlessTheHashesFoundSomething(DatabasePair db) {
        smallTables(db);
        // Two changes in the last 3 rows and one below them: the hashes find all three, the last rows their own two.
        db.target().execute("UPDATE t_7 SET note = 'changed' WHERE id = 5", "DELETE FROM t_7 WHERE id = 4",
                "UPDATE t_9 SET note = 'changed' WHERE id = 1");
        String label = "last-rows-covered-" + db.source().name();
        RoundTripCounter.reset(label);

        VerificationReport report = verify(db, null, null, label, null, 3, CheckKind.LAST_ROWS, CheckKind.HASHES);

        assertThat(report.outcome()).isEqualTo(Outcome.MISMATCH);
        CheckResult topChanged = check(report, "public.t_7", CheckKind.LAST_ROWS);
        assertThat(topChanged.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(topChanged.differences()).extracting(d -> d.key().get("id")).containsExactlyInAnyOrder("5", "4");
        assertThat(check(report, "public.t_9", CheckKind.HASHES).outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(check(report, "public.t_9", CheckKind.LAST_ROWS).outcome()).isEqualTo(Outcome.MATCH);
        assertThat(report.tables()).filteredOn(t -> !List.of("t_7", "t_9").contains(t.name())).hasSize(TABLES - 2)
                .allSatisfy(t -> assertThat(t.check(CheckKind.LAST_ROWS)).hasValueSatisfying(c -> {
                    assertThat(c.outcome()).isEqualTo(Outcome.MATCH);
                    assertThat(c.rowsCompared()).isEqualTo(3);
                }));
        // About 30 to connect and read the catalog, one COPY per table for the hashes and a second only for the two
        // tables whose hashes differ: reading every table's last rows again would make it 80 or more.
        assertThat(RoundTripCounter.count(label)).isLessThan(TABLES + 40);
    }
}
