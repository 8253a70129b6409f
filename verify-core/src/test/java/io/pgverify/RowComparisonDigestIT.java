package io.pgverify;

/**
 * The whole row-comparison corpus again with digests computed by the servers first: the network-frugal mode must reach
 * the same verdicts and name the same keys as streaming.
 */
class RowComparisonDigestIT extends RowComparisonIT {

    @Override
    protected CompareMode mode() {
        return CompareMode.DIGEST;
    }
}
