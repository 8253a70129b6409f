package io.pgverify.internal.compare;

import java.util.List;

import io.pgverify.DifferenceKind;

/**
 * Hears what {@link RowMerger} finds. Called on the merging thread, in key order; differences are rare, so the key is
 * formatted only for them.
 */
public interface MergeListener {

    MergeListener NONE = new MergeListener() {
        @Override
        public void onDifference(DifferenceKind kind, List<String> key, int[] differingFields) {
        }
    };

    /**
     * Told of every differing row first, before anything about it is formatted: true to have it described through
     * {@link #onDifference}, false to leave it counted here only. A listener that keeps only the first differences
     * answers false past its cap, so a table where every row differs allocates nothing per row.
     */
    default boolean onDifferingRow(DifferenceKind kind) {
        return true;
    }

    /**
     * A row that is {@link DifferenceKind#MISSING_ON_TARGET}, {@link DifferenceKind#EXTRA_ON_TARGET} or
     * {@link DifferenceKind#DIFFERENT}, for which {@link #onDifferingRow} returned true.
     *
     * @param key             the key values as {@code ::text} prints them, in key order; null for a NULL value
     * @param differingFields for DIFFERENT, the indexes of the fields whose bytes differ (ascending); else empty
     */
    void onDifference(DifferenceKind kind, List<String> key, int[] differingFields);

    /**
     * How many rows (both sides together) pass between two {@link #onProgress} calls: fewer make a low rate limit
     * apply in small steps.
     */
    default int progressInterval() {
        return RowMerger.PROGRESS_INTERVAL;
    }

    /**
     * About every {@link #progressInterval()} rows, and once at the end: the rows and the bytes of binary COPY
     * (header and trailer included) read so far on each side.
     */
    default void onProgress(long sourceRows, long targetRows, long sourceBytes, long targetBytes) {
    }
}
