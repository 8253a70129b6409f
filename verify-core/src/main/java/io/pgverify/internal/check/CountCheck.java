package io.pgverify.internal.check;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.Outcome;
import io.pgverify.internal.jdbc.SideFailure;
import io.pgverify.internal.plan.TablePlan;
import io.pgverify.internal.read.Attempts;
import io.pgverify.internal.read.CheckContext;

/** Exact {@code count(*)} of one table on both sides at once. */
public final class CountCheck {

    private CountCheck() {
    }

    /** The result, and the two counts (null when they could not be read). */
    public record Counted(CheckResult result, Long sourceRows, Long targetRows) {
    }

    /**
     * The counts of a table without a key, taken from the row check's whole-table scan instead of a {@code count(*)}
     * of its own (see {@link RowCheck#keylessWithCounts}): each element of {@code reads} is one read's source and target
     * rows, the first read first and then its rechecks. As with {@link #run}, a difference stands only when every read
     * found one; the last read's counts are reported.
     */
    static Counted fromScan(List<long[]> reads, Duration duration) {
        boolean persisted = true;
        for (long[] read : reads) {
            persisted &= read[0] != read[1];
        }
        long[] first = reads.get(0);
        long[] last = reads.get(reads.size() - 1);
        String message = "counted by the hashes check's whole-table scan";
        CheckResult result = persisted
                ? new CheckResult(CheckKind.COUNTS, Outcome.MISMATCH, List.of(difference(last[0], last[1])), 1, 0, message,
                        duration, 0)
                : new CheckResult(CheckKind.COUNTS, Outcome.MATCH, List.of(), 0, 0, message, duration,
                        first[0] != first[1] ? 1 : 0);
        return new Counted(result, last[0], last[1]);
    }

    private static Difference difference(long source, long target) {
        long delta = target - source;
        return new Difference(DifferenceKind.ROW_COUNT, Map.of(), List.of(),
                "source " + source + " rows, target " + target + " (" + (delta > 0 ? "+" : "") + delta + ")");
    }

    public static Counted run(CheckContext context, TablePlan plan) {
        return run(context, plan, "");
    }

    /** The counts of the rows {@code where} selects ({@code " WHERE ..."}, or empty for all): one shard's ranges. */
    public static Counted run(CheckContext context, TablePlan plan, String where) {
        long started = System.nanoTime();
        String sql = plan.sql().count() + where;
        String what = plan.displayName() + " count";
        long[] last = new long[2];
        Attempts.Work<Attempts.Found> read = () -> {
            CheckContext.Pair<Long> counts = context.onBothSidesInOneStatement(session -> {
                try (Statement statement = session.connection().createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            last[0] = counts.source();
            last[1] = counts.target();
            if (counts.source().equals(counts.target())) {
                return new Attempts.Found(List.of(), 0, 0);
            }
            return new Attempts.Found(List.of(difference(counts.source(), counts.target())), 1, 0);
        };
        try {
            CheckResult check = Attempts.settle(context, what, read)
                    .result(CheckKind.COUNTS, "", Duration.ofNanos(System.nanoTime() - started));
            return new Counted(check, last[0], last[1]);
        } catch (SideFailure e) {
            return new Counted(CheckResult.incomplete(CheckKind.COUNTS, e.describe(), Duration.ofNanos(System.nanoTime() - started)),
                    null, null);
        }
    }
}
