package io.pgverify.report;

import java.util.Locale;

/** The formats a report can be written in. */
public enum ReportFormat {
    /** For people: one line per table and check, the differences, a summary line. */
    TEXT,
    /** For runbooks: stable field names, described by {@code pgverify-report.schema.json}. */
    JSON,
    /** For CI systems: one test case per table and check. */
    JUNIT,
    /** For people in a browser, on a phone or on paper: one self-contained file, filters by verdict. */
    HTML;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
