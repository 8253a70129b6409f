package io.pgverify.report;

import static io.pgverify.report.TerminalText.clean;
import static io.pgverify.report.TerminalText.padRight;
import static io.pgverify.report.TerminalText.width;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Locale;
import java.util.Map;

import io.pgverify.FleetReport;
import io.pgverify.Outcome;
import io.pgverify.PairReport;

/**
 * A fleet's report for people: each pair's report as {@code verify} prints it for one pair, under the pair's name,
 * then one line per pair and the fleet's verdict last, where the eye lands after the run.
 */
final class FleetTextWriter implements FleetReportWriter {

    @Override
    public void write(FleetReport report, ReportOptions options, Writer out) throws IOException {
        StringBuilder text = new StringBuilder();
        for (PairReport pair : report.pairs()) {
            text.append("== ").append(clean(pair.name())).append(": ")
                    .append(pair.outcome().name().toLowerCase(Locale.ROOT)).append(" ==\n");
            if (pair.report() != null) {
                StringWriter section = new StringWriter();
                new TextReportWriter().write(pair.report(), FleetJsonWriter.pairOptions(options, pair.report()), section);
                text.append(section);
            } else {
                text.append("Not verified: ").append(clean(pair.error())).append('\n');
            }
            text.append('\n');
        }
        int nameWidth = 4;
        for (PairReport pair : report.pairs()) {
            nameWidth = Math.max(nameWidth, Math.min(40, width(clean(pair.name()))));
        }
        text.append(report.shard() == null ? "Pairs\n" : "Pairs of shard " + report.shard() + "\n");
        for (PairReport pair : report.pairs()) {
            text.append("  ").append(padRight(clean(pair.name()), nameWidth)).append("  ")
                    .append(padRight(pair.outcome().name().toLowerCase(Locale.ROOT), 10)).append("  ")
                    .append(ReportText.duration(pair.duration())).append('\n');
        }
        Map<Outcome, Integer> counts = report.countsByOutcome();
        text.append('\n').append(ReportText.count(report.pairs().size(), "pair", "pairs")).append(": ")
                .append(counts.getOrDefault(Outcome.MATCH, 0)).append(" match, ")
                .append(counts.getOrDefault(Outcome.MISMATCH, 0)).append(" mismatch, ")
                .append(counts.getOrDefault(Outcome.INCOMPLETE, 0)).append(" incomplete, ")
                .append(ReportText.duration(report.duration())).append(": ")
                .append(ReportText.verdict(report.outcome())).append('\n');
        out.write(text.toString());
        out.flush();
    }
}
