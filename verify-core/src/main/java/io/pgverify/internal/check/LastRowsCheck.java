package io.pgverify.internal.check;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.internal.compare.MergeSummary;
import io.pgverify.internal.compare.RowMerger;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.jdbc.SideFailure;
import io.pgverify.internal.plan.TablePlan;
import io.pgverify.internal.read.Attempts;
import io.pgverify.internal.read.CheckContext;
import io.pgverify.internal.read.DifferenceBudget;
import io.pgverify.internal.read.DifferenceCollector;
import io.pgverify.internal.read.RangeComparison;

/**
 * The N rows with the highest keys, compared column by column: the rows most recently written, where a replica that
 * fell behind shows first. Cheap on any table size (an index scan of N rows per side).
 */
public final class LastRowsCheck {

    private LastRowsCheck() {
    }

    public static CheckResult run(CheckContext context, TablePlan plan) {
        return run(context, plan, null);
    }

    /**
     * @param lowestKey the source's N-th highest key already read (by {@link LastRowsBatches}), used by the first
     *                  read only: a retry or a recheck reads it again, as it would have been read; null to read it
     */
    static CheckResult run(CheckContext context, TablePlan plan, LastRowsBatches.Key lowestKey) {
        long started = System.nanoTime();
        java.util.concurrent.atomic.AtomicReference<LastRowsBatches.Key> prefetched =
                new java.util.concurrent.atomic.AtomicReference<>(lowestKey);
        if (!plan.keyed()) {
            return CheckResult.skipped(CheckKind.LAST_ROWS, "the table has no primary key or unique NOT NULL index");
        }
        int n = context.settings().lastRows();
        int limit = context.settings().maxDifferencesPerTable();
        String what = plan.displayName() + " last rows";
        Attempts.Read read = lease -> {
            // The source's N-th highest key bounds both reads: the target's rows above it are all compared, so a row
            // the target lacks shows as missing rather than shifting the window.
            LastRowsBatches.Key given = prefetched.getAndSet(null);
            List<String> lowest = given != null ? given.values() : nthHighestKey(context, plan, n);
            String where = plan.sql().keyRange(lowest, null);
            String sourceSql = plan.sql().copyRange(where, true, n);
            String targetSql = plan.sql().copyRange(where, true, (long) n + limit + 1);
            DifferenceCollector collector = new DifferenceCollector(context, plan, lease, rows -> { });
            MergeSummary summary = RangeComparison.compare(context, sourceSql, targetSql,
                    RowMerger.descending(plan.keyLayout()), collector);
            return new Attempts.Found(collector.kept(), collector.count(), summary.sourceRows());
        };
        try {
            return Attempts.settle(context, what, DifferenceBudget.of(limit), read).result(CheckKind.LAST_ROWS, "", RowCheck.elapsed(started));
        } catch (SideFailure e) {
            return CheckResult.incomplete(CheckKind.LAST_ROWS, e.describe(), RowCheck.elapsed(started));
        }
    }

    private static List<String> nthHighestKey(CheckContext context, TablePlan plan, int n) throws SideFailure {
        String sql = plan.sql().nthHighestKey(n);
        return context.runOneStatementOn(Side.SOURCE, session -> {
            try (Statement statement = session.connection().createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                if (!rs.next()) {
                    return null;
                }
                List<String> key = new ArrayList<>();
                for (int i = 1; i <= plan.keyNames().size(); i++) {
                    key.add(rs.getString(i));
                }
                return key;
            }
        });
    }
}
