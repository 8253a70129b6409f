package io.pgverify;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The result of one check on one table (or on the sequences).
 *
 * @param kind             the check
 * @param outcome          its verdict
 * @param differences      the differences found, at most the configured maximum per table
 * @param differenceCount  how many differences were found in all; more than {@code differences.size()} when capped
 * @param rowsCompared     rows read and compared on the source side (0 for checks that do not read rows)
 * @param message          why the check is incomplete or skipped, or a note; empty otherwise
 * @param duration         how long the check took
 * @param resolvedByRecheck differences seen at first that were gone when rechecked: rows still in flight (replication
 *                          lag), not failures
 */
public record CheckResult(CheckKind kind, Outcome outcome, List<Difference> differences, long differenceCount,
                          long rowsCompared, String message, Duration duration, long resolvedByRecheck) {

    public CheckResult(CheckKind kind, Outcome outcome, List<Difference> differences, long differenceCount,
                       long rowsCompared, String message, Duration duration) {
        this(kind, outcome, differences, differenceCount, rowsCompared, message, duration, 0);
    }

    public CheckResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        differences = differences == null ? List.of() : List.copyOf(differences);
        message = message == null ? "" : message;
        duration = duration == null ? Duration.ZERO : duration;
        if (differenceCount < differences.size()) {
            throw new IllegalArgumentException("differenceCount " + differenceCount + " < " + differences.size() + " differences listed");
        }
    }

    /** True when more differences were found than listed. */
    public boolean truncated() {
        return differenceCount > differences.size();
    }

    public static CheckResult skipped(CheckKind kind, String reason) {
        return new CheckResult(kind, Outcome.SKIPPED, List.of(), 0, 0, reason, Duration.ZERO);
    }

    public static CheckResult incomplete(CheckKind kind, String reason, Duration duration) {
        return new CheckResult(kind, Outcome.INCOMPLETE, List.of(), 0, 0, reason, duration);
    }
}
