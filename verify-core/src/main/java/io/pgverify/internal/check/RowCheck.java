package io.pgverify.internal.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.CompareMode;
import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.Outcome;
import io.pgverify.internal.compare.MergeSummary;
import io.pgverify.internal.compare.MultisetDigest;
import io.pgverify.internal.compare.RowMerger;
import io.pgverify.internal.jdbc.SideFailure;
import io.pgverify.internal.plan.KeyRange;
import io.pgverify.internal.plan.TablePlan;
import io.pgverify.internal.read.Attempts;
import io.pgverify.internal.read.BucketedTable;
import io.pgverify.internal.read.CheckContext;
import io.pgverify.internal.read.DifferenceBudget;
import io.pgverify.internal.read.DifferenceCollector;
import io.pgverify.internal.read.KeyRangePlanner;
import io.pgverify.internal.read.RangeComparison;
import io.pgverify.internal.read.RangeDigest;
import io.pgverify.internal.read.SideProgress;
import io.pgverify.internal.resume.RangeSchedule;
import io.pgverify.internal.resume.StateFile;
import io.pgverify.internal.shard.ShardWork;

/**
 * Every row of a table (the {@code hashes} check, {@link CheckKind#HASHES}): keyed rows compared byte for byte, in key
 * ranges that run in parallel, down to the exact keys that are missing, extra or different (or, in digest mode, by
 * server-side digests of each range first); a table without a key compared as a whole, as a multiset of row hashes
 * (duplicates count). Named for what it compares, not for the hashes only some of its reads use.
 */
public final class RowCheck {

    private RowCheck() {
    }

    /** What one read found: rows read and its first differences, or why it could not be read. */
    private record RangeResult(KeyRange range, long rows, List<Difference> differences, long differenceCount,
                               long resolvedByRecheck, String failure, boolean resumed, boolean byDigest) {
    }

    public static CompletableFuture<CheckResult> run(CheckContext context, TablePlan plan, ExecutorService executor) {
        long started = System.nanoTime();
        if (!plan.keyed()) {
            return CompletableFuture.supplyAsync(() -> wholeTable(context, plan, started, new ArrayList<>()), executor);
        }
        if (!plan.rangeScannable()) {
            return CompletableFuture.supplyAsync(() -> BucketedTable.compare(context, plan, started), executor);
        }
        return CompletableFuture.supplyAsync(() -> planRanges(context, plan), executor).thenCompose(planned -> {
            if (planned.failure() != null) {
                return CompletableFuture.completedFuture(CheckResult.incomplete(CheckKind.HASHES,
                        "the key ranges could not be planned: " + planned.failure(), elapsed(started)));
            }
            StateFile state = context.stateFile();
            // One budget for the table's ranges, whichever lane reads them: the cap is per table, not per range.
            DifferenceBudget budget = DifferenceBudget.of(context.settings().maxDifferencesPerTable());
            // One shard of a plan reads its own ranges only; the other shards read the rest.
            ShardWork shard = context.shardWork();
            RangeSchedule schedule = new RangeSchedule(planned.ranges(), context.settings().chunkTime(),
                    context.settings().threads(), first -> state == null ? Optional.empty() : state.verdict(plan.displayName(), first),
                    shard == null ? index -> true : shard.mine(plan.displayName()));
            List<CompletableFuture<List<RangeResult>>> lanes = new ArrayList<>();
            for (int lane = 0; lane < schedule.lanes(); lane++) {
                lanes.add(CompletableFuture.supplyAsync(() -> readLane(context, plan, schedule, budget), executor));
            }
            return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new))
                    .thenApply(ignored -> combine(context, lanes, schedule, started));
        });
    }

    /** The counts and hashes checks of a table, as futures. */
    public record CountsAndHashes(CompletableFuture<CountCheck.Counted> counts, CompletableFuture<CheckResult> hashes) {
    }

    /**
     * The hashes check of a table without a key, whose counts check takes its row counts from the hashes check's
     * whole-table scan instead of a {@code count(*)} of its own: the count would scan the table a second time on each
     * side (the bigger part of the servers' extra work over just reading the table) to learn the very number the scan
     * already counted. For a keyed table the separate {@code count(*)} stays: the row check reads it in key ranges, and
     * an independent count of the whole table is what would catch rows that fall between two ranges on both sides
     * (a tiling bug). A table without a key is read in one scan per side, with no tiling to cross-check. When the scan
     * fails, the count is read on its own as before, so a failed row check does not take the counts with it.
     */
    public static CountsAndHashes keylessWithCounts(CheckContext context, TablePlan plan, ExecutorService executor) {
        if (plan.keyed()) {
            throw new IllegalArgumentException(plan.displayName() + " has a key: its count is read on its own");
        }
        long started = System.nanoTime();
        List<long[]> reads = new ArrayList<>();
        CompletableFuture<CheckResult> hashes = CompletableFuture.supplyAsync(
                () -> wholeTable(context, plan, started, reads), executor);
        CompletableFuture<CountCheck.Counted> counts = hashes.thenApplyAsync(result -> result.outcome() == Outcome.INCOMPLETE
                || reads.isEmpty() ? CountCheck.run(context, plan) : CountCheck.fromScan(reads, result.duration()), executor);
        return new CountsAndHashes(counts, hashes);
    }

    /** The key ranges of a table, or why they could not be planned. */
    private record Planned(List<KeyRange> ranges, String failure) {
    }

    private static Planned planRanges(CheckContext context, TablePlan plan) {
        if (context.shardWork() != null) {
            return new Planned(context.shardWork().ranges(plan.displayName()), null); // the ranges the plan cut
        }
        StateFile state = context.stateFile();
        Optional<List<KeyRange>> resumed = state == null ? Optional.empty() : state.ranges(plan.displayName());
        if (resumed.isPresent()) {
            return new Planned(resumed.get(), null); // the ranges the first run cut
        }
        try {
            List<KeyRange> ranges = Attempts.withRetries(context, plan.displayName() + " key ranges",
                    () -> KeyRangePlanner.plan(context, plan));
            if (state != null) {
                state.recordRanges(plan.displayName(), ranges);
            }
            return new Planned(ranges, null);
        } catch (SideFailure e) {
            return new Planned(List.of(), e.describe());
        }
    }

    /**
     * One lane: reads what the schedule hands out until nothing is left, or until the run is interrupted, in which
     * case the ranges never handed out leave the check incomplete.
     */
    private static List<RangeResult> readLane(CheckContext context, TablePlan plan, RangeSchedule schedule,
                                              DifferenceBudget budget) {
        List<RangeResult> results = new ArrayList<>();
        Optional<RangeSchedule.Read> next;
        while (!Thread.currentThread().isInterrupted() && (next = schedule.next()).isPresent()) {
            RangeSchedule.Read read = next.get();
            long started = System.nanoTime();
            results.add(compareRange(context, plan, read, budget));
            schedule.finished(read, System.nanoTime() - started);
        }
        return results;
    }

    private static RangeResult compareRange(CheckContext context, TablePlan plan, RangeSchedule.Read read,
                                            DifferenceBudget budget) {
        StateFile.Verdict verdict = read.resumed();
        if (verdict != null) {
            context.settings().progressListener().rowsCompared(plan.displayName(), verdict.rows());
            return new RangeResult(read.range(), verdict.rows(), List.of(), 0, 0, null, true, false);
        }
        RangeResult result = readRange(context, plan, read.range(), budget);
        StateFile state = context.stateFile();
        if (state != null) {
            Outcome outcome = result.failure() != null ? Outcome.INCOMPLETE
                    : result.differenceCount() > 0 ? Outcome.MISMATCH : Outcome.MATCH;
            state.recordVerdict(plan.displayName(), read.first(), read.last(), outcome, result.rows());
        }
        return result;
    }

    private static RangeResult readRange(CheckContext context, TablePlan plan, KeyRange range, DifferenceBudget budget) {
        String sql = plan.sql().copyRange(range.predicate(plan), false, 0);
        String what = plan.displayName() + " " + range;
        boolean digestFirst = context.settings().compareMode() == CompareMode.DIGEST;
        Attempts.Read read = lease -> {
            if (digestFirst) {
                RangeDigest.Pair digests = RangeDigest.read(context, plan.sql().digestQuery(range.predicate(plan)));
                if (digests.equal()) {
                    context.settings().progressListener().rowsCompared(plan.displayName(), digests.source().rows());
                    return new Attempts.Found(List.of(), 0, digests.source().rows(), true);
                }
            }
            DifferenceCollector collector = new DifferenceCollector(context, plan, lease,
                    rows -> context.settings().progressListener().rowsCompared(plan.displayName(), rows));
            MergeSummary summary = RangeComparison.compare(context, sql, sql, RowMerger.ascending(plan.keyLayout()), collector);
            return new Attempts.Found(collector.kept(), collector.count(), summary.sourceRows());
        };
        try {
            Attempts.Rechecked result = Attempts.settle(context, what, budget, read);
            Attempts.Found found = result.found();
            return new RangeResult(range, found.rows(), found.differences(), found.count(), result.resolved(), null, false,
                    found.byDigest());
        } catch (SideFailure e) {
            return new RangeResult(range, 0, List.of(), 0, 0, e.describe(), false, false);
        }
    }

    private static CheckResult combine(CheckContext context, List<CompletableFuture<List<RangeResult>>> lanes,
                                       RangeSchedule schedule, long started) {
        List<RangeResult> results = new ArrayList<>();
        lanes.forEach(lane -> results.addAll(lane.join()));
        int limit = context.settings().maxDifferencesPerTable();
        List<Difference> differences = new ArrayList<>();
        long count = 0;
        long rows = 0;
        long resolved = 0;
        int resumed = 0;
        int byDigest = 0;
        List<String> failures = new ArrayList<>();
        for (RangeResult result : results) {
            for (Difference difference : result.differences()) {
                if (differences.size() < limit) {
                    differences.add(difference);
                }
            }
            count += result.differenceCount();
            resolved += result.resolvedByRecheck();
            resumed += result.resumed() ? 1 : 0;
            byDigest += result.byDigest() ? 1 : 0;
            rows += result.rows();
            if (result.failure() != null) {
                failures.add(result.failure());
            }
        }
        int unread = schedule.unread();
        Outcome outcome = count > 0 ? Outcome.MISMATCH
                : failures.isEmpty() && unread == 0 ? Outcome.MATCH : Outcome.INCOMPLETE;
        String message = "";
        if (unread > 0) {
            message = "interrupted with " + unread + " of " + schedule.planned() + " planned key ranges never read";
        } else if (!failures.isEmpty()) {
            message = failures.size() + " of " + results.size() + " key ranges could not be compared: " + failures.get(0);
        } else if (results.size() > 1) {
            message = "compared in " + results.size() + " key ranges";
        }
        if (context.settings().compareMode() == CompareMode.DIGEST) {
            message = (message.isEmpty() ? "" : message + "; ") + byDigest + " of " + results.size()
                    + " key ranges matched by digest alone";
        }
        if (resumed > 0) {
            message = (message.isEmpty() ? "" : message + "; ") + resumed + " of " + results.size()
                    + " key ranges already verified as matching (state file)";
        }
        return new CheckResult(CheckKind.HASHES, outcome, differences, count, rows, message, elapsed(started), resolved);
    }

    /**
     * A table without a key, compared as a whole: a multiset digest of all its rows on each side, both read at once,
     * either streamed and digested here or, in digest mode, digested by the servers so only the digests travel. Each
     * read's row counts (source, target) are added to {@code counts}, the first read first, then its rechecks.
     */
    private static CheckResult wholeTable(CheckContext context, TablePlan plan, long started, List<long[]> counts) {
        String what = plan.displayName();
        boolean bySql = context.settings().compareMode() == CompareMode.DIGEST;
        Attempts.Work<Attempts.Found> read = () -> {
            long sourceRows;
            long targetRows;
            boolean equal;
            if (bySql) {
                RangeDigest.Pair digests = RangeDigest.read(context, plan.sql().digestQuery(""));
                sourceRows = digests.source().rows();
                targetRows = digests.target().rows();
                equal = digests.equal();
                context.settings().progressListener().rowsCompared(plan.displayName(), sourceRows);
            } else {
                String sql = plan.sql().copyRange("", false, 0);
                CheckContext.Pair<MultisetDigest> digests = context.onBothSidesInOneStatement(session -> {
                    MultisetDigest digest = new MultisetDigest();
                    SideProgress.readAll(context, plan.displayName(), session, sql, digest::add);
                    return digest;
                });
                sourceRows = digests.source().rows();
                targetRows = digests.target().rows();
                equal = digests.source().equals(digests.target());
            }
            counts.add(new long[] {sourceRows, targetRows});
            if (equal) {
                return new Attempts.Found(List.of(), 0, sourceRows, bySql);
            }
            Difference difference = Difference.of(DifferenceKind.TABLE_CONTENT, "the rows differ (source " + sourceRows
                    + " rows, target " + targetRows + "); the table has no primary key or unique NOT NULL index, so the"
                    + " differing rows cannot be named");
            return new Attempts.Found(List.of(difference), 1, sourceRows);
        };
        try {
            Attempts.Rechecked result = Attempts.settle(context, what, read);
            return result.result(CheckKind.HASHES, "no key: compared as a whole", elapsed(started));
        } catch (SideFailure e) {
            return CheckResult.incomplete(CheckKind.HASHES, e.describe(), elapsed(started));
        }
    }

    static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
