package io.pgverify.internal.read;

import io.pgverify.internal.compare.MergeListener;
import io.pgverify.internal.compare.MergeSummary;
import io.pgverify.internal.compare.RowMerger;
import io.pgverify.internal.compare.RowOrderException;
import io.pgverify.internal.copy.BinaryCopyReader;
import io.pgverify.internal.jdbc.Session;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.jdbc.SideFailure;

/**
 * Streams the same query from both sides at once, in binary COPY, and merges the two key-ordered streams on this
 * thread: both servers produce rows while the merge reads them, and no row is kept beyond the one being compared.
 */
public final class RangeComparison {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RangeComparison.class);

    private RangeComparison() {
    }

    public static MergeSummary compare(CheckContext context, String sourceSql, String targetSql, RowMerger merger,
                                MergeListener listener) throws SideFailure {
        LOG.debug("source: {}; target: {}", sourceSql, targetSql);
        Side side = Side.SOURCE;
        Session source = null;
        Session target = null;
        try {
            source = context.openForOneStatement(Side.SOURCE);
            side = Side.TARGET;
            target = context.openForOneStatement(Side.TARGET);
            side = Side.SOURCE;
            try (BinaryCopyReader sourceRows = BinaryCopyReader.open(
                    new SideCopyOut(Side.SOURCE, source.copyManager().copyOut(sourceSql)))) {
                side = Side.TARGET;
                try (BinaryCopyReader targetRows = BinaryCopyReader.open(
                        new SideCopyOut(Side.TARGET, target.copyManager().copyOut(targetSql)))) {
                    try {
                        return merger.merge(sourceRows, targetRows, listener);
                    } catch (Throwable failure) {
                        // Abort before the readers close: their close would otherwise read the rest of both copies
                        // from connections whose state is unknown (see Session#abort).
                        abort(source, target, failure);
                        source = null;
                        target = null;
                        throw failure;
                    }
                }
            }
        } catch (Throwable failure) {
            abort(source, target, failure);
            source = null;
            target = null;
            throw sideFailure(side, failure);
        } finally {
            closeBoth(source, target);
        }
    }

    private static void abort(Session source, Session target, Throwable failure) {
        if (source != null) {
            source.abort(failure);
        }
        if (target != null) {
            target.abort(failure);
        }
    }

    /** Closes sessions whose work succeeded; a failure to close is a failure of the read. */
    private static void closeBoth(Session source, Session target) throws SideFailure {
        SideFailure failure = null;
        for (Session session : new Session[] {target, source}) {
            if (session == null) {
                continue;
            }
            try {
                session.close();
            } catch (java.sql.SQLException | RuntimeException e) {
                if (failure == null) {
                    failure = new SideFailure(session.side(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The failure's side: the stream that threw it when it names one, else the side being opened or read. */
    private static SideFailure sideFailure(Side side, Throwable failure) {
        if (failure instanceof SideFailure sideFailure) {
            return sideFailure;
        }
        if (failure instanceof RowOrderException) {
            return new SideFailure(failure.getMessage().contains("target") ? Side.TARGET : Side.SOURCE, failure);
        }
        Side tagged = SideCopyOut.sideOf(failure);
        return new SideFailure(tagged != null ? tagged : side, failure);
    }
}
