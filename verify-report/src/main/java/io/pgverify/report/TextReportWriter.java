package io.pgverify.report;

import static io.pgverify.report.TerminalText.clean;
import static io.pgverify.report.TerminalText.padLeft;
import static io.pgverify.report.TerminalText.padRight;
import static io.pgverify.report.TerminalText.truncateMiddle;
import static io.pgverify.report.TerminalText.width;
import static io.pgverify.report.TerminalText.wrap;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.Outcome;
import io.pgverify.SequenceReport;
import io.pgverify.ServerInfo;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;

/**
 * The report for people, laid out for an 80-column terminal: who was compared, one aligned line per table and check,
 * the details of everything that is not a match, the sequences, the warnings, and a last line with the verdict, so
 * that {@code tail -1} answers the only question most readers have.
 *
 * <p>Long names are cut in the middle in the aligned grids and long keys are wrapped, never cut: a person acting on a
 * difference needs the whole key. Every name, key and message is cleaned of control characters first, so a table
 * named with a newline or an escape sequence cannot break the layout or repaint the terminal.
 */
final class TextReportWriter implements ReportWriter {

    static final int WIDTH = 80;

    private static final String GAP = "  ";
    private static final String INDENT = "  ";
    private static final String DETAIL_INDENT = "    ";
    /** The narrowest a name column is squeezed to, whatever the numbers beside it need. */
    private static final int MIN_NAME_WIDTH = 16;

    @Override
    public void write(VerificationReport report, ReportOptions options, Writer out) throws IOException {
        Page page = new Page(options.color());
        header(report, options, page);
        tables(report, page);
        details(report, page);
        sequences(report, page);
        extraTables(report, page);
        warnings(report, page);
        summary(report, page);
        out.write(page.text());
        out.flush();
    }

    private static void header(VerificationReport report, ReportOptions options, Page page) {
        String tool = options.toolVersion() == null || options.toolVersion().isBlank()
                ? "pgverify" : "pgverify " + clean(options.toolVersion());
        page.line(tool + ", started " + report.startedAt());
        page.line(server("Source", options.sourceLabel(), report.source()));
        page.line(server("Target", options.targetLabel(), report.target()));
        List<String> labels = new ArrayList<>();
        for (CheckKind kind : ReportText.inOrder(report.checks())) {
            labels.add(kind.label());
        }
        page.line("Checks  " + (labels.isEmpty() ? "none" : String.join(", ", labels)));
    }

    private static String server(String side, String label, ServerInfo server) {
        String shown = label;
        if (shown == null || shown.isBlank()) {
            shown = server.endpoint() == null ? "(unknown)" : server.endpoint();
            shown += server.database() == null ? "" : "/" + server.database();
        }
        String version = server.version() == null ? "" : "  (PostgreSQL " + clean(server.version()) + ")";
        String prefix = side + "  ";
        return prefix + truncateMiddle(clean(shown), WIDTH - prefix.length() - width(version)) + version;
    }

    private static void tables(VerificationReport report, Page page) {
        page.blank();
        if (report.tables().isEmpty()) {
            page.line("No tables were selected on the source.");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (TableReport table : report.tables()) {
            String name = clean(table.qualifiedName());
            if (table.checks().isEmpty()) {
                rows.add(new String[] {name, "-", "", ""});
                outcomes.add(table.outcome());
            }
            for (CheckResult check : table.checks()) {
                rows.add(new String[] {name, check.kind().label(), rowsCell(check), timeCell(check)});
                outcomes.add(check.outcome());
            }
        }
        Grid grid = new Grid(new String[] {"TABLE", "CHECK", "VERDICT", "ROWS", "TIME"}, rows, 1, 2);
        page.line(grid.header());
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            page.line(grid.row(page, row[0], new String[] {row[1]}, outcomes.get(i), new String[] {row[2], row[3]}));
        }
    }

    // Checks that read no rows show no row count rather than a misleading 0.
    private static String rowsCell(CheckResult check) {
        boolean readsRows = check.kind() == CheckKind.LAST_ROWS || check.kind() == CheckKind.HASHES;
        if (check.outcome() == Outcome.SKIPPED || (!readsRows && check.rowsCompared() == 0)) {
            return "";
        }
        return ReportText.count(check.rowsCompared());
    }

    private static String timeCell(CheckResult check) {
        return check.outcome() == Outcome.SKIPPED && check.duration().isZero() ? "" : ReportText.duration(check.duration());
    }

    private static void details(VerificationReport report, Page page) {
        boolean titled = false;
        for (TableReport table : report.tables()) {
            for (CheckResult check : table.checks()) {
                if (check.outcome() == Outcome.MATCH && check.differences().isEmpty() && check.message().isEmpty()) {
                    continue;
                }
                if (!titled) {
                    page.blank();
                    page.line("Details");
                    titled = true;
                }
                String rest = ", " + check.kind().label() + ": ";
                String count = check.differenceCount() == 0 ? ""
                        : ", " + ReportText.count(check.differenceCount(), "difference", "differences");
                String verdict = ReportText.verdict(check.outcome());
                int budget = WIDTH - INDENT.length() - rest.length() - verdict.length() - count.length();
                page.line(INDENT + truncateMiddle(clean(table.qualifiedName()), Math.max(MIN_NAME_WIDTH, budget))
                        + rest + page.paint(check.outcome(), verdict) + count);
                message(check.message(), page);
                differences(check.differences(), page);
                String more = ReportText.more(check);
                if (more != null) {
                    page.line(DETAIL_INDENT + more);
                }
            }
        }
    }

    private static void message(String message, Page page) {
        if (message.isEmpty()) {
            return;
        }
        for (String line : wrap(clean(message), WIDTH - DETAIL_INDENT.length())) {
            page.line(DETAIL_INDENT + line);
        }
    }

    private static void differences(List<Difference> differences, Page page) {
        String hanging = " ".repeat(DETAIL_INDENT.length() + ReportText.KIND_WIDTH + GAP.length());
        for (Difference difference : differences) {
            String kind = ReportText.kind(difference.kind());
            String particulars = clean(ReportText.particulars(difference));
            if (particulars.isEmpty()) {
                page.line(DETAIL_INDENT + kind);
                continue;
            }
            List<String> lines = wrap(particulars, WIDTH - hanging.length());
            page.line(DETAIL_INDENT + padRight(kind, ReportText.KIND_WIDTH) + GAP + lines.get(0));
            for (int i = 1; i < lines.size(); i++) {
                page.line(hanging + lines.get(i));
            }
        }
    }

    private static void sequences(VerificationReport report, Page page) {
        if (report.sequences().isEmpty()) {
            return;
        }
        page.blank();
        List<String[]> rows = new ArrayList<>();
        for (SequenceReport sequence : report.sequences()) {
            rows.add(new String[] {clean(sequence.qualifiedName()), value(sequence.sourceNextValue()),
                    value(sequence.targetNextValue()), value(sequence.targetColumnMax())});
        }
        Grid grid = new Grid(new String[] {"SEQUENCE", "VERDICT", "SOURCE NEXT", "TARGET NEXT", "COLUMN MAX"},
                rows, 0, 3);
        page.line(grid.header());
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            page.line(grid.row(page, row[0], new String[0], report.sequences().get(i).outcome(),
                    new String[] {row[1], row[2], row[3]}));
        }
        for (SequenceReport sequence : report.sequences()) {
            if (sequence.differences().isEmpty() && sequence.message().isEmpty()) {
                continue;
            }
            String verdict = ReportText.verdict(sequence.outcome());
            int budget = WIDTH - INDENT.length() - 2 - verdict.length();
            page.line(INDENT + truncateMiddle(clean(sequence.qualifiedName()), Math.max(MIN_NAME_WIDTH, budget))
                    + ": " + page.paint(sequence.outcome(), verdict));
            message(sequence.message(), page);
            differences(sequence.differences(), page);
        }
    }

    private static String value(Long value) {
        return value == null ? "-" : value.toString();
    }

    private static void extraTables(VerificationReport report, Page page) {
        if (report.extraTables().isEmpty()) {
            return;
        }
        page.blank();
        page.line("On the target only (not compared, not a difference)");
        for (String table : report.extraTables()) {
            page.line(INDENT + truncateMiddle(clean(table), WIDTH - INDENT.length()));
        }
    }

    private static void warnings(VerificationReport report, Page page) {
        if (report.warnings().isEmpty()) {
            return;
        }
        page.blank();
        page.line("Warnings");
        for (String warning : report.warnings()) {
            List<String> lines = wrap(clean(warning), WIDTH - DETAIL_INDENT.length());
            page.line(INDENT + "- " + lines.get(0));
            for (int i = 1; i < lines.size(); i++) {
                page.line(DETAIL_INDENT + lines.get(i));
            }
        }
    }

    /**
     * One line a person (or {@code tail -1}) reads first. Sequences are not counted apart: their differences are in
     * the total and the line must stay within the terminal for large runs too.
     */
    private static void summary(VerificationReport report, Page page) {
        Outcome outcome = report.outcome();
        String verdict = ReportText.verdict(outcome);
        String tables = ReportText.count(report.tables().size(), "table", "tables");
        String rest = ReportText.count(report.differenceCount(), "difference", "differences") + ", "
                + ReportText.duration(report.duration()) + ": ";
        String rows = ReportText.count(report.rowsCompared()) + " rows compared";
        if (width(tables + ", " + rows + ", " + rest + verdict) > WIDTH) {
            rows = ReportText.count(report.rowsCompared()) + " rows";
        }
        page.blank();
        page.line(tables + ", " + rows + ", " + rest + page.paint(outcome, verdict));
    }

    /**
     * An aligned grid: a name column that takes whatever width is left, some left-aligned word columns, the verdict,
     * then right-aligned number columns sized to their widest value.
     */
    private static final class Grid {

        private final String[] headings;
        private final int words;
        private final int[] widths;

        /** {@code rows} hold the name, the word columns and the number columns (not the verdict). */
        Grid(String[] headings, List<String[]> rows, int words, int numbers) {
            this.headings = headings;
            this.words = words;
            this.widths = new int[headings.length];
            for (int column = 0; column < headings.length; column++) {
                widths[column] = width(headings[column]);
            }
            int verdictColumn = 1 + words;
            widths[verdictColumn] = Math.max(widths[verdictColumn], width("INCOMPLETE"));
            int nameWidth = widths[0];
            for (String[] row : rows) {
                nameWidth = Math.max(nameWidth, width(row[0]));
                for (int i = 1; i < row.length; i++) {
                    int column = i <= words ? i : i + 1;
                    widths[column] = Math.max(widths[column], width(row[i]));
                }
            }
            int fixed = 0;
            for (int column = 1; column < widths.length; column++) {
                fixed += GAP.length() + widths[column];
            }
            widths[0] = Math.max(MIN_NAME_WIDTH, Math.min(nameWidth, WIDTH - INDENT.length() - fixed));
        }

        String header() {
            StringBuilder line = new StringBuilder(INDENT).append(padRight(headings[0], widths[0]));
            for (int column = 1; column < headings.length; column++) {
                line.append(GAP);
                boolean number = column > 1 + words;
                line.append(number ? padLeft(headings[column], widths[column])
                        : padRight(headings[column], widths[column]));
            }
            return line.toString().stripTrailing();
        }

        String row(Page page, String name, String[] wordCells, Outcome outcome, String[] numberCells) {
            StringBuilder line = new StringBuilder(INDENT).append(padRight(truncateMiddle(name, widths[0]), widths[0]));
            int column = 1;
            for (String cell : wordCells) {
                line.append(GAP).append(padRight(cell, widths[column++]));
            }
            String verdict = ReportText.verdict(outcome);
            line.append(GAP).append(page.paint(outcome, verdict)).append(" ".repeat(widths[column++] - verdict.length()));
            for (String cell : numberCells) {
                line.append(GAP).append(padLeft(cell, widths[column++]));
            }
            return line.toString().stripTrailing();
        }
    }

    /** The report being written, with colour only when asked for. */
    private static final class Page {

        private static final String RESET = "\u001B[0m";

        private final boolean color;
        private final StringBuilder text = new StringBuilder(4096);

        Page(boolean color) {
            this.color = color;
        }

        void line(String line) {
            text.append(line).append('\n');
        }

        void blank() {
            text.append('\n');
        }

        String paint(Outcome outcome, String word) {
            if (!color) {
                return word;
            }
            String code = switch (outcome) {
                case MATCH -> "\u001B[32m";
                case MISMATCH -> "\u001B[1;31m";
                case INCOMPLETE -> "\u001B[1;33m";
                case SKIPPED -> "\u001B[2m";
            };
            return code + word + RESET;
        }

        String text() {
            return text.toString();
        }
    }
}
