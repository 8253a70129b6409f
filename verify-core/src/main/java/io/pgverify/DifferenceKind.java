package io.pgverify;

/** What differs. */
public enum DifferenceKind {
    /** A table of the source does not exist on the target. */
    MISSING_TABLE,
    /** A column of the source does not exist on the target's table. */
    MISSING_COLUMN,
    /** A column exists on both sides with different types. */
    TYPE_MISMATCH,
    /**
     * The source's primary key (or the unique index used as key) has no counterpart on the target: a restore that
     * failed to build an index, for example, and the target will accept duplicates.
     */
    MISSING_KEY,
    /** A column that is NOT NULL on the source accepts NULL on the target. */
    NOT_NULL_MISSING,
    /**
     * An index of the source has no counterpart on the target (same name, or same definition under another name), or
     * only an invalid one: a restore that failed to build it, or a concurrent build that failed.
     */
    MISSING_INDEX,
    /**
     * A constraint of the source (unique, foreign key, check, exclusion) has no counterpart on the target: one dropped
     * for the migration and never added back, for example.
     */
    MISSING_CONSTRAINT,
    /** An index or constraint of the same name is defined differently on the target. */
    DEFINITION_MISMATCH,
    /** The exact row counts differ. */
    ROW_COUNT,
    /** A row of the source, identified by its key, is not on the target. */
    MISSING_ON_TARGET,
    /** A row of the target, identified by its key, is not on the source. */
    EXTRA_ON_TARGET,
    /** A row with the same key holds different values; the differing columns are named. */
    DIFFERENT,
    /** A table without a key holds a different multiset of rows (compared as a whole). */
    TABLE_CONTENT,
    /** The target sequence would hand out a lower value than the source's. */
    SEQUENCE_BEHIND,
    /** The target sequence would hand out a value its column already holds: the first insert would fail. */
    SEQUENCE_BELOW_COLUMN_MAX,
    /** A sequence of the source does not exist on the target. */
    MISSING_SEQUENCE
}
