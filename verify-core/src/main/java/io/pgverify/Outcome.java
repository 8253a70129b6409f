package io.pgverify;

/** The verdict of a check, a table or a whole verification. */
public enum Outcome {
    /** Everything that was asked for was read and compared, and it is the same on both sides. */
    MATCH,
    /** Something was read on both sides and found to differ. */
    MISMATCH,
    /** Something could not be read or compared; never to be taken as a match. */
    INCOMPLETE,
    /** The check was not asked for, or could not apply (e.g. row checks of a table missing on the target). */
    SKIPPED;

    /**
     * Combines two verdicts: a difference found outweighs one that could not be read (the copy is wrong either way),
     * which outweighs a match; a skipped part changes nothing.
     */
    public Outcome and(Outcome other) {
        if (this == MISMATCH || other == MISMATCH) {
            return MISMATCH;
        }
        if (this == INCOMPLETE || other == INCOMPLETE) {
            return INCOMPLETE;
        }
        if (this == MATCH || other == MATCH) {
            return MATCH;
        }
        return SKIPPED;
    }
}
