package io.pgverify.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.Outcome;

/** Words and numbers as the text and JUnit reports show them to people. */
final class ReportText {

    /** The widest {@link #kind} label, so the text report can align what follows it. */
    static final int KIND_WIDTH = 17;

    private ReportText() {
    }

    /** {@code missing on target}: the kind as a person reads it. */
    static String kind(DifferenceKind kind) {
        return switch (kind) {
            case MISSING_TABLE -> "missing table";
            case MISSING_COLUMN -> "missing column";
            case TYPE_MISMATCH -> "type mismatch";
            case ROW_COUNT -> "row count";
            case MISSING_ON_TARGET -> "missing on target";
            case EXTRA_ON_TARGET -> "extra on target";
            case DIFFERENT -> "different";
            case TABLE_CONTENT -> "table content";
            case SEQUENCE_BEHIND -> "sequence behind";
            case SEQUENCE_BELOW_COLUMN_MAX -> "below column max";
            case MISSING_SEQUENCE -> "missing sequence";
            case MISSING_KEY -> "missing key";
            case NOT_NULL_MISSING -> "not null missing";
            case MISSING_INDEX -> "missing index";
            case MISSING_CONSTRAINT -> "missing constraint";
            case DEFINITION_MISMATCH -> "definition differs";
        };
    }

    /**
     * Everything about a difference but its kind: the row key, the differing columns and the detail, separated by
     * semicolons. Only keys are row values: that is all {@link Difference} carries.
     */
    static String particulars(Difference difference) {
        List<String> parts = new ArrayList<>(3);
        if (!difference.key().isEmpty()) {
            parts.add(difference.keyText());
        }
        if (!difference.columns().isEmpty()) {
            // Other kinds already say they are about a column ("missing column"); a differing row names its columns.
            String label = difference.kind() != DifferenceKind.DIFFERENT ? ""
                    : difference.columns().size() == 1 ? "column: " : "columns: ";
            parts.add(label + String.join(", ", difference.columns()));
        }
        if (!difference.detail().isEmpty()) {
            parts.add(difference.detail());
        }
        return String.join("; ", parts);
    }

    /** {@code … and 1,201 more (limit 3)} for a capped list, or null when every difference is listed. */
    static String more(CheckResult check) {
        if (!check.truncated()) {
            return null;
        }
        long more = check.differenceCount() - check.differences().size();
        return TerminalText.ELLIPSIS + " and " + count(more) + " more (limit " + count(check.differences().size()) + ")";
    }

    /** {@code MATCH}, {@code MISMATCH}, ...: verdicts are shouted so they can be found by eye and by grep. */
    static String verdict(Outcome outcome) {
        return outcome.name();
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 1 difference}, {@code 3 tables}. */
    static String count(long n, String singular, String plural) {
        return count(n) + " " + (n == 1 ? singular : plural);
    }

    /** {@code 12ms}, {@code 4.2s}, {@code 12s}, {@code 3m 07s}, {@code 2h 05m}. */
    static String duration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60);
    }

    /** The checks asked for, in the order they run. */
    static List<CheckKind> inOrder(Set<CheckKind> checks) {
        List<CheckKind> sorted = new ArrayList<>(checks);
        sorted.sort(Comparator.naturalOrder());
        return sorted;
    }
}
