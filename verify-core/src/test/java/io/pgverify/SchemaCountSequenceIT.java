package io.pgverify;

import static io.pgverify.Verifications.check;
import static io.pgverify.Verifications.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

@ExtendWith(PostgresPairExtension.class)
class SchemaCountSequenceIT {

    private static final String ORDERS = """
            CREATE TABLE orders (id bigserial PRIMARY KEY, customer text NOT NULL, total numeric(12,2));
            INSERT INTO orders (customer, total) SELECT 'c' || g, g * 1.25 FROM generate_series(1, 500) g;
            """;

    @Test
    void identicalDatabasesMatch(DatabasePair db) {
        db.both(ORDERS);
        VerificationReport report = verify(db, b -> b.checks(CheckKind.SCHEMA, CheckKind.COUNTS, CheckKind.SEQUENCES));
        assertThat(report.outcome()).isEqualTo(Outcome.MATCH);
        assertThat(report.source().versionNumber()).isBetween(130000, 139999);
        assertThat(report.target().versionNumber()).isBetween(170000, 179999);
        assertThat(Verifications.table(report, "public.orders").sourceRows()).isEqualTo(500L);
        assertThat(report.sequences()).singleElement().satisfies(s -> {
            assertThat(s.qualifiedName()).isEqualTo("public.orders_id_seq");
            assertThat(s.ownedBy()).isEqualTo("public.orders.id");
            assertThat(s.sourceNextValue()).isEqualTo(501L);
            assertThat(s.outcome()).isEqualTo(Outcome.MATCH);
        });
    }

    @Test
    void findsAMissingRowByCount(DatabasePair db) {
        db.both(ORDERS);
        db.target().execute("DELETE FROM orders WHERE id = 42");
        VerificationReport report = verify(db, b -> b.checks(CheckKind.COUNTS));
        assertThat(report.outcome()).isEqualTo(Outcome.MISMATCH);
        CheckResult counts = check(report, "public.orders", CheckKind.COUNTS);
        assertThat(counts.differences()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DifferenceKind.ROW_COUNT);
            assertThat(d.detail()).contains("500").contains("499");
        });
    }

    @Test
    void findsASequenceThatWasNotReplicated(DatabasePair db) {
        db.both(ORDERS);
        // What logical replication leaves behind: the rows arrived, the sequence did not move.
        db.target().execute("SELECT setval('orders_id_seq', 1, false)");
        VerificationReport report = verify(db, b -> b.checks(CheckKind.SEQUENCES));
        assertThat(report.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(report.sequences()).singleElement().satisfies(s -> {
            assertThat(s.targetNextValue()).isEqualTo(1L);
            assertThat(s.targetColumnMax()).isEqualTo(500L);
            assertThat(s.differences()).extracting(Difference::kind)
                    .containsExactlyInAnyOrder(DifferenceKind.SEQUENCE_BEHIND, DifferenceKind.SEQUENCE_BELOW_COLUMN_MAX);
        });
    }

    @Test
    void aSequenceAheadOfTheSourceIsFine(DatabasePair db) {
        db.both(ORDERS);
        db.target().execute("SELECT setval('orders_id_seq', 10000)");
        VerificationReport report = verify(db, b -> b.checks(CheckKind.SEQUENCES));
        assertThat(report.outcome()).isEqualTo(Outcome.MATCH);
    }

    @Test
    void isCalledDecidesTheNextValue(DatabasePair db) {
        db.both("CREATE SEQUENCE s START 100");
        db.source().execute("SELECT setval('s', 100, true)"); // next: 101
        db.target().execute("SELECT setval('s', 100, false)"); // next: 100, one behind
        VerificationReport report = verify(db, b -> b.checks(CheckKind.SEQUENCES));
        assertThat(report.sequences()).singleElement().satisfies(s -> {
            assertThat(s.sourceNextValue()).isEqualTo(101L);
            assertThat(s.targetNextValue()).isEqualTo(100L);
            assertThat(s.outcome()).isEqualTo(Outcome.MISMATCH);
        });
    }

    @Test
    void reportsMissingTablesColumnsTypesAndKeys(DatabasePair db) {
        db.source().execute(ORDERS, "CREATE TABLE gone (id int PRIMARY KEY)",
                "CREATE TABLE \"Order Items\" (order_id int, line int, sku text, qty int, PRIMARY KEY (order_id, line))");
        db.target().execute(ORDERS.replace("total numeric(12,2)", "total numeric(14,2)"),
                "CREATE TABLE \"Order Items\" (order_id int, line int, qty bigint, note text)");
        VerificationReport report = verify(db, b -> b.checks(CheckKind.SCHEMA, CheckKind.COUNTS));
        assertThat(report.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(check(report, "public.gone", CheckKind.SCHEMA).differences())
                .extracting(Difference::kind).containsExactly(DifferenceKind.MISSING_TABLE);
        assertThat(check(report, "public.gone", CheckKind.COUNTS).outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(check(report, "public.orders", CheckKind.SCHEMA).differences()).singleElement()
                .satisfies(d -> assertThat(d.detail()).contains("numeric(12,2)").contains("numeric(14,2)"));
        CheckResult items = check(report, "public.\"Order Items\"", CheckKind.SCHEMA);
        assertThat(items.differences()).extracting(Difference::kind).containsExactlyInAnyOrder(
                DifferenceKind.MISSING_COLUMN, DifferenceKind.TYPE_MISMATCH, DifferenceKind.MISSING_KEY);
        assertThat(items.message()).contains("note");
    }

    /** Indexes and constraints of every common kind, as pg_dump would restore them. */
    private static final String CAMPAIGNS = """
            CREATE EXTENSION IF NOT EXISTS btree_gist;
            CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL UNIQUE, tier text DEFAULT 'free');
            CREATE TABLE campaign (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                customer_id int NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
                application_code text NOT NULL,
                priority int NOT NULL CHECK (priority BETWEEN 0 AND 100),
                budget numeric(12,2),
                starts date, ends date,
                body jsonb,
                CONSTRAINT campaign_priority UNIQUE (customer_id, application_code, priority) DEFERRABLE INITIALLY DEFERRED,
                CONSTRAINT campaign_dates CHECK (ends IS NULL OR ends >= starts),
                CONSTRAINT campaign_no_overlap EXCLUDE USING gist (customer_id WITH =, daterange(starts, ends) WITH &&)
            );
            CREATE INDEX campaign_code ON campaign (lower(application_code) text_pattern_ops) WHERE budget > 0;
            CREATE INDEX campaign_body ON campaign USING gin (body jsonb_path_ops);
            CREATE INDEX campaign_starts ON campaign (starts DESC NULLS LAST) INCLUDE (budget);
            CREATE INDEX campaign_hash ON campaign USING hash (application_code);
            """;

    @Test
    void indexesAndConstraintsAreComparedWithoutFalseAlarmsAcrossVersions(DatabasePair db) {
        db.both(CAMPAIGNS);
        // Another tool named this index differently: the same definition under another name is there.
        db.target().execute("ALTER INDEX campaign_hash RENAME TO campaign_application_code_idx");

        VerificationReport clean = verify(db, b -> b.checks(CheckKind.SCHEMA));
        assertThat(clean.outcome()).as("%s", clean).isEqualTo(Outcome.MATCH);

        // What migrations really lose: a deferrable constraint dropped for pglogical and never added back, an index
        // pg_restore could not build, a NOT NULL, a check redefined, and an index whose concurrent build failed.
        db.target().execute("ALTER TABLE campaign DROP CONSTRAINT campaign_priority",
                "DROP INDEX campaign_body",
                "ALTER TABLE campaign ALTER COLUMN application_code DROP NOT NULL",
                "ALTER TABLE campaign DROP CONSTRAINT campaign_dates",
                "ALTER TABLE campaign ADD CONSTRAINT campaign_dates CHECK (ends > starts)",
                "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'campaign_starts'::regclass");
        CheckResult schema = check(verify(db, b -> b.checks(CheckKind.SCHEMA)), "public.campaign", CheckKind.SCHEMA);

        assertThat(schema.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(schema.differences()).extracting(Difference::kind, Difference::detail).containsExactlyInAnyOrder(
                tuple(DifferenceKind.NOT_NULL_MISSING,
                        "column application_code is NOT NULL on the source but accepts NULL on the target"),
                tuple(DifferenceKind.MISSING_CONSTRAINT, "constraint campaign_priority does not exist on the target: "
                        + "UNIQUE (customer_id, application_code, priority) DEFERRABLE INITIALLY DEFERRED"),
                tuple(DifferenceKind.MISSING_INDEX, "index campaign_body does not exist on the target: "
                        + "CREATE INDEX ON public.campaign USING gin (body jsonb_path_ops)"),
                tuple(DifferenceKind.DEFINITION_MISMATCH, "constraint campaign_dates is CHECK (((ends IS NULL) OR (ends >= starts)))"
                        + " on the source but CHECK ((ends > starts)) on the target"),
                tuple(DifferenceKind.MISSING_INDEX, "index campaign_starts is invalid on the target (a failed concurrent build?): "
                        + "CREATE INDEX ON public.campaign USING btree (starts DESC NULLS LAST) INCLUDE (budget)"));
    }

    @Test
    void largeObjectsLeftBehindByLogicalReplicationAreNamedInTheWarnings(DatabasePair db) {
        db.both(ORDERS);
        db.source().execute("SELECT lo_from_bytea(0, 'scanned invoice')", "SELECT lo_from_bytea(0, 'signed contract')");
        db.target().execute("SELECT lo_from_bytea(0, 'scanned invoice')");

        VerificationReport report = verify(db, b -> b.checks(CheckKind.COUNTS));

        assertThat(report.warnings()).contains("Large objects: the source holds 2, the target 1 (some are missing:"
                + " logical replication does not copy them); pgverify does not compare their contents.");
        db.target().execute("SELECT lo_from_bytea(0, 'signed contract')");
        assertThat(verify(db, b -> b.checks(CheckKind.COUNTS)).warnings()).contains("Large objects: the source holds 2,"
                + " the target 2; pgverify does not compare their contents.");
    }

    @Test
    void anEmptySelectionIsIncompleteNotAMatch(DatabasePair db) {
        db.both(ORDERS);
        VerificationReport report = verify(db, b -> b.include("nothing.here"));
        assertThat(report.tables()).isEmpty();
        assertThat(report.outcome()).isEqualTo(Outcome.INCOMPLETE);
    }

    @Test
    void theNamesAReportPrintsSelectThoseTablesAgain(DatabasePair db) {
        db.both(ORDERS, "CREATE SCHEMA sales", "CREATE TABLE sales.\"Mixed Case\" (id int PRIMARY KEY)",
                "CREATE TABLE sales.items (id int PRIMARY KEY)", "CREATE TABLE sales.other (id int PRIMARY KEY)");
        List<String> everyTable = verify(db, b -> b.checks(CheckKind.COUNTS)).tables().stream()
                .map(TableReport::qualifiedName).toList();
        assertThat(everyTable).contains("sales.\"Mixed Case\"");

        VerificationReport quoted = verify(db, b -> b.checks(CheckKind.COUNTS).include("sales.\"Mixed Case\""));
        assertThat(quoted.tables()).extracting(TableReport::qualifiedName).containsExactly("sales.\"Mixed Case\"");

        VerificationReport list = verify(db, b -> b.checks(CheckKind.COUNTS).include("public.orders,sales.items"));
        assertThat(list.tables()).extracting(TableReport::qualifiedName)
                .containsExactlyInAnyOrder("public.orders", "sales.items");
    }

    @Test
    void aTableThatCannotBeReadIsIncomplete(DatabasePair db) {
        db.both(ORDERS, "CREATE ROLE reader_" + db.source().name() + " LOGIN PASSWORD 'pw'");
        VerificationReport report = verify(db, b -> b
                .source(withUser(db, true)).target(withUser(db, false)).checks(CheckKind.COUNTS));
        assertThat(report.outcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(check(report, "public.orders", CheckKind.COUNTS).message()).contains("permission denied");
    }

    @Test
    void rowsHiddenByRowLevelSecurityMakeTheTableIncompleteNeverAMatch(DatabasePair db) {
        // The verifying user sees only tenant 1's rows on both sides; tenant 2's rows differ. Without row_security=off
        // both sides would show the same subset and pass.
        String reader = "reader_" + db.source().name();
        db.both(ORDERS, "ALTER TABLE orders ADD COLUMN tenant int NOT NULL DEFAULT 1",
                "UPDATE orders SET tenant = 2 WHERE id > 400",
                "CREATE ROLE " + reader + " LOGIN PASSWORD 'pw'", "GRANT SELECT ON orders TO " + reader,
                "ALTER TABLE orders ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY tenant_one ON orders FOR SELECT USING (tenant = 1)");
        db.target().execute("DELETE FROM orders WHERE id = 450");

        VerificationReport report = verify(db, b -> b.source(withUser(db, true)).target(withUser(db, false))
                .checks(CheckKind.COUNTS, CheckKind.LAST_ROWS, CheckKind.HASHES));

        assertThat(report.outcome()).isEqualTo(Outcome.INCOMPLETE);
        for (CheckKind kind : List.of(CheckKind.COUNTS, CheckKind.LAST_ROWS, CheckKind.HASHES)) {
            CheckResult result = check(report, "public.orders", kind);
            assertThat(result.outcome()).as("%s", result).isEqualTo(Outcome.INCOMPLETE);
            assertThat(result.message()).contains("row-level security").contains("BYPASSRLS");
        }
        // As the owner (here a superuser), every row is read and the lost row is found.
        assertThat(check(verify(db, b -> b.checks(CheckKind.HASHES)), "public.orders", CheckKind.HASHES).differences())
                .extracting(Difference::keyText).containsExactly("(id=450)");
    }

    private static javax.sql.DataSource withUser(DatabasePair db, boolean source) {
        org.postgresql.ds.PGSimpleDataSource ds = (source ? db.source() : db.target()).dataSource();
        ds.setUser("reader_" + db.source().name());
        ds.setPassword("pw");
        return ds;
    }
}
