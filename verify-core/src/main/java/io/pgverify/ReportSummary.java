package io.pgverify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A few lines of plain text that say what a report found, first things first: for an exception's message, a log line
 * or a test's failure message, where the full report would be too long and the outcome alone too short.
 */
final class ReportSummary {

    private ReportSummary() {
    }

    static String of(VerificationReport report, int maxFindings) {
        StringBuilder text = new StringBuilder("Verification ").append(report.outcome().name().toLowerCase(Locale.ROOT));
        long tablesWithDifferences = report.tables().stream().filter(t -> t.outcome() == Outcome.MISMATCH).count();
        text.append(": ").append(report.differenceCount()).append(report.differenceCount() == 1 ? " difference" : " differences")
                .append(" in ").append(tablesWithDifferences).append(" of ").append(report.tables().size())
                .append(report.tables().size() == 1 ? " table" : " tables");
        if (!report.sequences().isEmpty()) {
            text.append(" and ").append(report.sequences().size()).append(report.sequences().size() == 1 ? " sequence" : " sequences");
        }
        if (report.interrupted()) {
            text.append(", interrupted");
        }
        List<String> findings = findings(report);
        for (int i = 0; i < Math.min(maxFindings, findings.size()); i++) {
            text.append(System.lineSeparator()).append("  ").append(findings.get(i));
        }
        if (findings.size() > maxFindings) {
            text.append(System.lineSeparator()).append("  … and ").append(findings.size() - maxFindings).append(" more");
        }
        return text.toString();
    }

    /** Differences first (they decide the verdict), then what could not be compared, then warnings. */
    private static List<String> findings(VerificationReport report) {
        List<String> differences = new ArrayList<>();
        List<String> incomplete = new ArrayList<>();
        for (TableReport table : report.tables()) {
            for (CheckResult check : table.checks()) {
                String where = table.qualifiedName() + " " + check.kind().label() + ": ";
                for (Difference difference : check.differences()) {
                    differences.add(where + describe(difference));
                }
                if (check.truncated()) {
                    differences.add(where + (check.differenceCount() - check.differences().size()) + " more differences not listed");
                }
                if (check.outcome() == Outcome.INCOMPLETE) {
                    incomplete.add(where + "incomplete" + (check.message().isEmpty() ? "" : ", " + check.message()));
                }
            }
        }
        for (SequenceReport sequence : report.sequences()) {
            String where = sequence.qualifiedName() + " sequences: ";
            sequence.differences().forEach(d -> differences.add(where + describe(d)));
            if (sequence.outcome() == Outcome.INCOMPLETE) {
                incomplete.add(where + "incomplete" + (sequence.message().isEmpty() ? "" : ", " + sequence.message()));
            }
        }
        List<String> findings = new ArrayList<>(differences);
        findings.addAll(incomplete);
        report.warnings().forEach(w -> findings.add("warning: " + w));
        return findings;
    }

    private static String describe(Difference difference) {
        StringBuilder text = new StringBuilder(difference.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        if (!difference.key().isEmpty()) {
            text.append(' ').append(difference.keyText());
        }
        if (!difference.columns().isEmpty()) {
            text.append(" columns ").append(String.join(", ", difference.columns()));
        }
        if (!difference.detail().isEmpty()) {
            text.append(" (").append(difference.detail()).append(')');
        }
        return text.toString();
    }
}
