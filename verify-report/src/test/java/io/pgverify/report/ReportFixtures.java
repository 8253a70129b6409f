package io.pgverify.report;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.Outcome;
import io.pgverify.SequenceReport;
import io.pgverify.ServerInfo;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;

/** Reports built by hand, covering every outcome, every difference kind, nulls, capped lists and awkward names. */
final class ReportFixtures {

    static final ServerInfo SOURCE = new ServerInfo("13.18", 130018, "shop", "old-db.example.com:5432");
    static final ServerInfo TARGET = new ServerInfo("17.4", 170004, "shop", "new-db.example.com:5432");
    static final Instant STARTED = Instant.parse("2025-03-01T10:15:30Z");
    static final ReportOptions OPTIONS = new ReportOptions("0.1.0", false,
            "postgresql://app:****@old-db.example.com:5432/shop", "postgresql://app:****@new-db.example.com:5432/shop");

    /** A schema and a table name with quotes, markup characters and unicode (German and Japanese). */
    static final String ODD_SCHEMA = "Sales \"EU\"";
    static final String ODD_NAME = "Orders <2024> & 'co' — Bestellungen ü 注文";
    static final String LONG_NAME = "customer_lifetime_value_rollup_by_region_and_quarter_2019_2024_v2";

    private ReportFixtures() {
    }

    /**
     * Mismatched overall. Tables: 7, of which 1 matching, 4 mismatched, 1 incomplete, 1 skipped. Checks: 16 (6
     * mismatch, 1 incomplete, 4 skipped, 5 match). Sequences: 5 (1 match, 3 mismatch, 1 incomplete). Differences:
     * 1,210 on tables (1,204 of them by hashes on public.orders, 3 listed) and 4 on sequences. Rows compared:
     * 1,001,810.
     */
    static VerificationReport mismatched() {
        TableReport orders = new TableReport("public", "orders", List.of("id"), 1_000_000L, 999_998L, List.of(
                match(CheckKind.SCHEMA, 0, 12),
                new CheckResult(CheckKind.COUNTS, Outcome.MISMATCH,
                        List.of(Difference.of(DifferenceKind.ROW_COUNT, "source 1000000, target 999998")), 1, 0, "",
                        Duration.ofMillis(420)),
                match(CheckKind.LAST_ROWS, 1000, 85),
                new CheckResult(CheckKind.HASHES, Outcome.MISMATCH, List.of(
                        row(DifferenceKind.MISSING_ON_TARGET, List.of(), "", "id", "17"),
                        row(DifferenceKind.DIFFERENT, List.of("total", "status"), "", "id", "42"),
                        row(DifferenceKind.EXTRA_ON_TARGET, List.of(), "", "id", "90001")),
                        1204, 1_000_000, "", Duration.ofMillis(12_345))));
        TableReport customers = new TableReport("public", "customers", List.of("id"), 52_000L, 52_000L, List.of(
                match(CheckKind.COUNTS, 0, 50),
                CheckResult.incomplete(CheckKind.HASHES, "ERROR: canceling statement due to statement timeout "
                        + "(SQLSTATE 57014) while hashing keys 1..26000", Duration.ofSeconds(30))));
        TableReport odd = new TableReport(ODD_SCHEMA, ODD_NAME, List.of(), 10L, 10L, List.of(
                new CheckResult(CheckKind.SCHEMA, Outcome.MISMATCH, List.of(
                        new Difference(DifferenceKind.MISSING_COLUMN, Map.of(), List.of("note \"internal\""),
                                "column \"note \"\"internal\"\"\" is not on the target"),
                        new Difference(DifferenceKind.TYPE_MISMATCH, Map.of(), List.of("amount"),
                                "numeric(10,2) on the source, double precision on the target")),
                        2, 0, "", Duration.ofMillis(3)),
                CheckResult.skipped(CheckKind.LAST_ROWS, "the table has no key"),
                new CheckResult(CheckKind.HASHES, Outcome.MISMATCH, List.of(
                        Difference.of(DifferenceKind.TABLE_CONTENT, "the rows differ as a whole (no key to name them)")),
                        1, 10, "compared as a whole: no key", Duration.ofMillis(7))));
        TableReport longName = new TableReport("analytics", LONG_NAME, List.of("region", "quarter"), 800L, 800L,
                List.of(match(CheckKind.COUNTS, 0, 5), match(CheckKind.HASHES, 800, 40)));
        TableReport missing = new TableReport("archive", "orders_2019", List.of("id"), 5_000L, null, List.of(
                new CheckResult(CheckKind.SCHEMA, Outcome.MISMATCH,
                        List.of(Difference.of(DifferenceKind.MISSING_TABLE, "archive.orders_2019 is not on the target")),
                        1, 0, "", Duration.ofMillis(2)),
                CheckResult.skipped(CheckKind.COUNTS, "the table is missing on the target"),
                CheckResult.skipped(CheckKind.HASHES, "the table is missing on the target")));
        TableReport composite = new TableReport("public", "order_lines", List.of("order_id", "line_no"), null, null,
                List.of(new CheckResult(CheckKind.LAST_ROWS, Outcome.MISMATCH, List.of(
                        row(DifferenceKind.DIFFERENT, List.of("qty"), "", "order_id", "7", "line_no", null)),
                        1, 1000, "", Duration.ofMillis(90))));
        TableReport skipped = new TableReport("public", "audit_log", List.of(), null, null, List.of(
                CheckResult.skipped(CheckKind.HASHES, "excluded by --skip-rows")));
        List<SequenceReport> sequences = List.of(
                new SequenceReport("public", "orders_id_seq", "public.orders.id", 1_000_001L, 1_000_001L, 1_000_000L,
                        Outcome.MATCH, List.of(), ""),
                new SequenceReport("public", "customers_id_seq", "public.customers.id", 52_001L, 1L, 52_000L,
                        Outcome.MISMATCH, List.of(
                        Difference.of(DifferenceKind.SEQUENCE_BEHIND, "target would hand out 1, source 52001"),
                        Difference.of(DifferenceKind.SEQUENCE_BELOW_COLUMN_MAX,
                                "target would hand out 1, public.customers.id already holds up to 52000")), ""),
                new SequenceReport("public", "invoice_no", "", 9_223_372_036_854_775_807L, null, null,
                        Outcome.MISMATCH, List.of(
                        Difference.of(DifferenceKind.MISSING_SEQUENCE, "public.invoice_no is not on the target")), ""),
                new SequenceReport("public", "events_id_seq", "public.events.id", 10L, 10L, null, Outcome.MISMATCH,
                        List.of(Difference.of(DifferenceKind.SEQUENCE_BELOW_COLUMN_MAX, "column max 12 on target")),
                        ""),
                new SequenceReport("billing", "ticket_seq", "", null, null, null, Outcome.INCOMPLETE, List.of(),
                        "permission denied for sequence ticket_seq"));
        return new VerificationReport(SOURCE, TARGET, Set.of(CheckKind.HASHES, CheckKind.SCHEMA, CheckKind.COUNTS,
                CheckKind.LAST_ROWS, CheckKind.SEQUENCES),
                List.of(orders, customers, odd, longName, missing, composite, skipped), sequences,
                List.of("public.tmp_import", "public.\"Staging\""),
                List.of("public.audit_log was excluded from row checks by --skip-rows; its rows were not compared",
                        "The target runs a newer major version (17 vs 13): text collation may sort keys differently"),
                STARTED, Duration.ofSeconds(192));
    }

    /** Everything matches: two tables, one sequence. */
    static VerificationReport matching() {
        TableReport orders = new TableReport("public", "orders", List.of("id"), 1000L, 1000L, List.of(
                match(CheckKind.COUNTS, 0, 10), match(CheckKind.HASHES, 1000, 200)));
        TableReport customers = new TableReport("public", "customers", List.of("id"), 10L, 10L, List.of(
                match(CheckKind.COUNTS, 0, 4), match(CheckKind.HASHES, 10, 15)));
        SequenceReport sequence = new SequenceReport("public", "orders_id_seq", "public.orders.id", 1001L, 1001L,
                1000L, Outcome.MATCH, List.of(), "");
        return new VerificationReport(SOURCE, TARGET, Set.of(CheckKind.COUNTS, CheckKind.HASHES, CheckKind.SEQUENCES),
                List.of(orders, customers), List.of(sequence), List.of(), List.of(), STARTED, Duration.ofMillis(1500));
    }

    /** Nothing was selected: incomplete, since an empty comparison proves nothing. */
    static VerificationReport empty() {
        return new VerificationReport(new ServerInfo(null, 0, null, null), TARGET, Set.of(), List.of(), List.of(),
                List.of(), List.of("No table matched --include 'nothing.*'"), STARTED, Duration.ofMillis(40));
    }

    /** One table whose names and messages carry what no output format may pass through raw. */
    static VerificationReport hostile() {
        TableReport table = new TableReport("public", "evil\nname\u001B[2J\u0007", List.of("id"), 1L, 1L, List.of(
                new CheckResult(CheckKind.HASHES, Outcome.MISMATCH, List.of(
                        row(DifferenceKind.MISSING_ON_TARGET, List.of(), "bell \u0007 here", "id",
                                "a\u0000b\uD800c]]>")),
                        1, 1, "vertical\u000Btab and form\ffeed", Duration.ofMillis(1))));
        return new VerificationReport(SOURCE, TARGET, Set.of(CheckKind.HASHES), List.of(table), List.of(), List.of(),
                List.of(), STARTED, Duration.ofMillis(5));
    }

    static CheckResult match(CheckKind kind, long rows, long millis) {
        return new CheckResult(kind, Outcome.MATCH, List.of(), 0, rows, "", Duration.ofMillis(millis));
    }

    /** A row difference keyed by alternating column names and values. */
    static Difference row(DifferenceKind kind, List<String> columns, String detail, String... key) {
        Map<String, String> keyMap = new LinkedHashMap<>();
        for (int i = 0; i < key.length; i += 2) {
            keyMap.put(key[i], key[i + 1]);
        }
        return new Difference(kind, keyMap, columns, detail);
    }
}
