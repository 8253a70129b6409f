package io.pgverify.cli.preflight;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

import io.pgverify.PreflightReport;
import io.pgverify.cli.report.ReportFormat;

/**
 * Writes a preflight report in one of the formats of {@code verify}'s reports. Kept apart from the verification's
 * report writers (which move to their own module) because the two reports share no structure beyond the format names.
 */
public interface PreflightWriter {

    /**
     * What a report shows besides the findings.
     *
     * @param toolVersion pgverify's version
     * @param sourceLabel the source as given, password masked
     * @param targetLabel the target as given, password masked, or null when there is none
     */
    record Options(String toolVersion, String sourceLabel, String targetLabel) {
    }

    /** Writes the report to {@code out} and flushes it; {@code out} stays open. */
    void write(PreflightReport report, Options options, Writer out) throws IOException;

    static PreflightWriter of(ReportFormat format) {
        Objects.requireNonNull(format, "format");
        return switch (format) {
            case TEXT -> new PreflightText();
            case JSON -> new PreflightJson();
            case JUNIT -> new PreflightJunit();
        };
    }

    /** The verdict in one word: {@code blocked}, {@code incomplete} (something not checked) or {@code ready}. */
    static String verdict(PreflightReport report) {
        return report.hasBlockers() ? "blocked" : !report.complete() ? "incomplete" : "ready";
    }
}
