package io.pgverify.report;

import java.util.Locale;

/** The formats a report can be written in. */
public enum ReportFormat {
    /** For people: one line per table and check, the differences, a summary line. */
    TEXT,
    /** For runbooks: stable field names, described by {@code pgverify-report.schema.json}. */
    JSON,
    /** For CI systems: one test case per table and check. */
    JUNIT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
