package io.pgverify.report.preflight;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

import io.pgverify.PreflightReport;
import io.pgverify.report.ReportFormat;

/**
 * Writes a {@link PreflightReport} in one of the formats of the verification's reports, for the command and for
 * applications that run {@link io.pgverify.Preflight} themselves. A package of its own: the two reports share no
 * structure beyond the format names.
 *
 * <pre>{@code
 * PreflightWriter.of(ReportFormat.JSON).write(report, new PreflightWriter.Options("1.0", sourceUrl, null), writer);
 * }</pre>
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

    /**
     * The writer of a format.
     *
     * @throws IllegalArgumentException for {@link ReportFormat#HTML}: the HTML report is the verification's; a
     *                                  preflight's few findings read as well in text
     */
    static PreflightWriter of(ReportFormat format) {
        Objects.requireNonNull(format, "format");
        return switch (format) {
            case TEXT -> new PreflightText();
            case JSON -> new PreflightJson();
            case JUNIT -> new PreflightJunit();
            case HTML -> throw new IllegalArgumentException(
                    "A preflight report is written as text, json or junit, not html: choose one of those.");
        };
    }

    /** The verdict in one word: {@code blocked}, {@code incomplete} (something not checked) or {@code ready}. */
    static String verdict(PreflightReport report) {
        return report.hasBlockers() ? "blocked" : !report.complete() ? "incomplete" : "ready";
    }
}
