package io.pgverify.internal.check;

import java.io.IOException;

import io.pgverify.internal.compare.MergeListener;
import io.pgverify.internal.compare.MergeSummary;
import io.pgverify.internal.compare.RowMerger;
import io.pgverify.internal.compare.RowOrderException;
import io.pgverify.internal.copy.BinaryCopyReader;
import io.pgverify.internal.jdbc.Session;
import io.pgverify.internal.jdbc.Side;

/**
 * Streams the same query from both sides at once, in binary COPY, and merges the two key-ordered streams on this
 * thread: both servers produce rows while the merge reads them, and no row is kept beyond the one being compared.
 */
final class RangeComparison {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RangeComparison.class);

    private RangeComparison() {
    }

    static MergeSummary compare(CheckContext context, String sourceSql, String targetSql, RowMerger merger,
                                MergeListener listener) throws SideFailure {
        LOG.debug("source: {}; target: {}", sourceSql, targetSql);
        Side side = Side.SOURCE;
        try (Session source = context.open(Side.SOURCE)) {
            side = Side.TARGET;
            try (Session target = context.open(Side.TARGET)) {
                side = Side.SOURCE;
                try (BinaryCopyReader sourceRows = BinaryCopyReader.open(
                        new SideCopyOut(Side.SOURCE, source.copyManager().copyOut(sourceSql)))) {
                    side = Side.TARGET;
                    try (BinaryCopyReader targetRows = BinaryCopyReader.open(
                            new SideCopyOut(Side.TARGET, target.copyManager().copyOut(targetSql)))) {
                        return merger.merge(sourceRows, targetRows, listener);
                    }
                }
            }
        } catch (RowOrderException e) {
            throw new SideFailure(e.getMessage().contains("target") ? Side.TARGET : Side.SOURCE, e);
        } catch (IOException | RuntimeException | java.sql.SQLException e) {
            Side tagged = SideCopyOut.sideOf(e);
            throw new SideFailure(tagged != null ? tagged : side, e);
        }
    }
}
