package io.pgverify.internal.read;

import java.time.Duration;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.CompareMode;
import io.pgverify.internal.compare.KeyBuckets;
import io.pgverify.internal.compare.MergeSummary;
import io.pgverify.internal.compare.RowMerger;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.jdbc.SideFailure;
import io.pgverify.internal.plan.TablePlan;

/**
 * A keyed table whose key order no index serves on both sides: a text key that is not C-collated on both, or a key
 * type without a comparator. Merging it in key order would make each server sort the whole table, which takes long
 * and holds the query's snapshot just as long. Instead each side is read once in whatever order the server finds
 * cheapest, its rows spread over {@link KeyBuckets} by a hash of the key, and only the buckets whose digests differ
 * are read again, sorted on the server and merged, to name the keys. A clean table costs one plain scan per side.
 *
 * <p>Equal buckets are judged by 128-bit multiset digests, not byte for byte; the keys of differing buckets are
 * compared byte for byte. In digest mode the servers compute the buckets' digests themselves, over the same bytes,
 * and only a row per bucket crosses the network.
 */
public final class BucketedTable {

    private BucketedTable() {
    }

    /** What the first read found: the differing buckets, and the rows in them on each side. */
    private record Spread(List<Integer> differing, long sourceRows, long sourceRowsDiffering, long targetRowsDiffering) {
    }

    public static CheckResult compare(CheckContext context, TablePlan plan, long started) {
        int buckets = KeyBuckets.bucketsFor(plan.source().estimatedRows(), context.settings().chunkRows());
        boolean bySql = context.settings().compareMode() == CompareMode.DIGEST;
        int[] differingCount = new int[1];
        Attempts.Read read = lease -> {
            Spread spread = bySql ? digestedByServers(context, plan, buckets) : streamed(context, plan, buckets);
            List<Integer> differing = spread.differing();
            differingCount[0] = differing.size();
            if (differing.isEmpty()) {
                return new Attempts.Found(List.of(), 0, spread.sourceRows(), bySql);
            }
            String sql = plan.sql().copyRange(plan.sql().bucketPredicate(buckets, differing), false, 0);
            DifferenceCollector collector = new DifferenceCollector(context, plan, lease,
                    rows -> { }); // these rows were counted by the first read
            MergeSummary again = RangeComparison.compare(context, sql, sql, RowMerger.ascending(plan.keyLayout()), collector);
            if (collector.count() == 0 && (again.sourceRows() != spread.sourceRowsDiffering()
                    || again.targetRows() != spread.targetRowsDiffering())) {
                // The buckets differed, yet reading them again found neither a difference nor the same rows: the rows
                // changed between the two reads. Saying "match" here would be a guess.
                throw new SideFailure(Side.TARGET, new IllegalStateException("the rows of " + differing.size()
                        + " key buckets changed between two reads; verify again once writes have stopped"));
            }
            return new Attempts.Found(collector.kept(), collector.count(), spread.sourceRows());
        };
        try {
            Attempts.Rechecked result = Attempts.settle(context, plan.displayName() + " key buckets",
                    DifferenceBudget.of(context.settings().maxDifferencesPerTable()), read);
            String message = "the key order has no index on both sides (collation or type): "
                    + (bySql ? "digested by the servers" : "read once unsorted") + " in " + buckets + " key buckets, "
                    + differingCount[0] + " read again in key order";
            return result.result(CheckKind.HASHES, message, elapsed(started));
        } catch (SideFailure e) {
            return CheckResult.incomplete(CheckKind.HASHES, e.describe(), elapsed(started));
        }
    }

    /** Streams both sides whole, in any order, into key buckets here. */
    private static Spread streamed(CheckContext context, TablePlan plan, int buckets) throws SideFailure {
        CheckContext.Pair<KeyBuckets> sides = context.onBothSides(session -> {
            KeyBuckets spread = new KeyBuckets(plan.keyFieldIndexes(), buckets);
            SideProgress.readAll(context, plan.displayName(), session, plan.sql().copyUnordered(), spread::add);
            return spread;
        });
        List<Integer> differing = sides.source().differingBuckets(sides.target());
        return new Spread(differing, sides.source().rows(), sides.source().rowsIn(differing), sides.target().rowsIn(differing));
    }

    /** Has each server digest its rows per key bucket: only a row per bucket crosses the network. */
    private static Spread digestedByServers(CheckContext context, TablePlan plan, int buckets) throws SideFailure {
        String sql = plan.sql().bucketDigestQuery(buckets);
        CheckContext.Pair<Map<Integer, RangeDigest>> sides = context.onBothSides(session -> {
            Map<Integer, RangeDigest> digests = new HashMap<>();
            try (Statement statement = session.connection().createStatement()) {
                statement.setFetchSize(10_000);
                try (ResultSet rs = statement.executeQuery(sql)) {
                    while (rs.next()) {
                        digests.put(rs.getInt(1), new RangeDigest(rs.getLong(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
            return digests;
        });
        Set<Integer> all = new TreeSet<>(sides.source().keySet());
        all.addAll(sides.target().keySet());
        List<Integer> differing = new ArrayList<>();
        long sourceRows = 0;
        long sourceDiffering = 0;
        long targetDiffering = 0;
        for (int bucket : all) {
            RangeDigest source = sides.source().get(bucket);
            RangeDigest target = sides.target().get(bucket);
            sourceRows += source == null ? 0 : source.rows();
            if (!Objects.equals(source, target)) {
                differing.add(bucket);
                sourceDiffering += source == null ? 0 : source.rows();
                targetDiffering += target == null ? 0 : target.rows();
            }
        }
        context.settings().progressListener().rowsCompared(plan.displayName(), sourceRows);
        return new Spread(differing, sourceRows, sourceDiffering, targetDiffering);
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
