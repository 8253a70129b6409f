package io.pgverify.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Outcome;
import io.pgverify.Shard;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;

class HtmlReportWriterTest {

    private static String html(VerificationReport report, ReportOptions options) {
        return ReportWriter.of(ReportFormat.HTML).toString(report, options);
    }

    private static Document parse(VerificationReport report) {
        return Jsoup.parse(html(report, ReportFixtures.OPTIONS));
    }

    @Test
    void isTheWriterOfTheHtmlFormat() {
        assertThat(ReportWriter.of(ReportFormat.HTML)).isInstanceOf(HtmlReportWriter.class);
        assertThat(ReportFormat.HTML.label()).isEqualTo("html");
    }

    @Test
    void theVerdictComesFirstInColourAndInWords() {
        Document page = parse(ReportFixtures.mismatched());

        Element verdict = page.body().child(0);
        assertThat(verdict.id()).isEqualTo("verdict");
        assertThat(verdict.attr("data-outcome")).isEqualTo("mismatch");
        assertThat(verdict.hasClass("o-mismatch")).isTrue();
        assertThat(verdict.selectFirst("h1").text()).endsWith("MISMATCH");
        assertThat(verdict.select("p").text()).contains("Differences found")
                .contains("7 tables").contains("1,001,810 rows compared").contains("1,214 differences").contains("3m 12s");
        assertThat(page.title()).contains("MISMATCH");
    }

    @Test
    void aMatchAndAnEmptyVerificationSayWhatTheyAre() {
        Element match = parse(ReportFixtures.matching()).getElementById("verdict");
        assertThat(match.attr("data-outcome")).isEqualTo("match");
        assertThat(match.text()).contains("MATCH").contains("same data");

        Document empty = parse(ReportFixtures.empty());
        assertThat(empty.getElementById("verdict").attr("data-outcome")).isEqualTo("incomplete");
        assertThat(empty.getElementById("verdict").text()).contains("INCOMPLETE").contains("proves nothing");
        assertThat(empty.getElementById("tables").text()).contains("No tables were selected");
        assertThat(empty.getElementById("warnings").text()).contains("No table matched --include 'nothing.*'");
    }

    @Test
    void showsWhoWasComparedWhenAndWithWhat() {
        Document page = parse(ReportFixtures.mismatched());

        String facts = page.selectFirst("dl.meta").text();
        assertThat(facts).contains("postgresql://app:****@old-db.example.com:5432/shop (PostgreSQL 13.18)")
                .contains("postgresql://app:****@new-db.example.com:5432/shop (PostgreSQL 17.4)")
                .contains("schema, sequences, counts, last-rows, hashes")
                .contains("2025-03-01 10:15:30 UTC").contains("3m 12s").contains("1,001,810").contains("pgverify 0.1.0");
        assertThat(page.selectFirst("dl.meta time").attr("datetime")).isEqualTo("2025-03-01T10:15:30Z");
        assertThat(facts).doesNotContain("Shard");
    }

    @Test
    void showsTheShardAndPlanWhenTheReportIsOneShard() {
        ReportOptions sharded = ReportFixtures.OPTIONS.withShard("9f86d081884c7d65", Shard.parse("2/8"));

        String facts = Jsoup.parse(html(ReportFixtures.matching(), sharded)).selectFirst("dl.meta").text();

        assertThat(facts).contains("Shard 2/8 (share 3 of 8), plan 9f86d081884c7d65");
    }

    @Test
    void oneRowPerTableWithItsVerdict() {
        VerificationReport report = ReportFixtures.mismatched();
        Elements rows = parse(report).select("table.tables > tbody > tr");

        List<String> outcomes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (TableReport table : report.tables()) {
            outcomes.add(HtmlPage.lower(table.outcome()));
            names.add(table.qualifiedName());
        }
        assertThat(rows.eachAttr("data-outcome")).containsExactlyElementsOf(outcomes);
        assertThat(rows.stream().map(row -> row.selectFirst("td.name").text()).toList()).containsExactlyElementsOf(names);
        assertThat(rows).allSatisfy(row -> assertThat(row.hasClass("filterable")).isTrue());
        Element orders = rows.get(0);
        assertThat(orders.select("td").eachText()).containsExactly("public.orders", "\u2717 MISMATCH",
                "schema \u2713 counts \u2717 last-rows \u2713 hashes \u2717", "1,000,000", "1,000,000", "999,998",
                "1,205", "12s");
        assertThat(orders.selectFirst("td.name a").attr("href")).isEqualTo("#t0");
        assertThat(rows.get(3).selectFirst("td.name a")).as("a matching table has no details to link to").isNull();
    }

    @Test
    void listsTheDifferingKeysAndColumns() {
        Document page = parse(ReportFixtures.mismatched());

        Element orders = page.getElementById("t0");
        assertThat(orders.attr("data-outcome")).isEqualTo("mismatch");
        Element hashes = orders.selectFirst("div.check[data-check=hashes]");
        Elements differences = hashes.select("tr.difference");
        assertThat(differences.eachAttr("data-kind")).containsExactly("missing_on_target", "different", "extra_on_target");
        assertThat(differences.get(1).selectFirst("td.key").text()).isEqualTo("id=42");
        assertThat(differences.get(1).select("td.columns code").eachText()).containsExactly("total", "status");
        assertThat(hashes.selectFirst("p.more").text()).isEqualTo("\u2026 and 1,201 more (limit 3)");
        assertThat(hashes.text()).contains("1,204 differences").contains("1,000,000 rows compared");

        Element composite = page.getElementById("t5");
        assertThat(composite.selectFirst("td.key").text()).isEqualTo("order_id=7, line_no=NULL");
        assertThat(composite.select("td.key .null")).as("SQL NULL is told apart from the text 'NULL'").hasSize(1);

        Element odd = page.getElementById("t2");
        assertThat(odd.selectFirst(".table-name").text()).isEqualTo(ReportFixtures.mismatched().tables().get(2).qualifiedName());
        assertThat(odd.select("tr.difference td.columns").eachText()).containsExactly("note \"internal\"", "amount");
    }

    @Test
    void saysWhatCouldNotBeComparedAndWhy() {
        Document page = parse(ReportFixtures.mismatched());

        Elements items = page.select("#not-compared li");
        assertThat(items.eachAttr("data-outcome")).startsWith("incomplete", "incomplete").contains("skipped");
        assertThat(items.get(0).text()).contains("public.customers").contains("hashes")
                .contains("canceling statement due to statement timeout");
        assertThat(items.get(1).text()).contains("billing.ticket_seq").contains("permission denied for sequence");
        assertThat(items.eachText()).anySatisfy(item -> assertThat(item).contains("public.audit_log")
                .contains("excluded by --skip-rows"));
    }

    @Test
    void showsSequencesTablesOnTheTargetOnlyAndWarnings() {
        Document page = parse(ReportFixtures.mismatched());

        Elements sequences = page.select("table.sequences > tbody > tr");
        assertThat(sequences.eachAttr("data-outcome"))
                .containsExactly("match", "mismatch", "mismatch", "mismatch", "incomplete");
        assertThat(sequences.get(1).text()).contains("public.customers_id_seq").contains("52,001")
                .contains("sequence behind");
        assertThat(page.select("#extra li").eachText()).containsExactly("public.tmp_import", "public.\"Staging\"");
        assertThat(page.select("#warnings li")).hasSize(2);
    }

    @Test
    void theFiltersAreHiddenUntilTheScriptShowsThemAndCountEachVerdict() {
        Document page = parse(ReportFixtures.mismatched());

        Element filters = page.getElementById("filters");
        assertThat(filters.hasAttr("hidden")).as("without scripts everything is shown and nothing is clickable").isTrue();
        assertThat(filters.select("input[type=checkbox]").eachAttr("data-outcome-filter"))
                .containsExactly("match", "mismatch", "incomplete", "skipped");
        assertThat(filters.select("input[type=checkbox]")).allSatisfy(box -> assertThat(box.hasAttr("checked")).isTrue());
        // 7 tables and 5 sequences: 2 match, 7 mismatch, 2 incomplete, 1 skipped.
        assertThat(filters.select("label").eachText()).containsExactly("\u2713 MATCH 2", "\u2717 MISMATCH 7",
                "! INCOMPLETE 2", "\u2013 SKIPPED 1");
        assertThat(page.select("style").first().data())
                .as("rows are hidden by the filters on screen only, never in print")
                .containsPattern("@media screen \\{\\s*\\.hide-match \\.filterable\\[data-outcome=\"match\"\\]")
                .contains("@media print").contains(".filters { display: none !important; }");
    }

    @Test
    void theVerdictColoursAreTheStyleSheets() {
        for (Outcome outcome : Outcome.values()) {
            assertThat(HtmlPage.STYLE).contains("--" + HtmlPage.lower(outcome) + ": " + HtmlPage.COLOURS.get(outcome) + ";")
                    .contains(".o-" + HtmlPage.lower(outcome) + " { --c: var(--" + HtmlPage.lower(outcome) + "); }");
        }
    }

    @Test
    void readsOnAPhone() {
        Document page = parse(ReportFixtures.mismatched());

        assertThat(page.selectFirst("meta[name=viewport]").attr("content")).isEqualTo("width=device-width, initial-scale=1");
        assertThat(page.select("table")).as("every wide table scrolls inside its own box, not the page")
                .allSatisfy(table -> assertThat(table.parent().hasClass("scroll")).isTrue());
    }

    @Test
    void isSelfContained() {
        String html = html(ReportFixtures.mismatched(), ReportFixtures.OPTIONS);
        Document page = Jsoup.parse(html);

        assertThat(page.select("[src]")).isEmpty();
        assertThat(page.select("link")).isEmpty();
        assertThat(page.select("[href]").eachAttr("href")).isNotEmpty().allSatisfy(href -> assertThat(href).startsWith("#"));
        assertThat(html).doesNotContainIgnoringCase("@import").doesNotContainIgnoringCase("url(")
                .doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://")
                .doesNotContainIgnoringCase("@font-face");
        assertThat(page.select("script")).hasSize(1);
        assertThat(page.select("style")).hasSize(1);
        assertThat(List.of(HtmlPage.STYLE, HtmlPage.SCRIPT)).as("inlined raw: nothing in them may end their element")
                .allSatisfy(inlined -> assertThat(inlined).doesNotContain("</"));
        assertThat(page.selectFirst("footer").text()).contains("pgverify 0.1.0").contains("2025-03-01 10:15:30 UTC");
    }

    @Test
    void itsPolicyAllowsItsOwnStyleAndScriptAndNothingElse() throws Exception {
        Document page = parse(ReportFixtures.mismatched());

        String policy = page.selectFirst("meta[http-equiv=Content-Security-Policy]").attr("content");
        assertThat(policy).startsWith("default-src 'none';")
                .contains("style-src '" + sha256(page.selectFirst("style").data()) + "'")
                .contains("script-src '" + sha256(page.selectFirst("script").data()) + "'")
                .doesNotContain("unsafe-inline").doesNotContain("http");
        assertThat(page.head().child(0).attr("charset")).isEqualTo("utf-8");
        assertThat(page.head().child(1).attr("http-equiv")).as("the policy comes before any style or script")
                .isEqualTo("Content-Security-Policy");
    }

    @Test
    void escapesHostileNamesKeysAndMessages() {
        VerificationReport report = HtmlFixtures.hostile();
        String html = html(report, ReportFixtures.OPTIONS);
        Document page = Jsoup.parse(html);

        assertThat(page.select("script")).as("only the report's own script").hasSize(1);
        assertThat(page.selectFirst("script").data()).isEqualTo(HtmlPage.SCRIPT);
        assertThat(page.select("img, b, i, a[href^=http]")).isEmpty();
        assertThat(page.select("style")).hasSize(1);
        assertThat(page.getAllElements()).allSatisfy(element -> {
            for (Attribute attribute : element.attributes()) {
                assertThat(attribute.getKey()).as("no event handler attribute").doesNotStartWith("on");
            }
        });

        Elements rows = page.select("table.tables > tbody > tr");
        assertThat(rows.get(0).selectFirst("td.name").text()).isEqualTo(report.tables().get(0).qualifiedName());
        Element key = page.selectFirst("#t0 td.key");
        assertThat(key.selectFirst(".k").text()).isEqualTo(HtmlFixtures.COLUMN);
        assertThat(key.selectFirst("code.v").wholeText()).isEqualTo(HtmlFixtures.KEY_VALUE);
        assertThat(page.select("#t0 td.columns code").eachText()).containsExactly(HtmlFixtures.COLUMN, "<b>");
        assertThat(page.selectFirst("#t0 .message").text()).isEqualTo("message with <a href=\"https://evil.example\">a link</a>");
        assertThat(page.selectFirst("#t0 .check").attr("data-check")).isEqualTo("hashes");

        String invisible = rows.get(1).selectFirst("td.name").text();
        assertThat(invisible).as("bidi override, NUL, lone surrogate and noncharacter become U+FFFD")
                .contains("abc\uFFFDdef\uFFFDghi\uFFFDjkl\uFFFD").doesNotContain("\u202E", "\u0000", "\uFFFF");
        assertThat(page.select("#extra li").text()).isEqualTo("<style>@import url(https://evil)</style>");
        assertThat(page.select("#warnings li").text()).startsWith("warning <script src=");
    }

    @Test
    void isAsciiSoAnyWriterEncodingCarriesIt() {
        String html = html(ReportFixtures.mismatched(), ReportFixtures.OPTIONS);

        assertThat(html.chars().allMatch(c -> c < 0x80)).isTrue();
        assertThat(Jsoup.parse(html).text()).contains(ReportFixtures.ODD_NAME);
    }

    @Test
    void escapesEveryCharacterThatEndsTextOrAnAttribute() {
        assertThat(HtmlOutput.escape("<a href=\"x\" title='y'>&amp;</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
        assertThat(HtmlOutput.escape("tab\tline\nend\r")).isEqualTo("tab\tline\nend\r");
        assertThat(HtmlOutput.escape("\u00FC\u6CE8 \uD83D\uDE00")).isEqualTo("&#xFC;&#x6CE8; &#x1F600;");
        assertThat(HtmlOutput.escape("\u0000\u001B\u007F\u0085\uDC00x\uD800")).isEqualTo("&#xFFFD;".repeat(5) + "x&#xFFFD;");
        assertThat(HtmlOutput.escape(null)).isEmpty();
    }

    @Test
    void writesAsItGoesNeverTheWholePageAtOnceAndLeavesTheWriterOpen() throws IOException {
        List<TableReport> tables = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            tables.add(new TableReport("public", "table_" + i, List.of("id"), 10L, 10L, List.of(
                    ReportFixtures.match(CheckKind.COUNTS, 0, 1),
                    new CheckResult(CheckKind.HASHES, i % 2 == 0 ? Outcome.MATCH : Outcome.MISMATCH,
                            List.of(ReportFixtures.row(io.pgverify.DifferenceKind.MISSING_ON_TARGET, List.of(), "",
                                    "id", Integer.toString(i))).subList(0, i % 2), i % 2, 10, "", Duration.ofMillis(2)))));
        }
        VerificationReport big = new VerificationReport(ReportFixtures.SOURCE, ReportFixtures.TARGET,
                Set.of(CheckKind.COUNTS, CheckKind.HASHES), tables, List.of(), List.of(), List.of(),
                ReportFixtures.STARTED, Duration.ofSeconds(5));
        ChunkWriter out = new ChunkWriter();

        ReportWriter.of(ReportFormat.HTML).write(big, ReportFixtures.OPTIONS, out);

        assertThat(out.total).as("a page of 5,000 tables").isGreaterThan(2_000_000);
        assertThat(out.largest).as("the page reached the writer a buffer at a time").isLessThanOrEqualTo(16 * 1024);
        assertThat(out.flushed).isTrue();
        assertThat(out.closed).isFalse();
    }

    private static String sha256(String text) throws Exception {
        return "sha256-" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Counts what it is handed and remembers the largest single write. */
    private static final class ChunkWriter extends Writer {
        long total;
        int largest;
        boolean flushed;
        boolean closed;

        @Override
        public void write(char[] buffer, int offset, int length) {
            total += length;
            largest = Math.max(largest, length);
        }

        @Override
        public void flush() {
            flushed = true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
