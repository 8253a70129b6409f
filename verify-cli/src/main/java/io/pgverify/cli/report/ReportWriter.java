package io.pgverify.cli.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

import io.pgverify.VerificationReport;

/** Writes a report in one format. Implementations are stateless and thread-safe. */
public interface ReportWriter {

    /** Writes the report to {@code out} and flushes it; {@code out} is left open, it belongs to the caller. */
    void write(VerificationReport report, ReportOptions options, Writer out) throws IOException;

    /** The writer of a format. */
    static ReportWriter of(ReportFormat format) {
        Objects.requireNonNull(format, "format");
        return switch (format) {
            case TEXT -> new TextReportWriter();
            case JSON -> new JsonReportWriter();
            case JUNIT -> new JunitReportWriter();
        };
    }
}
