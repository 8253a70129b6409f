package io.pgverify.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

import io.pgverify.FleetReport;
import io.pgverify.Shard;

class HtmlFleetReportWriterTest {

    private static final ReportOptions OPTIONS = new ReportOptions("0.1.0", false, null, null);

    private static String html(FleetReport report, ReportOptions options) throws IOException {
        StringWriter out = new StringWriter();
        FleetReportWriter.of(ReportFormat.HTML).write(report, options, out);
        return out.toString();
    }

    private static Document parse(FleetReport report) throws IOException {
        return Jsoup.parse(html(report, OPTIONS));
    }

    @Test
    void isTheFleetWriterOfTheHtmlFormat() {
        assertThat(FleetReportWriter.of(ReportFormat.HTML)).isInstanceOf(HtmlFleetReportWriter.class);
    }

    @Test
    void theFleetsVerdictComesFirst() throws IOException {
        Document page = parse(HtmlFixtures.fleet());

        Element verdict = page.body().child(0);
        assertThat(verdict.id()).isEqualTo("verdict");
        assertThat(verdict.attr("data-outcome")).isEqualTo("mismatch");
        assertThat(verdict.selectFirst("h1").text()).endsWith("MISMATCH");
        assertThat(verdict.text()).contains("1 pair has differences")
                .contains("4 pairs: 1 MATCH, 1 MISMATCH, 2 INCOMPLETE; 4m 00s");
        assertThat(page.selectFirst("dl.meta").text()).contains("Pairs 4").contains("2025-03-01 10:15:30 UTC")
                .contains("4m 00s").contains("pgverify 0.1.0");
    }

    @Test
    void aMatchingFleetAndAnEmptyOneSayWhatTheyAre() throws IOException {
        assertThat(parse(HtmlFixtures.matchingFleet()).getElementById("verdict").attr("data-outcome")).isEqualTo("match");

        Document empty = parse(new FleetReport(List.of(), null, ReportFixtures.STARTED, Duration.ZERO));
        assertThat(empty.getElementById("verdict").attr("data-outcome")).isEqualTo("incomplete");
        assertThat(empty.getElementById("verdict").text()).contains("proves nothing");
        assertThat(empty.getElementById("pairs").text()).contains("No pairs were verified");
    }

    @Test
    void oneRowPerPairWithItsVerdictThenEachPairInFull() throws IOException {
        FleetReport fleet = HtmlFixtures.fleet();
        Document page = parse(fleet);

        Elements rows = page.select("table.pairs > tbody > tr");
        assertThat(rows.eachAttr("data-outcome")).containsExactly("match", "mismatch", "incomplete", "incomplete");
        assertThat(rows.stream().map(row -> row.selectFirst("td.name").text()).toList())
                .containsExactly("billing", "shop-eu", "crm", HtmlFixtures.PAIR_NAME);
        assertThat(rows.stream().map(row -> row.selectFirst("td.name a").attr("href")).toList())
                .containsExactly("#p0", "#p1", "#p2", "#p3");
        assertThat(rows.get(1).select("td").eachText()).contains("7", "1,001,810", "1,214", "3m 12s");
        assertThat(rows.get(2).text()).contains("connection refused");

        Elements pairs = page.select("section.pair");
        assertThat(pairs.eachAttr("id")).containsExactly("p0", "p1", "p2", "p3");
        assertThat(pairs.eachAttr("data-outcome")).containsExactly("match", "mismatch", "incomplete", "incomplete");
        assertThat(pairs.get(0).select("table.tables > tbody > tr")).hasSize(2);
        assertThat(pairs.get(1).select("table.tables > tbody > tr")).hasSize(7);
        assertThat(pairs.get(1).select("#p1-t0 tr.difference").eachAttr("data-kind"))
                .containsExactly("row_count", "missing_on_target", "different", "extra_on_target");
        assertThat(pairs.get(1).selectFirst("#p1-t0 td.key").text()).isEqualTo("id=17");
        assertThat(pairs.get(2).text()).contains("Could not be verified")
                .contains("Could not connect to crm-db.example.com:5432: connection refused")
                .contains("never as a match");
        assertThat(pairs.get(3).select("#p3-not-compared li").text()).contains("public.events")
                .contains("statement timeout");
    }

    @Test
    void idsAreUniqueAcrossPairs() throws IOException {
        Document page = parse(HtmlFixtures.fleet());

        List<String> ids = page.select("[id]").eachAttr("id");
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(page.select("a[href]").eachAttr("href"))
                .allSatisfy(href -> assertThat(ids).contains(href.substring(1)));
    }

    @Test
    void theFiltersCountPairs() throws IOException {
        Element filters = parse(HtmlFixtures.fleet()).getElementById("filters");

        assertThat(filters.hasAttr("hidden")).isTrue();
        assertThat(filters.select("label").eachText())
                .containsExactly("\u2713 MATCH 1", "\u2717 MISMATCH 1", "! INCOMPLETE 2");
    }

    @Test
    void escapesAHostilePairName() throws IOException {
        FleetReport fleet = new FleetReport(List.of(
                io.pgverify.PairReport.of(HtmlFixtures.SCRIPT_NAME, HtmlFixtures.hostile()),
                io.pgverify.PairReport.failed(HtmlFixtures.IMG_NAME, "refused <b>" + HtmlFixtures.INVISIBLE,
                        Duration.ofSeconds(1))), null, ReportFixtures.STARTED, Duration.ofSeconds(2));
        String html = html(fleet, OPTIONS);
        Document page = Jsoup.parse(html);

        assertThat(page.select("script")).hasSize(1);
        assertThat(page.select("img, b, [src], [onerror], [onmouseover]")).isEmpty();
        assertThat(page.select("section.pair .pair-name").eachText())
                .containsExactly(HtmlFixtures.SCRIPT_NAME, HtmlFixtures.IMG_NAME);
        assertThat(page.select("table.pairs td.name").eachText())
                .containsExactly(HtmlFixtures.SCRIPT_NAME, HtmlFixtures.IMG_NAME);
        assertThat(html.chars().allMatch(c -> c < 0x80)).isTrue();
    }

    @Test
    void showsTheShardFromTheOptionsOrTheFleet() throws IOException {
        String fromOptions = Jsoup.parse(html(HtmlFixtures.matchingFleet(),
                OPTIONS.withShard("ab12cd34", Shard.parse("1/3")))).selectFirst("dl.meta").text();
        assertThat(fromOptions).contains("Shard 1/3 (share 2 of 3), plan ab12cd34");

        FleetReport sharded = new FleetReport(HtmlFixtures.matchingFleet().pairs(), "2/8", ReportFixtures.STARTED,
                Duration.ofSeconds(3));
        assertThat(Jsoup.parse(html(sharded, OPTIONS)).selectFirst("dl.meta").text()).contains("Shard 2/8 (share 3 of 8)");

        assertThat(parse(HtmlFixtures.matchingFleet()).selectFirst("dl.meta").text()).doesNotContain("Shard");
    }

    @Test
    void isSelfContained() throws IOException {
        String html = html(HtmlFixtures.fleet(), OPTIONS);
        Document page = Jsoup.parse(html);

        assertThat(page.select("[src], link")).isEmpty();
        assertThat(page.select("[href]").eachAttr("href")).allSatisfy(href -> assertThat(href).startsWith("#"));
        assertThat(html).doesNotContainIgnoringCase("@import").doesNotContainIgnoringCase("url(")
                .doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://");
    }
}
