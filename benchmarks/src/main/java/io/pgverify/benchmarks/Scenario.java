package io.pgverify.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.pgverify.VerificationReport;

/**
 * One shape of database the end-to-end benchmark times: its data, its floor and the verdicts a verification of it
 * must give. Each scenario lives in its own database on both servers, so that a verification and the floor cover
 * "every table of the database" and nothing else.
 *
 * <p>The floor of every scenario is the same kind of read: each side's tables read one after another on one session
 * per side, both sides at once, with binary COPY, in key order ({@code ORDER BY} the key) or, for a table without a
 * key, in physical order. {@link #floorQueries()} names those reads.
 */
interface Scenario {

    /** The name {@code --scenario} selects, e.g. {@code text-key-icu}. */
    String name();

    /** The data in one line, as docs/benchmarks.md's table gives it, e.g. {@code 2,000,000 rows, no key}. */
    String data();

    /** Tables in the database (all of them are verified and read by the floor). */
    int tables();

    /** Rows on each side, all tables together. */
    long rows();

    /** About how many bytes the tables, their TOAST and their indexes take on one side: sizes shared_buffers. */
    long bytesEstimate();

    /**
     * Fills the (empty, freshly created) database. {@code target} is true on the target, which may load the same rows
     * in another physical order so that order never decides a verdict. VACUUM, prewarm and CHECKPOINT follow
     * separately. Runs with autocommit on.
     */
    void load(Connection connection, boolean target) throws SQLException;

    /** The COPY statements of the floor, one per table, each side running them in this order on one session. */
    List<String> floorQueries();

    /** Whether the floor and the run with one change are timed; false for a scenario timed end to end only. */
    default boolean hasFloor() {
        return true;
    }

    /** Changes one row on the target (untimed): {@link #checkChange} must find exactly this. */
    void plantChange(Connection target) throws SQLException;

    /** Undoes {@link #plantChange} (untimed), leaving the table as it was for the next round. */
    void revertChange(Connection target) throws SQLException;

    /** Identical databases: MATCH, no difference, every row of every table compared. */
    default void checkClean(VerificationReport report) {
        Verdicts.checkClean(report, tables(), rows());
    }

    /** The database with {@link #plantChange} applied: exactly that one difference, nothing else. */
    void checkChange(VerificationReport report);
}
