package io.pgverify.internal.compare;

/**
 * What one merge of a key range found.
 *
 * @param sourceRows      rows read from the source
 * @param targetRows      rows read from the target
 * @param matched         keys on both sides with byte-identical rows
 * @param missingOnTarget keys only on the source
 * @param extraOnTarget   keys only on the target
 * @param different       keys on both sides whose rows differ
 */
public record MergeSummary(long sourceRows, long targetRows, long matched, long missingOnTarget, long extraOnTarget,
                           long different) {

    /** True when both sides hold exactly the same rows. */
    public boolean identical() {
        return missingOnTarget == 0 && extraOnTarget == 0 && different == 0 && sourceRows == targetRows
                && matched == sourceRows;
    }

    public long differences() {
        return missingOnTarget + extraOnTarget + different;
    }

    /** Sums the summaries of several ranges of one table. */
    public MergeSummary plus(MergeSummary other) {
        return new MergeSummary(sourceRows + other.sourceRows, targetRows + other.targetRows, matched + other.matched,
                missingOnTarget + other.missingOnTarget, extraOnTarget + other.extraOnTarget, different + other.different);
    }
}
