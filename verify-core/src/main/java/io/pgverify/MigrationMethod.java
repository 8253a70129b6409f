package io.pgverify;

import java.util.Locale;

/** How the data will be moved: the preflight's findings and their severities depend on it. */
public enum MigrationMethod {
    /** {@code pg_dump} and {@code pg_restore} (or {@code psql}) with writes stopped. */
    DUMP_RESTORE("dump-restore"),
    /** PostgreSQL's built-in logical replication: a publication on the source, a subscription on the target. */
    LOGICAL("logical"),
    /** The pglogical extension (also what several cloud migration services use). */
    PGLOGICAL("pglogical");

    private final String label;

    MigrationMethod(String label) {
        this.label = label;
    }

    /** The name on the command line and in reports, e.g. {@code dump-restore}. */
    public String label() {
        return label;
    }

    /** True for the methods that stream changes through a replication slot. */
    public boolean replicates() {
        return this != DUMP_RESTORE;
    }

    /**
     * The method named by its label ({@code dump-restore}, {@code logical}, {@code pglogical}), case-insensitive.
     *
     * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION} for any other name
     */
    public static MigrationMethod of(String label) {
        String wanted = label == null ? "" : label.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (MigrationMethod method : values()) {
            if (method.label.equals(wanted)) {
                return method;
            }
        }
        throw new VerifyException(ErrorCode.INVALID_CONFIGURATION,
                "Unknown migration method '" + label + "': use dump-restore, logical or pglogical.");
    }
}
