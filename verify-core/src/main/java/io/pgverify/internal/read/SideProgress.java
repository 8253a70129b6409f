package io.pgverify.internal.read;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.SQLException;
import java.util.function.Consumer;

import io.pgverify.internal.copy.BinaryCopyReader;
import io.pgverify.internal.jdbc.Session;
import io.pgverify.internal.jdbc.Side;

/**
 * For a side read on its own, without a merge (tables read whole, key buckets): applies the side's rate limits to the
 * rows and bytes it delivered, counts the source's rows as progress, and stops when the run is interrupted. Told of
 * every row, it acts every few thousand.
 */
public final class SideProgress {

    private static final int EVERY_ROWS = 10_000;

    /** Rows between two reports: fewer under a low row limit, so that it applies in small steps. */
    private final int everyRows;

    private final CheckContext context;
    private final String table;
    private final Side side;
    private long reportedRows;
    private long reportedBytes;

    private SideProgress(CheckContext context, String table, Side side) {
        this.context = context;
        this.table = table;
        this.side = side;
        this.everyRows = context.throttle(side).rowsPerStep(EVERY_ROWS);
    }

    /** Streams {@code copySql} on the session's side to its end, handing each row to {@code eachRow}. */
    public static void readAll(CheckContext context, String table, Session session, String copySql,
                        Consumer<BinaryCopyReader> eachRow) throws IOException, SQLException {
        SideProgress progress = new SideProgress(context, table, session.side());
        try (BinaryCopyReader reader = BinaryCopyReader.open(
                new SideCopyOut(session.side(), session.copyManager().copyOut(copySql)))) {
            try {
                while (reader.next()) {
                    eachRow.accept(reader);
                    progress.row(reader);
                }
                progress.finished(reader);
            } catch (Throwable failure) {
                // Before the reader's close would read the rest of the copy from a connection in an unknown state.
                session.abort(failure);
                throw failure;
            }
        }
    }

    /** After each row the reader delivered. */
    private void row(BinaryCopyReader reader) throws InterruptedIOException {
        if (reader.rowsRead() - reportedRows >= everyRows) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted");
            }
            report(reader);
        }
    }

    /** When the reader is done. */
    private void finished(BinaryCopyReader reader) {
        report(reader);
    }

    private void report(BinaryCopyReader reader) {
        long rows = reader.rowsRead() - reportedRows;
        long bytes = reader.bytesRead() - reportedBytes;
        reportedRows = reader.rowsRead();
        reportedBytes = reader.bytesRead();
        context.throttle(side).delivered(rows, bytes);
        context.stopIfCancelled();
        if (side == Side.SOURCE && rows > 0) {
            context.settings().progressListener().rowsCompared(table, rows);
        }
    }
}
