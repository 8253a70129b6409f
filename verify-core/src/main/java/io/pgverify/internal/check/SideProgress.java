package io.pgverify.internal.check;

import java.io.InterruptedIOException;

import io.pgverify.internal.copy.BinaryCopyReader;
import io.pgverify.internal.jdbc.Side;

/**
 * For a side read on its own, without a merge (tables read whole, key buckets): applies the side's rate limits to the
 * rows and bytes it delivered, counts the source's rows as progress, and stops when the run is interrupted. Called
 * for every row, it acts every few thousand.
 */
final class SideProgress {

    private static final int EVERY_ROWS = 10_000;

    private final CheckContext context;
    private final String table;
    private final Side side;
    private long reportedRows;
    private long reportedBytes;

    SideProgress(CheckContext context, String table, Side side) {
        this.context = context;
        this.table = table;
        this.side = side;
    }

    /** After each row the reader delivered. */
    void row(BinaryCopyReader reader) throws InterruptedIOException {
        if (reader.rowsRead() - reportedRows >= EVERY_ROWS) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted");
            }
            report(reader);
        }
    }

    /** When the reader is done. */
    void finished(BinaryCopyReader reader) {
        report(reader);
    }

    private void report(BinaryCopyReader reader) {
        long rows = reader.rowsRead() - reportedRows;
        long bytes = reader.bytesRead() - reportedBytes;
        reportedRows = reader.rowsRead();
        reportedBytes = reader.bytesRead();
        context.throttle(side).delivered(rows, bytes);
        if (side == Side.SOURCE && rows > 0) {
            context.settings().progressListener().rowsCompared(table, rows);
        }
    }
}
