package io.pgverify.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.pgverify.VerificationReport;

class TextReportWriterTest {

    private static final ReportOptions OPTIONS = ReportFixtures.OPTIONS;
    private static final ReportOptions COLOR = new ReportOptions("0.1.0", true, OPTIONS.sourceLabel(),
            OPTIONS.targetLabel());

    @Test
    void everyLineFitsAnEightyColumnTerminal() throws IOException {
        for (VerificationReport report : List.of(ReportFixtures.mismatched(), ReportFixtures.matching(),
                ReportFixtures.empty(), ReportFixtures.hostile())) {
            assertThat(lines(report, OPTIONS))
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(TerminalText.width(line)).as(line).isLessThanOrEqualTo(80));
        }
        String longLabel = "postgresql://migration_user:****@" + "replica-".repeat(12) + "eu-west-1.example.com:5432/shop";
        assertThat(lines(ReportFixtures.matching(), new ReportOptions("0.1.0", false, longLabel, longLabel)))
                .allSatisfy(line -> assertThat(TerminalText.width(line)).as(line).isLessThanOrEqualTo(80))
                .anySatisfy(line -> assertThat(line).startsWith("Source  postgresql://migration_use")
                        .contains("…").endsWith(".example.com:5432/shop  (PostgreSQL 13.18)"));
    }

    @Test
    void headerNamesBothSidesAndTheChecks() throws IOException {
        List<String> lines = lines(ReportFixtures.mismatched(), OPTIONS);

        assertThat(lines.subList(0, 4)).containsExactly(
                "pgverify 0.1.0, started 2025-03-01T10:15:30Z",
                "Source  postgresql://app:****@old-db.example.com:5432/shop  (PostgreSQL 13.18)",
                "Target  postgresql://app:****@new-db.example.com:5432/shop  (PostgreSQL 17.4)",
                "Checks  schema, sequences, counts, last-rows, hashes");
    }

    @Test
    void oneAlignedLinePerTableAndCheck() throws IOException {
        List<String> lines = lines(ReportFixtures.mismatched(), OPTIONS);

        List<String> orders = lines.stream().filter(l -> l.startsWith("  public.orders ")).toList();
        assertThat(orders).hasSize(4);
        assertThat(orders.get(0)).matches("  public\\.orders +schema +MATCH +12ms");
        assertThat(orders.get(1)).matches("  public\\.orders +counts +MISMATCH +420ms");
        assertThat(orders.get(2)).matches("  public\\.orders +last-rows +MATCH +1,000 +85ms");
        assertThat(orders.get(3)).matches("  public\\.orders +hashes +MISMATCH +1,000,000 +12s");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("  public\\.customers +hashes +INCOMPLETE +0 +30s"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("  archive\\.orders_2019 +counts +SKIPPED"));

        // Every grid line puts its check and its verdict at the same terminal column, CJK names included.
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("  TABLE ")).findFirst().orElseThrow());
        List<String> grid = lines.subList(header, header + 17);
        assertThat(grid.get(16)).startsWith("  public.audit_log ");
        int checkColumn = column(grid.get(0), "CHECK");
        int verdictColumn = column(grid.get(0), "VERDICT");
        for (String line : grid.subList(1, grid.size())) {
            assertThat(column(line, CHECK)).as(line).isEqualTo(checkColumn);
            assertThat(column(line, VERDICT)).as(line).isEqualTo(verdictColumn);
        }
    }

    @Test
    void longNamesAreCutInTheMiddleSoBothEndsStayVisible() throws IOException {
        List<String> lines = lines(ReportFixtures.mismatched(), OPTIONS);

        assertThat(lines).anySatisfy(l -> assertThat(l)
                .matches("  analytics\\.custom[a-z_]*…[a-z_]*_2019_2024_v2 +hashes +MATCH +800 +40ms"));
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .matches("  \"Sales \"\"EU\"\"\"\\.\"O[^…]*…[^…]*ü 注文\" +last-rows +SKIPPED"));
        // The details keep as much of the name as the line allows.
        assertThat(lines).contains("  \"Sales \"\"EU\"\"\"\\.\"Orders <2024>… 'co' — Bestellungen ü 注文\", last-rows: SKIPPED"
                .replace("\\.", "."));
    }

    @Test
    void listsDifferencesWithTheirKeysColumnsAndCap() throws IOException {
        String text = text(ReportFixtures.mismatched(), OPTIONS);

        assertThat(text).contains("""
                  public.orders, hashes: MISMATCH, 1,204 differences
                    missing on target  (id=17)
                    different          (id=42); columns: total, status
                    extra on target    (id=90001)
                    … and 1,201 more (limit 3)
                """);
        assertThat(text).contains("""
                  public.customers, hashes: INCOMPLETE
                    ERROR: canceling statement due to statement timeout (SQLSTATE 57014) while
                    hashing keys 1..26000
                """);
        assertThat(text).contains("""
                  public.order_lines, last-rows: MISMATCH, 1 difference
                    different          (order_id=7, line_no=NULL); column: qty
                """);
        assertThat(text).contains("""
                    missing column     note "internal"; column "note ""internal""\" is not on the
                                       target
                    type mismatch      amount; numeric(10,2) on the source, double precision on
                                       the target
                """);
        assertThat(text).contains("""
                  archive.orders_2019, schema: MISMATCH, 1 difference
                    missing table      archive.orders_2019 is not on the target
                """);
        // Matching checks without a note have no details.
        assertThat(text).doesNotContain("public.orders, schema:").doesNotContain("public.orders, last-rows:");
    }

    @Test
    void sequencesShowWhatEachSideWouldHandOut() throws IOException {
        String text = text(ReportFixtures.mismatched(), OPTIONS);

        assertThat(text).containsPattern("\n  SEQUENCE +VERDICT +SOURCE NEXT +TARGET NEXT +COLUMN MAX\n");
        assertThat(text).containsPattern("\n  public\\.orders_id_seq +MATCH +1000001 +1000001 +1000000\n");
        assertThat(text).containsPattern("\n  public\\.invoice_no +MISMATCH +9223372036854775807 +- +-\n");
        assertThat(text).containsPattern("\n  billing\\.ticket_seq +INCOMPLETE +- +- +-\n");
        assertThat(text).contains("""
                  public.customers_id_seq: MISMATCH
                    sequence behind    target would hand out 1, source 52001
                    below column max   target would hand out 1, public.customers.id already
                                       holds up to 52000
                """);
        assertThat(text).contains("""
                  billing.ticket_seq: INCOMPLETE
                    permission denied for sequence ticket_seq
                """);
    }

    @Test
    void notesExtraTablesAndWarnings() throws IOException {
        String text = text(ReportFixtures.mismatched(), OPTIONS);

        assertThat(text).contains("""
                On the target only (not compared, not a difference)
                  public.tmp_import
                  public."Staging"
                """);
        assertThat(text).contains("""
                Warnings
                  - public.audit_log was excluded from row checks by --skip-rows; its rows were
                    not compared
                """);
    }

    @Test
    void endsWithOneSummaryLine() throws IOException {
        assertThat(lastLine(ReportFixtures.mismatched(), OPTIONS))
                .isEqualTo("7 tables, 1,001,810 rows compared, 1,214 differences, 3m 12s: MISMATCH");
        assertThat(lastLine(ReportFixtures.matching(), OPTIONS))
                .isEqualTo("2 tables, 1,010 rows compared, 0 differences, 1.5s: MATCH");
    }

    @Test
    void aMatchHasNoDetails() throws IOException {
        String text = text(ReportFixtures.matching(), OPTIONS);

        assertThat(text).doesNotContain("Details").doesNotContain("Warnings").doesNotContain("MISMATCH");
        assertThat(text).containsPattern("\n  public\\.customers +hashes +MATCH +10 +15ms\n");
    }

    @Test
    void selectingNothingIsIncomplete() throws IOException {
        List<String> lines = lines(ReportFixtures.empty(), new ReportOptions(null, false, null, null));

        assertThat(lines).contains("pgverify, started 2025-03-01T10:15:30Z", "Source  (unknown)",
                "Target  new-db.example.com:5432/shop  (PostgreSQL 17.4)", "Checks  none",
                "No tables were selected on the source.", "  - No table matched --include 'nothing.*'");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("0 tables, 0 rows compared, 0 differences, 40ms: INCOMPLETE");
    }

    @Test
    void coloursVerdictsOnlyWhenAsked() throws IOException {
        String plain = text(ReportFixtures.mismatched(), OPTIONS);
        String coloured = text(ReportFixtures.mismatched(), COLOR);

        assertThat(plain).doesNotContain("\u001B");
        assertThat(coloured).contains("\u001B[1;31mMISMATCH\u001B[0m", "\u001B[32mMATCH\u001B[0m",
                "\u001B[1;33mINCOMPLETE\u001B[0m", "\u001B[2mSKIPPED\u001B[0m");
        // Colour changes nothing else: the layout is computed on the visible text.
        assertThat(coloured.replaceAll("\u001B\\[[0-9;]*m", "")).isEqualTo(plain);
    }

    @Test
    void namesAndKeysCannotReachTheTerminalRaw() throws IOException {
        String text = text(ReportFixtures.hostile(), COLOR);
        String withoutOurColours = text.replaceAll("\u001B\\[[0-9;]*m", "");

        assertThat(withoutOurColours.chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
        assertThat(withoutOurColours.chars().filter(c -> Character.isSurrogate((char) c))).isEmpty();
        assertThat(withoutOurColours).contains("public.\"evil?name?[2J?\", hashes: MISMATCH",
                "missing on target  (id=a?b?c]]>); bell ? here", "vertical?tab and form?feed");
    }

    private static final Pattern CHECK = Pattern.compile("(?<= )(schema|counts|last-rows|hashes) ");
    private static final Pattern VERDICT = Pattern.compile("(?<= )(MATCH|MISMATCH|INCOMPLETE|SKIPPED)\\b");

    private static int column(String line, String word) {
        return column(line, Pattern.compile(Pattern.quote(word)));
    }

    /** The terminal column where the pattern is first found in the line. */
    private static int column(String line, Pattern pattern) {
        Matcher matcher = pattern.matcher(line);
        assertThat(matcher.find()).as("%s in %s", pattern, line).isTrue();
        return TerminalText.width(line.substring(0, matcher.start()));
    }

    private static String lastLine(VerificationReport report, ReportOptions options) throws IOException {
        List<String> lines = lines(report, options);
        return lines.get(lines.size() - 1);
    }

    static String text(VerificationReport report, ReportOptions options) throws IOException {
        StringWriter out = new StringWriter();
        ReportWriter.of(ReportFormat.TEXT).write(report, options, out);
        return out.toString();
    }

    static List<String> lines(VerificationReport report, ReportOptions options) throws IOException {
        return text(report, options).lines().toList();
    }
}
