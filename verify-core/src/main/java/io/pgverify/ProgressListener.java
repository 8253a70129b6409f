package io.pgverify;

import java.time.Duration;

/**
 * Hears how a verification advances, e.g. to draw a progress bar. Called from worker threads: implementations must
 * be thread-safe and quick.
 *
 * <pre>{@code
 * Verifier verifier = Verifier.builder().source(source).target(target).snapshot(true)
 *         .progressListener(new ProgressListener() {
 *             public void rowsCompared(String table, long rows) {
 *                 done.add(rows);
 *             }
 *
 *             public void snapshotHeld(Duration age, Duration warnAfter) {
 *                 status.set("snapshot held " + age.toSeconds() + " s");
 *             }
 *         })
 *         .build();
 * }</pre>
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

    /**
     * One check of a table is done (schema, counts, last rows or hashes), before the table as a whole: what an
     * interrupted run reports for that check is this result.
     *
     * @param table the table, {@code schema.name}, as {@link #rowsCompared} names it
     */
    default void checkFinished(String table, CheckResult result) {
    }

    /** A table is done. */
    default void tableFinished(TableReport report) {
    }

    /**
     * With {@link Verifier.Builder#snapshot(boolean)}: how long the exported snapshots have been held, which is how
     * long vacuum has been held back on both servers. Called once when they are exported (age zero) and then about
     * every second until the run ends.
     *
     * @param age       how long the snapshots have been held
     * @param warnAfter the age from which the run warns ({@link Verifier.Builder#snapshotAgeWarning(Duration)})
     */
    default void snapshotHeld(Duration age, Duration warnAfter) {
    }
}
