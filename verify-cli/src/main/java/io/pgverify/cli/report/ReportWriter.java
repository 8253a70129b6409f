package io.pgverify.cli.report;

import java.io.IOException;
import java.io.Writer;

import io.pgverify.VerificationReport;

/** Writes a report in one format. Implementations are stateless and thread-safe. */
public interface ReportWriter {

    void write(VerificationReport report, ReportOptions options, Writer out) throws IOException;

    /** The writer of a format. */
    static ReportWriter of(ReportFormat format) {
        throw new UnsupportedOperationException("Report format " + format + " is not written yet");
    }
}
