package io.pgverify.internal.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.Outcome;
import io.pgverify.internal.compare.MergeSummary;
import io.pgverify.internal.compare.MultisetDigest;
import io.pgverify.internal.compare.RowMerger;
import io.pgverify.internal.copy.BinaryCopyReader;

/**
 * Every row of a table, compared in key ranges that run in parallel, down to the exact keys that are missing, extra or
 * different. A table without a key is compared as a whole, as a multiset of rows (duplicates count).
 */
public final class HashCheck {

    private HashCheck() {
    }

    /** What one key range found: a summary and its first differences, or why it could not be read. */
    private record RangeResult(KeyRange range, MergeSummary summary, List<Difference> differences, long differenceCount,
                               String failure) {
    }

    public static CompletableFuture<CheckResult> run(CheckContext context, TablePlan plan, ExecutorService executor) {
        long started = System.nanoTime();
        if (!plan.keyed()) {
            return CompletableFuture.supplyAsync(() -> wholeTable(context, plan, started), executor);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return KeyRangePlanner.plan(context, plan);
            } catch (SideFailure e) {
                return List.<KeyRange>of(); // no range could be planned: reported below
            }
        }, executor).thenCompose(ranges -> {
            if (ranges.isEmpty()) {
                return CompletableFuture.completedFuture(CheckResult.incomplete(CheckKind.HASHES,
                        "source: the key ranges of the table could not be planned", elapsed(started)));
            }
            List<CompletableFuture<RangeResult>> results = new ArrayList<>();
            for (KeyRange range : ranges) {
                results.add(CompletableFuture.supplyAsync(() -> compareRange(context, plan, range), executor));
            }
            return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                    .thenApply(ignored -> combine(context, results, started));
        });
    }

    private static RangeResult compareRange(CheckContext context, TablePlan plan, KeyRange range) {
        String sql = plan.copyRange(range.predicate(plan), false, 0);
        DifferenceCollector collector = new DifferenceCollector(plan, context.settings().maxDifferencesPerTable(),
                rows -> context.settings().progressListener().rowsCompared(plan.displayName(), rows));
        try {
            MergeSummary summary = RangeComparison.compare(context, sql, sql, RowMerger.ascending(plan.keyLayout()), collector);
            return new RangeResult(range, summary, collector.kept(), collector.count(), null);
        } catch (SideFailure e) {
            return new RangeResult(range, null, collector.kept(), collector.count(), e.describe());
        }
    }

    private static CheckResult combine(CheckContext context, List<CompletableFuture<RangeResult>> results, long started) {
        int limit = context.settings().maxDifferencesPerTable();
        List<Difference> differences = new ArrayList<>();
        long count = 0;
        long rows = 0;
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<RangeResult> future : results) {
            RangeResult result = future.join();
            for (Difference difference : result.differences()) {
                if (differences.size() < limit) {
                    differences.add(difference);
                }
            }
            count += result.differenceCount();
            if (result.summary() != null) {
                rows += result.summary().sourceRows();
            } else {
                failures.add(result.failure());
            }
        }
        Outcome outcome = count > 0 ? Outcome.MISMATCH : failures.isEmpty() ? Outcome.MATCH : Outcome.INCOMPLETE;
        String message = "";
        if (!failures.isEmpty()) {
            message = failures.size() + " of " + results.size() + " key ranges could not be compared: " + failures.get(0);
        } else if (results.size() > 1) {
            message = "compared in " + results.size() + " key ranges";
        }
        return new CheckResult(CheckKind.HASHES, outcome, differences, count, rows, message, elapsed(started));
    }

    /** A table without a key: a multiset digest of all its rows on each side, both read at once. */
    private static CheckResult wholeTable(CheckContext context, TablePlan plan, long started) {
        String sql = plan.copyRange("", false, 0);
        try {
            CheckContext.Pair<MultisetDigest> digests = context.onBothSides(session -> {
                MultisetDigest digest = new MultisetDigest();
                try (BinaryCopyReader reader = BinaryCopyReader.open(
                        new SideCopyOut(session.side(), session.copyManager().copyOut(sql)))) {
                    digest.addAll(reader);
                }
                return digest;
            });
            MultisetDigest source = digests.source();
            MultisetDigest target = digests.target();
            context.settings().progressListener().rowsCompared(plan.displayName(), source.rows());
            if (source.equals(target)) {
                return new CheckResult(CheckKind.HASHES, Outcome.MATCH, List.of(), 0, source.rows(),
                        "no key: compared as a whole", elapsed(started));
            }
            Difference difference = Difference.of(DifferenceKind.TABLE_CONTENT, "the rows differ (source " + source.rows()
                    + " rows, target " + target.rows() + "); the table has no primary key or unique NOT NULL index, so the"
                    + " differing rows cannot be named");
            return new CheckResult(CheckKind.HASHES, Outcome.MISMATCH, List.of(difference), 1, source.rows(),
                    "no key: compared as a whole", elapsed(started));
        } catch (SideFailure e) {
            return CheckResult.incomplete(CheckKind.HASHES, e.describe(), elapsed(started));
        }
    }

    static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
