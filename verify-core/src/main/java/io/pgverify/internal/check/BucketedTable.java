package io.pgverify.internal.check;

import java.io.IOException;
import java.util.List;

import org.postgresql.copy.CopyOut;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.internal.compare.KeyBuckets;
import io.pgverify.internal.compare.MergeSummary;
import io.pgverify.internal.compare.RowMerger;
import io.pgverify.internal.copy.BinaryCopyReader;
import io.pgverify.internal.jdbc.Side;

/**
 * A keyed table whose key order no index serves on both sides: a text key that is not C-collated on both, or a key
 * type without a comparator. Merging it in key order would make each server sort the whole table, which takes long
 * and holds the query's snapshot just as long. Instead each side is read once in whatever order the server finds
 * cheapest, its rows spread over {@link KeyBuckets} by a hash of the key, and only the buckets whose digests differ
 * are read again, sorted on the server and merged, to name the keys. A clean table costs one plain scan per side.
 *
 * <p>Equal buckets are judged by 128-bit multiset digests, as in digest mode, not byte for byte; the keys of differing
 * buckets are compared byte for byte.
 */
final class BucketedTable {

    private BucketedTable() {
    }

    static CheckResult compare(CheckContext context, TablePlan plan, long started) {
        int buckets = KeyBuckets.bucketsFor(plan.source().estimatedRows(), context.settings().chunkRows());
        int[] differingCount = new int[1];
        Attempts.Work<Attempts.Found> read = () -> {
            CheckContext.Pair<KeyBuckets> sides = context.onBothSides(session -> spread(context, plan, session.side(),
                    session.copyManager().copyOut(plan.copyUnordered()), buckets));
            List<Integer> differing = sides.source().differingBuckets(sides.target());
            differingCount[0] = differing.size();
            if (differing.isEmpty()) {
                return new Attempts.Found(List.of(), 0, sides.source().rows());
            }
            String sql = plan.copyRange(plan.bucketPredicate(buckets, differing), false, 0);
            DifferenceCollector collector = new DifferenceCollector(context, plan, context.settings().maxDifferencesPerTable(),
                    rows -> { }); // these rows were counted by the first read
            MergeSummary again = RangeComparison.compare(context, sql, sql, RowMerger.ascending(plan.keyLayout()), collector);
            if (collector.count() == 0 && (again.sourceRows() != sides.source().rowsIn(differing)
                    || again.targetRows() != sides.target().rowsIn(differing))) {
                // The buckets differed, yet reading them again found neither a difference nor the same rows: the rows
                // changed between the two reads. Saying "match" here would be a guess.
                throw new SideFailure(Side.TARGET, new IllegalStateException("the rows of " + differing.size()
                        + " key buckets changed between two reads; verify again once writes have stopped"));
            }
            return new Attempts.Found(collector.kept(), collector.count(), sides.source().rows());
        };
        try {
            Attempts.Rechecked result = Attempts.settle(context, plan.displayName() + " key buckets", read);
            String message = "the key order has no index on both sides (collation or type): read once unsorted in "
                    + buckets + " key buckets, " + differingCount[0] + " read again in key order";
            return result.result(CheckKind.HASHES, message, HashCheck.elapsed(started));
        } catch (SideFailure e) {
            return CheckResult.incomplete(CheckKind.HASHES, e.describe(), HashCheck.elapsed(started));
        }
    }

    /** Reads one side whole, in any order, into buckets; the source's rows count as progress. */
    private static KeyBuckets spread(CheckContext context, TablePlan plan, Side side, CopyOut copyOut, int buckets)
            throws IOException {
        KeyBuckets spread = new KeyBuckets(plan.keyFieldIndexes(), buckets);
        SideProgress progress = new SideProgress(context, plan.displayName(), side);
        try (BinaryCopyReader reader = BinaryCopyReader.open(new SideCopyOut(side, copyOut))) {
            while (reader.next()) {
                spread.add(reader);
                progress.row(reader);
            }
            progress.finished(reader);
        }
        return spread;
    }
}
