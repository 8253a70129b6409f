package io.pgverify.benchmarks;

import java.util.List;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.Outcome;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;

/** The verdicts every scenario demands; a wrong one is a {@link WrongVerdict}, which ends the scenario. */
final class Verdicts {

    /** A verification that did not give the verdict it had to. */
    static final class WrongVerdict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrongVerdict(String message) {
            super(message);
        }
    }

    private Verdicts() {
    }

    /** MATCH, no difference, {@code tables} tables each with a hashes check, {@code rows} rows compared in all. */
    static void checkClean(VerificationReport report, int tables, long rows) {
        if (report.outcome() != Outcome.MATCH || report.differenceCount() != 0) {
            throw new WrongVerdict("identical databases gave " + report.outcome() + " with " + report.differenceCount()
                    + " difference(s) instead of MATCH: " + describe(report));
        }
        checkCoverage(report, tables, rows);
    }

    /**
     * MISMATCH with exactly one difference, of {@code kind}, in the hashes check of {@code table}, with the key text
     * and differing columns given (empty for a table without a key), every other table matching.
     */
    static void checkOneDifference(VerificationReport report, int tables, long rows, String table, DifferenceKind kind,
                                   String keyText, List<String> columns) {
        TableReport changed = report.tables().stream().filter(t -> t.qualifiedName().equals(table)).findFirst()
                .orElseThrow(() -> new WrongVerdict("the report has no table " + table + ": " + describe(report)));
        CheckResult hashes = hashes(changed);
        boolean right = report.outcome() == Outcome.MISMATCH
                && report.differenceCount() == 1
                && hashes.differenceCount() == 1
                && hashes.differences().size() == 1
                && hashes.differences().get(0).kind() == kind
                && hashes.differences().get(0).keyText().equals(keyText)
                && hashes.differences().get(0).columns().equals(columns)
                && report.tables().stream().filter(t -> t != changed).allMatch(t -> t.outcome() == Outcome.MATCH);
        if (!right) {
            throw new WrongVerdict("one row changed on the target (" + table + " " + kind + " " + keyText + " " + columns
                    + ") gave " + report.outcome() + " with " + report.differenceCount() + " difference(s): "
                    + describe(changed) + (report.differenceCount() > 1 ? " (and others)" : ""));
        }
        checkCoverage(report, tables, rows);
    }

    private static void checkCoverage(VerificationReport report, int tables, long rows) {
        if (report.tables().size() != tables) {
            throw new WrongVerdict("the report has " + report.tables().size() + " tables instead of " + tables);
        }
        long compared = 0;
        for (TableReport table : report.tables()) {
            compared += hashes(table).rowsCompared();
        }
        if (compared != rows) {
            throw new WrongVerdict("the hashes check compared " + compared + " rows instead of " + rows);
        }
    }

    private static CheckResult hashes(TableReport table) {
        return table.check(CheckKind.HASHES)
                .orElseThrow(() -> new WrongVerdict("table " + table.qualifiedName() + " has no hashes check: " + describe(table)));
    }

    static String describe(VerificationReport report) {
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (TableReport table : report.tables()) {
            if (table.outcome() != Outcome.MATCH || report.tables().size() <= 3) {
                if (shown++ == 5) {
                    text.append("... ");
                    break;
                }
                text.append(describe(table)).append(' ');
            }
        }
        report.sequences().stream().limit(5).forEach(s -> text.append("sequence ").append(s).append(' '));
        report.warnings().stream().limit(5).forEach(w -> text.append("warning: ").append(w).append(' '));
        return text.toString().trim();
    }

    static String describe(TableReport table) {
        StringBuilder text = new StringBuilder();
        text.append(table.qualifiedName()).append(" ").append(table.outcome()).append(" {");
        for (CheckResult check : table.checks()) {
            text.append(' ').append(check.kind().label()).append('=').append(check.outcome());
            if (!check.message().isEmpty()) {
                text.append(" (").append(check.message()).append(')');
            }
            for (Difference difference : check.differences()) {
                text.append(" [").append(difference.kind()).append(' ').append(difference.keyText())
                        .append(' ').append(difference.columns()).append(' ').append(difference.detail()).append(']');
            }
        }
        return text.append(" }").toString();
    }
}
