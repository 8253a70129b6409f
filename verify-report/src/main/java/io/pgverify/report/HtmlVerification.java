package io.pgverify.report;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.Outcome;
import io.pgverify.ReplicationLag;
import io.pgverify.SequenceReport;
import io.pgverify.ServerInfo;
import io.pgverify.Shard;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;

/**
 * The body of one verification's HTML report: its facts, its tables with their verdicts, the details of what differs,
 * what could not be compared and why, the sequences, the tables only on the target and the warnings. Used whole by
 * the single report and once per pair by the fleet report, so ids carry a prefix and headings start at a given level.
 *
 * <p>Everything that can be filtered by verdict is marked {@code class="filterable"} with a {@code data-outcome}.
 */
final class HtmlVerification {

    private final HtmlOutput html;
    private final String ids;
    private final int level;

    /**
     * @param ids    prefix of every id written, unique per verification on the page
     * @param level  the heading level of this verification's sections (2 on its own, 3 within a fleet)
     */
    HtmlVerification(HtmlOutput html, String ids, int level) {
        this.html = html;
        this.ids = ids;
        this.level = level;
    }

    /** How many tables and sequences end with each verdict: what the filters count. */
    static Map<Outcome, Integer> counts(VerificationReport report) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (TableReport table : report.tables()) {
            counts.merge(table.outcome(), 1, Integer::sum);
        }
        for (SequenceReport sequence : report.sequences()) {
            counts.merge(sequence.outcome(), 1, Integer::sum);
        }
        return counts;
    }

    /** {@code 7 tables, 1,001,810 rows compared, 1,214 differences, 3m 12s}. */
    static String facts(VerificationReport report) {
        return ReportText.count(report.tables().size(), "table", "tables") + ", "
                + ReportText.count(report.rowsCompared()) + " rows compared, "
                + ReportText.count(report.differenceCount(), "difference", "differences") + ", "
                + ReportText.duration(report.duration());
    }

    static String sentence(VerificationReport report) {
        return switch (report.outcome()) {
            case MATCH -> "The target holds the same data as the source, as far as the checks asked for can tell.";
            case MISMATCH -> "Differences found: the target does not hold the same data as the source.";
            case INCOMPLETE -> report.interrupted()
                    ? "The verification was interrupted: what it did not reach was not compared, so this is not a match."
                    : report.tables().isEmpty() && report.sequences().isEmpty()
                    ? "Nothing was compared: an empty comparison proves nothing, so this is not a match."
                    : "Not everything could be compared: this is not a match.";
            case SKIPPED -> "Nothing was compared.";
        };
    }

    /**
     * Who was compared, when, and with what; the labels are the caller's, already masked. The shard, plan digest and
     * tool are shown when not null.
     */
    void facts(VerificationReport report, String sourceLabel, String targetLabel, Shard shard, String planDigest,
               String tool) throws IOException {
        html.raw("<dl class=\"meta\">\n");
        HtmlPage.fact(html, "Source", server(sourceLabel, report.source()));
        HtmlPage.fact(html, "Target", server(targetLabel, report.target()));
        StringBuilder checks = new StringBuilder();
        for (CheckKind kind : ReportText.inOrder(report.checks())) {
            checks.append(checks.length() == 0 ? "" : ", ").append(kind.label());
        }
        HtmlPage.fact(html, "Checks", checks.length() == 0 ? "none" : checks.toString());
        html.raw("<dt>Started</dt><dd>");
        HtmlPage.time(html, report.startedAt());
        html.raw("</dd>\n");
        HtmlPage.fact(html, "Duration", ReportText.duration(report.duration()));
        HtmlPage.fact(html, "Rows compared", ReportText.count(report.rowsCompared()));
        HtmlPage.fact(html, "Differences", ReportText.count(report.differenceCount()));
        if (report.resolvedByRecheck() > 0) {
            HtmlPage.fact(html, "Resolved by recheck", ReportText.count(report.resolvedByRecheck())
                    + " (rows in flight when first read, equal when read again)");
        }
        replication(report.replication());
        HtmlPage.shard(html, shard, planDigest);
        if (tool != null) {
            HtmlPage.fact(html, "Tool", tool);
        }
        html.raw("</dl>\n");
    }

    private void replication(ReplicationLag lag) throws IOException {
        if (lag == null) {
            return;
        }
        String text = lag.caughtUp()
                ? "caught up with source LSN " + lag.sourceLsn() + " after waiting " + ReportText.duration(lag.waited())
                : "NOT caught up with source LSN " + lag.sourceLsn() + ": " + ReportText.count(lag.lagBytes())
                        + " bytes behind after waiting " + ReportText.duration(lag.waited());
        if (!lag.slots().isEmpty()) {
            text += " (slots " + String.join(", ", lag.slots()) + ")";
        }
        HtmlPage.fact(html, "Replication", text);
    }

    private static String server(String label, ServerInfo server) {
        String shown = label;
        if (shown == null || shown.isBlank()) {
            shown = server.endpoint() == null ? "(unknown)" : server.endpoint();
            shown += server.database() == null ? "" : "/" + server.database();
        }
        return server.version() == null ? shown : shown + " (PostgreSQL " + server.version() + ")";
    }

    /** Everything below the facts. */
    void body(VerificationReport report) throws IOException {
        if (report.interrupted()) {
            html.raw("<p class=\"interrupted\"><strong>Interrupted.</strong> The verification was stopped before it "
                    + "finished; what it did not reach is incomplete.</p>\n");
        }
        tables(report);
        details(report);
        notCompared(report);
        sequences(report);
        extraTables(report);
        warnings(report);
    }

    private void tables(VerificationReport report) throws IOException {
        heading("tables", "Tables");
        if (report.tables().isEmpty()) {
            html.raw("<p>No tables were selected on the source.</p>\n</section>\n");
            return;
        }
        html.raw("<div class=\"scroll\"><table class=\"tables\">\n<thead><tr><th scope=\"col\">Table</th>"
                + "<th scope=\"col\">Verdict</th><th scope=\"col\">Checks</th><th scope=\"col\" class=\"n\">Rows compared</th>"
                + "<th scope=\"col\" class=\"n\">Source rows</th><th scope=\"col\" class=\"n\">Target rows</th>"
                + "<th scope=\"col\" class=\"n\">Differences</th><th scope=\"col\" class=\"n\">Time</th></tr></thead>\n<tbody>\n");
        List<TableReport> tables = report.tables();
        for (int i = 0; i < tables.size(); i++) {
            TableReport table = tables.get(i);
            Outcome outcome = table.outcome();
            html.raw("<tr class=\"filterable table ").raw(HtmlPage.css(outcome)).raw("\" data-outcome=\"")
                    .raw(HtmlPage.lower(outcome)).raw("\"><td class=\"name\">");
            if (needsDetail(table)) {
                html.raw("<a href=\"#").raw(ids).raw("t").raw(Integer.toString(i)).raw("\">")
                        .text(table.qualifiedName()).raw("</a>");
            } else {
                html.text(table.qualifiedName());
            }
            html.raw("</td><td>");
            HtmlPage.badge(html, outcome);
            html.raw("</td><td>");
            long differences = 0;
            Duration time = Duration.ZERO;
            List<CheckResult> checks = table.checks();
            for (int c = 0; c < checks.size(); c++) {
                CheckResult check = checks.get(c);
                differences += check.differenceCount();
                time = time.plus(check.duration());
                html.raw(c == 0 ? "" : " ").raw("<span class=\"chk ").raw(HtmlPage.css(check.outcome()))
                        .raw("\" title=\"").raw(ReportText.verdict(check.outcome())).raw("\">")
                        .text(check.kind().label() + "\u00A0" + HtmlPage.symbol(check.outcome())).raw("</span>");
            }
            html.raw("</td><td class=\"n\">").count(table.rowsCompared()).raw("</td><td class=\"n\">");
            nullableCount(table.sourceRows());
            html.raw("</td><td class=\"n\">");
            nullableCount(table.targetRows());
            html.raw("</td><td class=\"n\">").count(differences).raw("</td><td class=\"n\">")
                    .text(ReportText.duration(time)).raw("</td></tr>\n");
        }
        html.raw("</tbody>\n</table></div>\n</section>\n");
    }

    private void nullableCount(Long value) throws IOException {
        if (value == null) {
            html.raw("<span class=\"muted\">-</span>");
        } else {
            html.count(value);
        }
    }

    /** A table gets a detail of its own when something in it differs, could not be read, or carries a note. */
    private static boolean needsDetail(TableReport table) {
        for (CheckResult check : table.checks()) {
            if (check.outcome() == Outcome.MISMATCH || check.outcome() == Outcome.INCOMPLETE
                    || !check.differences().isEmpty() || check.resolvedByRecheck() > 0
                    || (check.outcome() == Outcome.MATCH && !check.message().isEmpty())) {
                return true;
            }
        }
        return false;
    }

    private void details(VerificationReport report) throws IOException {
        List<TableReport> tables = report.tables();
        boolean titled = false;
        for (int i = 0; i < tables.size(); i++) {
            TableReport table = tables.get(i);
            if (!needsDetail(table)) {
                continue;
            }
            if (!titled) {
                heading("details", "Differences and problems");
                titled = true;
            }
            Outcome outcome = table.outcome();
            html.raw("<article class=\"filterable detail ").raw(HtmlPage.css(outcome)).raw("\" id=\"").raw(ids)
                    .raw("t").raw(Integer.toString(i)).raw("\" data-outcome=\"").raw(HtmlPage.lower(outcome))
                    .raw("\">\n<h").raw(Integer.toString(level + 1)).raw(">");
            HtmlPage.badge(html, outcome);
            html.raw(" <span class=\"table-name\">").text(table.qualifiedName()).raw("</span></h")
                    .raw(Integer.toString(level + 1)).raw(">\n");
            if (!table.keyColumns().isEmpty()) {
                html.raw("<p class=\"muted\">Key: ");
                codes(table.keyColumns());
                html.raw("</p>\n");
            }
            for (CheckResult check : table.checks()) {
                if (check.outcome() == Outcome.MATCH && check.differences().isEmpty() && check.message().isEmpty()
                        && check.resolvedByRecheck() == 0) {
                    continue;
                }
                check(check);
            }
            html.raw("</article>\n");
        }
        if (titled) {
            html.raw("</section>\n");
        }
    }

    private void check(CheckResult check) throws IOException {
        String h = Integer.toString(level + 2);
        html.raw("<div class=\"check ").raw(HtmlPage.css(check.outcome())).raw("\" data-check=\"")
                .text(check.kind().label()).raw("\" data-outcome=\"").raw(HtmlPage.lower(check.outcome()))
                .raw("\">\n<h").raw(h).raw(">").text(check.kind().label()).raw(" ");
        HtmlPage.badge(html, check.outcome());
        html.raw("</h").raw(h).raw(">\n<p class=\"muted\">")
                .text(ReportText.count(check.differenceCount(), "difference", "differences"));
        if (check.rowsCompared() > 0) {
            html.raw(", ").count(check.rowsCompared()).raw(" rows compared");
        }
        html.raw(", ").text(ReportText.duration(check.duration())).raw("</p>\n");
        if (!check.message().isEmpty()) {
            html.raw("<p class=\"message pre\">").text(check.message()).raw("</p>\n");
        }
        if (check.resolvedByRecheck() > 0) {
            html.raw("<p>").count(check.resolvedByRecheck()).raw(check.resolvedByRecheck() == 1
                    ? " difference" : " differences")
                    .raw(" went away when rechecked: rows still in flight (replication lag), not failures.</p>\n");
        }
        differences(check.differences());
        String more = ReportText.more(check);
        if (more != null) {
            html.raw("<p class=\"more\">").text(more).raw("</p>\n");
        }
        html.raw("</div>\n");
    }

    /** The differing keys and columns, one row each; only keys are row values, as {@link Difference} carries. */
    private void differences(List<Difference> differences) throws IOException {
        if (differences.isEmpty()) {
            return;
        }
        boolean keys = false;
        boolean columns = false;
        for (Difference difference : differences) {
            keys |= !difference.key().isEmpty();
            columns |= !difference.columns().isEmpty();
        }
        html.raw("<div class=\"scroll\"><table class=\"differences\">\n<thead><tr><th scope=\"col\">Kind</th>");
        if (keys) {
            html.raw("<th scope=\"col\">Key</th>");
        }
        if (columns) {
            html.raw("<th scope=\"col\">Columns</th>");
        }
        html.raw("<th scope=\"col\">Detail</th></tr></thead>\n<tbody>\n");
        for (Difference difference : differences) {
            html.raw("<tr class=\"difference\" data-kind=\"").raw(difference.kind().name().toLowerCase(Locale.ROOT))
                    .raw("\"><td>").text(ReportText.kind(difference.kind())).raw("</td>");
            if (keys) {
                html.raw("<td class=\"key\">");
                key(difference.key());
                html.raw("</td>");
            }
            if (columns) {
                html.raw("<td class=\"columns\">");
                codes(difference.columns());
                html.raw("</td>");
            }
            html.raw("<td class=\"pre\">").text(difference.detail()).raw("</td></tr>\n");
        }
        html.raw("</tbody>\n</table></div>\n");
    }

    /** {@code id = 17, region = NULL}: an SQL NULL is shown apart from the text 'NULL'. */
    private void key(Map<String, String> key) throws IOException {
        boolean first = true;
        for (Map.Entry<String, String> column : key.entrySet()) {
            html.raw(first ? "" : ", ").raw("<span class=\"kv\"><span class=\"k\">").text(column.getKey())
                    .raw("</span>=");
            if (column.getValue() == null) {
                html.raw("<span class=\"null\">NULL</span>");
            } else {
                html.raw("<code class=\"v pre\">").text(column.getValue()).raw("</code>");
            }
            html.raw("</span>");
            first = false;
        }
    }

    private void codes(List<String> names) throws IOException {
        for (int i = 0; i < names.size(); i++) {
            html.raw(i == 0 ? "<code>" : ", <code>").text(names.get(i)).raw("</code>");
        }
    }

    /** What could not be read or compared and why: incomplete first (they keep the verdict from a match), then skipped. */
    private void notCompared(VerificationReport report) throws IOException {
        boolean titled = false;
        for (Outcome wanted : new Outcome[] {Outcome.INCOMPLETE, Outcome.SKIPPED}) {
            for (TableReport table : report.tables()) {
                if (table.checks().isEmpty() && wanted == Outcome.SKIPPED) {
                    titled = notCompared(titled, Outcome.SKIPPED, table.qualifiedName(), null, "no check applied");
                }
                for (CheckResult check : table.checks()) {
                    if (check.outcome() == wanted) {
                        titled = notCompared(titled, wanted, table.qualifiedName(), check.kind().label(), check.message());
                    }
                }
            }
            for (SequenceReport sequence : report.sequences()) {
                if (sequence.outcome() == wanted) {
                    titled = notCompared(titled, wanted, sequence.qualifiedName(), "sequence", sequence.message());
                }
            }
        }
        if (titled) {
            html.raw("</ul>\n</section>\n");
        }
    }

    private boolean notCompared(boolean titled, Outcome outcome, String name, String check, String why)
            throws IOException {
        if (!titled) {
            heading("not-compared", "Not compared");
            html.raw("<p>What could not be read or compared, and why. Anything INCOMPLETE keeps the verdict from being "
                    + "a match; SKIPPED was not asked for or could not apply.</p>\n<ul class=\"plain not-compared\">\n");
        }
        html.raw("<li class=\"filterable ").raw(HtmlPage.css(outcome)).raw("\" data-outcome=\"")
                .raw(HtmlPage.lower(outcome)).raw("\">");
        HtmlPage.badge(html, outcome);
        html.raw(" <strong>").text(name).raw("</strong>");
        if (check != null) {
            html.raw(", ").text(check);
        }
        html.raw(": <span class=\"pre\">").text(why == null || why.isEmpty() ? "no reason was given" : why)
                .raw("</span></li>\n");
        return true;
    }

    private void sequences(VerificationReport report) throws IOException {
        if (report.sequences().isEmpty()) {
            return;
        }
        heading("sequences", "Sequences");
        html.raw("<div class=\"scroll\"><table class=\"sequences\">\n<thead><tr><th scope=\"col\">Sequence</th>"
                + "<th scope=\"col\">Verdict</th><th scope=\"col\">Owned by</th><th scope=\"col\" class=\"n\">Source next</th>"
                + "<th scope=\"col\" class=\"n\">Target next</th><th scope=\"col\" class=\"n\">Column max</th>"
                + "<th scope=\"col\">Detail</th></tr></thead>\n<tbody>\n");
        for (SequenceReport sequence : report.sequences()) {
            Outcome outcome = sequence.outcome();
            html.raw("<tr class=\"filterable sequence ").raw(HtmlPage.css(outcome)).raw("\" data-outcome=\"")
                    .raw(HtmlPage.lower(outcome)).raw("\"><td class=\"name\">").text(sequence.qualifiedName())
                    .raw("</td><td>");
            HtmlPage.badge(html, outcome);
            html.raw("</td><td>").text(sequence.ownedBy()).raw("</td><td class=\"n\">");
            nullableCount(sequence.sourceNextValue());
            html.raw("</td><td class=\"n\">");
            nullableCount(sequence.targetNextValue());
            html.raw("</td><td class=\"n\">");
            nullableCount(sequence.targetColumnMax());
            html.raw("</td><td>");
            for (Difference difference : sequence.differences()) {
                html.raw("<div class=\"difference\" data-kind=\"")
                        .raw(difference.kind().name().toLowerCase(Locale.ROOT)).raw("\">")
                        .text(ReportText.kind(difference.kind())).raw(": <span class=\"pre\">")
                        .text(difference.detail()).raw("</span></div>");
            }
            if (!sequence.message().isEmpty()) {
                html.raw("<div class=\"message pre\">").text(sequence.message()).raw("</div>");
            }
            html.raw("</td></tr>\n");
        }
        html.raw("</tbody>\n</table></div>\n</section>\n");
    }

    private void extraTables(VerificationReport report) throws IOException {
        if (report.extraTables().isEmpty()) {
            return;
        }
        heading("extra", "On the target only");
        html.raw("<p>Not compared, and not a difference.</p>\n<ul class=\"plain extra\">\n");
        for (String table : report.extraTables()) {
            html.raw("<li>").text(table).raw("</li>\n");
        }
        html.raw("</ul>\n</section>\n");
    }

    private void warnings(VerificationReport report) throws IOException {
        if (report.warnings().isEmpty()) {
            return;
        }
        heading("warnings", "Warnings");
        html.raw("<ul class=\"plain warnings\">\n");
        for (String warning : report.warnings()) {
            html.raw("<li class=\"pre\">").text(warning).raw("</li>\n");
        }
        html.raw("</ul>\n</section>\n");
    }

    /** Opens a section; its caller closes it. */
    private void heading(String id, String title) throws IOException {
        String h = Integer.toString(level);
        html.raw("<section id=\"").raw(ids).raw(id).raw("\" class=\"").raw(id).raw("\">\n<h").raw(h).raw(">")
                .text(title).raw("</h").raw(h).raw(">\n");
    }
}
