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
     * A row that is {@link DifferenceKind#MISSING_ON_TARGET}, {@link DifferenceKind#EXTRA_ON_TARGET} or
     * {@link DifferenceKind#DIFFERENT}.
     *
     * @param key             the key values as {@code ::text} prints them, in key order; null for a NULL value
     * @param differingFields for DIFFERENT, the indexes of the fields whose bytes differ (ascending); else empty
     */
    void onDifference(DifferenceKind kind, List<String> key, int[] differingFields);

    /**
     * About every {@link RowMerger#PROGRESS_INTERVAL} rows, and once at the end: the rows and the bytes of binary COPY
     * (header and trailer included) read so far on each side.
     */
    default void onProgress(long sourceRows, long targetRows, long sourceBytes, long targetBytes) {
    }
}
