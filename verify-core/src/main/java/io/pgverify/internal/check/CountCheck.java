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
            long delta = counts.target() - counts.source();
            Difference difference = new Difference(DifferenceKind.ROW_COUNT, Map.of(), List.of(),
                    "source " + counts.source() + " rows, target " + counts.target() + " (" + (delta > 0 ? "+" : "") + delta + ")");
            return new Attempts.Found(List.of(difference), 1, 0);
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
