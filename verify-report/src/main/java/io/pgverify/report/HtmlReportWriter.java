package io.pgverify.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;

import io.pgverify.VerificationReport;

/**
 * The report people look at: one self-contained HTML file (inline style and script, nothing fetched) with the verdict
 * at the top in colour and in words, who was compared, every table with its verdict, filters by verdict, the
 * differing keys and columns, what could not be compared and why, the sequences and the warnings. Laid out for a
 * phone as well as a desk and for print, where the filters are hidden and everything is shown.
 *
 * <p>Written as it goes, never built whole in memory; every name, key and message is escaped.
 */
final class HtmlReportWriter implements ReportWriter {

    @Override
    public void write(VerificationReport report, ReportOptions options, Writer out) throws IOException {
        // Many small writes: buffered here, whatever the caller passed, and flushed into it at the end.
        BufferedWriter buffered = new BufferedWriter(out, 16 * 1024);
        HtmlOutput html = new HtmlOutput(buffered);
        String database = report.source().database() == null ? "" : " " + report.source().database();
        HtmlPage.begin(html, "pgverify" + database + ": " + ReportText.verdict(report.outcome()), options);
        HtmlPage.verdict(html, report.outcome(), HtmlVerification.sentence(report), HtmlVerification.facts(report));
        HtmlVerification verification = new HtmlVerification(html, "", 2);
        verification.facts(report, options.sourceLabel(), options.targetLabel(), options.shard(),
                options.planDigest(), HtmlPage.tool(options));
        HtmlPage.filters(html, HtmlVerification.counts(report), "tables and sequences");
        verification.body(report);
        HtmlPage.end(html, options, report.startedAt());
        buffered.flush();
        out.flush();
    }
}
