package io.pgverify;

/**
 * Hears how a verification advances, e.g. to draw a progress bar. Called from worker threads: implementations must
 * be thread-safe and quick.
 */
public interface ProgressListener {

    ProgressListener NONE = new ProgressListener() {
    };

    /** The tables are known: how many, and about how many rows the source holds in all (from statistics). */
    default void started(int tables, long estimatedRows) {
    }

    /** Some more rows of a table were compared. */
    default void rowsCompared(String table, long rows) {
    }

    /** A table is done. */
    default void tableFinished(TableReport report) {
    }
}
