package io.pgverify.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

import io.pgverify.FleetReport;
import io.pgverify.Outcome;
import io.pgverify.PairReport;
import io.pgverify.Shard;
import io.pgverify.VerificationReport;

/**
 * The HTML report of a fleet: the fleet's verdict at the top, one row per pair with its verdict, then each pair in
 * full as {@link HtmlReportWriter} shows one verification (or why it could not be verified). The filters hide pairs,
 * and tables within pairs, by verdict.
 *
 * <p>Written pair by pair as it goes: a fleet of thousands of pairs is never held in memory as text.
 */
final class HtmlFleetReportWriter implements FleetReportWriter {

    @Override
    public void write(FleetReport report, ReportOptions options, Writer out) throws IOException {
        BufferedWriter buffered = new BufferedWriter(out, 16 * 1024);
        HtmlOutput html = new HtmlOutput(buffered);
        Outcome outcome = report.outcome();
        Map<Outcome, Integer> counts = report.countsByOutcome();
        HtmlPage.begin(html, "pgverify fleet of " + ReportText.count(report.pairs().size(), "pair", "pairs") + ": "
                + ReportText.verdict(outcome), options);
        HtmlPage.verdict(html, outcome, sentence(report, counts), facts(report, counts));
        html.raw("<dl class=\"meta\">\n");
        HtmlPage.fact(html, "Pairs", ReportText.count(report.pairs().size()));
        html.raw("<dt>Started</dt><dd>");
        HtmlPage.time(html, report.startedAt());
        html.raw("</dd>\n");
        HtmlPage.fact(html, "Duration", ReportText.duration(report.duration()));
        HtmlPage.fact(html, "Rows compared", ReportText.count(rowsCompared(report)));
        Shard shard = options.shard();
        if (shard == null && report.shard() != null) {
            shard = parse(report.shard());
            if (shard == null) {
                HtmlPage.fact(html, "Shard", report.shard());
            }
        }
        HtmlPage.shard(html, shard, options.planDigest());
        HtmlPage.fact(html, "Tool", HtmlPage.tool(options));
        html.raw("</dl>\n");
        HtmlPage.filters(html, counts, "pairs");
        pairs(report, html);
        List<PairReport> pairs = report.pairs();
        for (int i = 0; i < pairs.size(); i++) {
            pair(pairs.get(i), i, html);
        }
        HtmlPage.end(html, options, report.startedAt());
        buffered.flush();
        out.flush();
    }

    private static String sentence(FleetReport report, Map<Outcome, Integer> counts) {
        if (report.pairs().isEmpty()) {
            return "No pairs were verified: an empty run proves nothing, so this is not a match.";
        }
        return switch (report.outcome()) {
            case MATCH -> "Every pair matches: each target holds the same data as its source, as far as the checks "
                    + "asked for can tell.";
            case MISMATCH -> ReportText.count(counts.getOrDefault(Outcome.MISMATCH, 0), "pair has", "pairs have")
                    + " differences.";
            case INCOMPLETE -> ReportText.count(counts.getOrDefault(Outcome.INCOMPLETE, 0), "pair", "pairs")
                    + " could not be verified in full: this is not a match.";
            case SKIPPED -> "Nothing was compared.";
        };
    }

    /** {@code 4 pairs: 2 MATCH, 1 MISMATCH, 1 INCOMPLETE; 3m 12s}. */
    private static String facts(FleetReport report, Map<Outcome, Integer> counts) {
        StringBuilder facts = new StringBuilder(ReportText.count(report.pairs().size(), "pair", "pairs"));
        String separator = ": ";
        for (Outcome outcome : Outcome.values()) {
            Integer count = counts.get(outcome);
            if (count != null && count > 0) {
                facts.append(separator).append(ReportText.count(count)).append(' ').append(ReportText.verdict(outcome));
                separator = ", ";
            }
        }
        return facts.append("; ").append(ReportText.duration(report.duration())).toString();
    }

    private static long rowsCompared(FleetReport report) {
        long rows = 0;
        for (PairReport pair : report.pairs()) {
            if (pair.report() != null) {
                rows += pair.report().rowsCompared();
            }
        }
        return rows;
    }

    private static void pairs(FleetReport report, HtmlOutput html) throws IOException {
        html.raw("<section id=\"pairs\" class=\"pairs\">\n<h2>Pairs</h2>\n");
        if (report.pairs().isEmpty()) {
            html.raw("<p>No pairs were verified.</p>\n</section>\n");
            return;
        }
        html.raw("<div class=\"scroll\"><table class=\"pairs\">\n<thead><tr><th scope=\"col\">Pair</th>"
                + "<th scope=\"col\">Verdict</th><th scope=\"col\" class=\"n\">Tables</th>"
                + "<th scope=\"col\" class=\"n\">Rows compared</th><th scope=\"col\" class=\"n\">Differences</th>"
                + "<th scope=\"col\" class=\"n\">Time</th><th scope=\"col\">Note</th></tr></thead>\n<tbody>\n");
        List<PairReport> pairs = report.pairs();
        for (int i = 0; i < pairs.size(); i++) {
            PairReport pair = pairs.get(i);
            Outcome outcome = pair.outcome();
            VerificationReport verification = pair.report();
            html.raw("<tr class=\"filterable pair ").raw(HtmlPage.css(outcome)).raw("\" data-outcome=\"")
                    .raw(HtmlPage.lower(outcome)).raw("\"><td class=\"name\"><a href=\"#p").raw(Integer.toString(i))
                    .raw("\">").text(pair.name()).raw("</a></td><td>");
            HtmlPage.badge(html, outcome);
            html.raw("</td><td class=\"n\">");
            if (verification == null) {
                html.raw("<span class=\"muted\">-</span></td><td class=\"n\"><span class=\"muted\">-</span></td>"
                        + "<td class=\"n\"><span class=\"muted\">-</span></td>");
            } else {
                html.count(verification.tables().size()).raw("</td><td class=\"n\">").count(verification.rowsCompared())
                        .raw("</td><td class=\"n\">").count(verification.differenceCount()).raw("</td>");
            }
            html.raw("<td class=\"n\">").text(ReportText.duration(pair.duration())).raw("</td><td class=\"pre\">");
            if (pair.error() != null) {
                html.text(pair.error());
            } else if (verification.interrupted()) {
                html.raw("interrupted");
            }
            html.raw("</td></tr>\n");
        }
        html.raw("</tbody>\n</table></div>\n</section>\n");
    }

    private static void pair(PairReport pair, int index, HtmlOutput html) throws IOException {
        Outcome outcome = pair.outcome();
        String id = "p" + index;
        html.raw("<section class=\"filterable pair ").raw(HtmlPage.css(outcome)).raw("\" id=\"").raw(id)
                .raw("\" data-outcome=\"").raw(HtmlPage.lower(outcome)).raw("\">\n<h2>");
        HtmlPage.badge(html, outcome);
        html.raw(" <span class=\"pair-name\">").text(pair.name()).raw("</span></h2>\n");
        VerificationReport report = pair.report();
        if (report == null) {
            html.raw("<p class=\"error\"><strong>Could not be verified</strong> (after ")
                    .text(ReportText.duration(pair.duration())).raw("): <span class=\"pre\">").text(pair.error())
                    .raw("</span></p>\n<p>An unverified pair counts as INCOMPLETE, never as a match.</p>\n</section>\n");
            return;
        }
        html.raw("<p class=\"sentence\">").text(HtmlVerification.sentence(report)).raw(" ")
                .text(HtmlVerification.facts(report)).raw(".</p>\n");
        HtmlVerification verification = new HtmlVerification(html, id + "-", 3);
        verification.facts(report, null, null, null, null, null);
        verification.body(report);
        html.raw("</section>\n");
    }

    /** The fleet's own {@code I/N}, when the options do not carry the shard. */
    private static Shard parse(String shard) {
        try {
            return Shard.parse(shard);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
