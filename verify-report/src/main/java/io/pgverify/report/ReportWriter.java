package io.pgverify.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Objects;

import io.pgverify.VerificationReport;

/**
 * Writes a report in one format: the same text, JSON ({@code format_version} 1, described by
 * {@code io/pgverify/report/pgverify-report.schema.json}), JUnit XML and HTML the {@code pgverify} command writes.
 * Implementations are stateless and thread-safe.
 *
 * <pre>{@code
 * VerificationReport report = verifier.verify();
 * ReportOptions options = new ReportOptions("1.0", false, "old-db/shop", "new-db/shop");
 * try (Writer out = Files.newBufferedWriter(Path.of("evidence.json"))) {
 *     ReportWriter.of(ReportFormat.JSON).write(report, options, out);
 * }
 * }</pre>
 */
public interface ReportWriter {

    /** Writes the report to {@code out} and flushes it; {@code out} is left open, it belongs to the caller. */
    void write(VerificationReport report, ReportOptions options, Writer out) throws IOException;

    /** The report as one string, e.g. for a log or an assertion message. */
    default String toString(VerificationReport report, ReportOptions options) {
        StringWriter out = new StringWriter();
        try {
            write(report, options, out);
        } catch (IOException e) {
            throw new UncheckedIOException("A StringWriter does not fail", e);
        }
        return out.toString();
    }

    /** The writer of a format. */
    static ReportWriter of(ReportFormat format) {
        Objects.requireNonNull(format, "format");
        return switch (format) {
            case TEXT -> new TextReportWriter();
            case JSON -> new JsonReportWriter();
            case JUNIT -> new JunitReportWriter();
            case HTML -> new HtmlReportWriter();
        };
    }
}
