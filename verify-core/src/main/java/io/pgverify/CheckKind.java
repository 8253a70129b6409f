package io.pgverify;

import java.util.Locale;

/** The checks a verification can run. */
public enum CheckKind {
    /** Every selected table and column of the source exists on the target with the same type. */
    SCHEMA("schema"),
    /** Every sequence of the target will hand out a value no lower than the source's, and above its column's max(). */
    SEQUENCES("sequences"),
    /** Exact {@code count(*)} per table on both sides. */
    COUNTS("counts"),
    /** The N rows with the highest key, compared column by column. */
    LAST_ROWS("last-rows"),
    /** Every row of every table, compared in key ranges, down to the exact differing keys. */
    HASHES("hashes");

    private final String label;

    CheckKind(String label) {
        this.label = label;
    }

    /** The name used on the command line and in reports, e.g. {@code last-rows}. */
    public String label() {
        return label;
    }

    /** The check of the given label ({@code last-rows}) or constant name ({@code LAST_ROWS}), case-insensitive. */
    public static CheckKind fromLabel(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (CheckKind kind : values()) {
            if (kind.label.equals(wanted)) {
                return kind;
            }
        }
        throw new VerifyException(ErrorCode.INVALID_CONFIGURATION,
                "Unknown check '" + text + "': use schema, sequences, counts, last-rows or hashes.");
    }
}
