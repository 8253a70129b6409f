package io.pgverify.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

import io.pgverify.FleetReport;

/**
 * Writes the report of many pairs in one format: each pair's report, then the totals and the fleet's verdict.
 * Implementations are stateless and thread-safe.
 */
public interface FleetReportWriter {

    /** Writes the report to {@code out} and flushes it; {@code out} is left open, it belongs to the caller. */
    void write(FleetReport report, ReportOptions options, Writer out) throws IOException;

    /** The writer of a format. */
    static FleetReportWriter of(ReportFormat format) {
        Objects.requireNonNull(format, "format");
        return switch (format) {
            case TEXT -> new FleetTextWriter();
            case JSON -> new FleetJsonWriter();
            case JUNIT -> new FleetJunitWriter();
            case HTML -> new HtmlFleetReportWriter();
        };
    }
}
