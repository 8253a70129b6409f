package io.pgverify.report.preflight;

import java.io.IOException;
import java.io.Writer;

import io.pgverify.PreflightFinding;
import io.pgverify.PreflightFinding.Severity;
import io.pgverify.PreflightReport;
import io.pgverify.ServerInfo;

/** The report for people: each finding with its objects, why and what to do; what was not checked; one verdict line. */
final class PreflightText implements PreflightWriter {

    /** More than this many objects are summarised: the JSON report has them all. */
    static final int MAX_OBJECTS = 50;

    @Override
    public void write(PreflightReport report, Options options, Writer out) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("pgverify preflight for ").append(report.method().label()).append('\n');
        text.append("  source: ").append(server(report.source(), options.sourceLabel())).append('\n');
        text.append("  target: ").append(report.target() == null ? "none given (extensions, settings and collations not compared)"
                : server(report.target(), options.targetLabel())).append('\n');
        for (PreflightFinding finding : report.findings()) {
            text.append('\n').append(finding.severity().name()).append("  ").append(finding.code()).append(": ")
                    .append(finding.title()).append(" (").append(finding.objects().size()).append(")\n");
            int shown = Math.min(finding.objects().size(), MAX_OBJECTS);
            for (int i = 0; i < shown; i++) {
                text.append("    - ").append(finding.objects().get(i)).append('\n');
            }
            if (finding.objects().size() > shown) {
                text.append("    ... and ").append(finding.objects().size() - shown).append(" more (--format json lists all)\n");
            }
            text.append("  why: ").append(finding.why()).append('\n');
            text.append("  do:  ").append(finding.whatToDo()).append('\n');
        }
        if (!report.notChecked().isEmpty()) {
            text.append('\n');
            for (PreflightReport.NotChecked entry : report.notChecked()) {
                text.append("NOT CHECKED  ").append(entry.check()).append(": ").append(entry.reason()).append('\n');
            }
        }
        if (!report.skipped().isEmpty()) {
            text.append('\n');
            for (PreflightReport.NotChecked entry : report.skipped()) {
                text.append("SKIPPED  ").append(entry.check()).append(": ").append(entry.reason()).append('\n');
            }
        }
        text.append('\n').append(summary(report)).append('\n');
        out.write(text.toString());
        out.flush();
    }

    static String summary(PreflightReport report) {
        String counts = report.count(Severity.BLOCKER) + " blocker(s), " + report.count(Severity.WARNING) + " warning(s), "
                + report.count(Severity.INFO) + " info, " + report.notChecked().size() + " not checked";
        return switch (PreflightWriter.verdict(report)) {
            case "blocked" -> "BLOCKED: " + counts + ". Deal with the blockers before migrating.";
            case "incomplete" -> "INCOMPLETE: " + counts + ". No blocker found, but not everything could be checked.";
            default -> "READY: " + counts + ". No blocker for " + report.method().label() + ".";
        };
    }

    private static String server(ServerInfo server, String label) {
        return "PostgreSQL " + server.version() + ", database " + server.database() + " at " + server.endpoint()
                + (label == null ? "" : " (" + label + ")");
    }
}
