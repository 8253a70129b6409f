package io.pgverify.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.DifferenceKind;
import io.pgverify.ErrorCode;
import io.pgverify.Outcome;
import io.pgverify.Shard;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;
import io.pgverify.VerifyException;

class JsonReportReaderTest {

    private static String json(VerificationReport report, ReportOptions options) {
        return ReportWriter.of(ReportFormat.JSON).toString(report, options);
    }

    @Test
    void whatTheWriterWritesReadsBackToTheSameReport() throws IOException {
        for (VerificationReport report : List.of(ReportFixtures.mismatched(), ReportFixtures.matching(),
                ReportFixtures.empty(), ReportFixtures.hostile())) {
            String written = json(report, ReportFixtures.OPTIONS);

            JsonReportReader.Parsed read = JsonReportReader.read(new StringReader(written));

            assertThat(read.isFleet()).isFalse();
            assertThat(read.shard()).isNull();
            assertThat(read.report()).usingRecursiveComparison().isEqualTo(report);
            assertThat(json(read.report(), ReportFixtures.OPTIONS)).isEqualTo(written);
        }
    }

    @Test
    void aShardsReportReadsBackWithItsPlanShardAndRanges() throws IOException {
        ReportOptions options = ReportFixtures.OPTIONS.withShard("abc123", new Shard(1, 3));
        List<ShardCoverage> coverage = List.of(new ShardCoverage("public.orders", 30, List.of(10, 11, 12)),
                new ShardCoverage("public.customers", 1, List.of()));
        String written = ShardCoverage.jsonWriter(coverage).toString(ReportFixtures.matching(), options);

        JsonReportReader.Parsed read = JsonReportReader.read(new StringReader(written));

        assertThat(read.planDigest()).isEqualTo("abc123");
        assertThat(read.shard()).isEqualTo(new Shard(1, 3));
        assertThat(read.coverage()).isEqualTo(coverage);
        assertThat(ShardCoverage.jsonWriter(coverage).toString(read.report(), options)).isEqualTo(written);
    }

    @Test
    void textThatIsNoReportIsRefused() {
        assertThatThrownBy(() -> JsonReportReader.read(new StringReader("{\"format_version\": 7}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format_version 7");
        assertThatThrownBy(() -> JsonReportReader.read(new StringReader("[1, ")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static JsonReportReader.Parsed shard(int index, int count, String digest, TableReport... tables) throws IOException {
        VerificationReport report = new VerificationReport(ReportFixtures.SOURCE, ReportFixtures.TARGET,
                java.util.Set.of(CheckKind.COUNTS, CheckKind.HASHES), List.of(tables), List.of(), List.of(), List.of(),
                ReportFixtures.STARTED, Duration.ofSeconds(1));
        String written = ShardCoverage.jsonWriter(List.of(new ShardCoverage("public.orders", count, List.of(index))))
                .toString(report, ReportFixtures.OPTIONS.withShard(digest, new Shard(index, count)));
        return JsonReportReader.read(new StringReader(written));
    }

    private static TableReport orders(long source, long target, CheckResult hashes) {
        return new TableReport("public", "orders", List.of("id"), source, target, List.of(
                new CheckResult(CheckKind.COUNTS, source == target ? Outcome.MATCH : Outcome.MISMATCH, List.of(), 
                        source == target ? 0 : 1, 0, "", Duration.ZERO), hashes));
    }

    @Test
    void countsThatDifferPerShardButAgreeInTotalMatchAsInOneRun() throws IOException {
        Map<String, JsonReportReader.Parsed> shards = new LinkedHashMap<>();
        shards.put("a", shard(0, 2, "p", orders(100, 101, new CheckResult(CheckKind.HASHES, Outcome.MISMATCH,
                List.of(ReportFixtures.row(DifferenceKind.EXTRA_ON_TARGET, List.of(), "", "id", "7")), 1, 100, "", Duration.ZERO))));
        shards.put("b", shard(1, 2, "p", orders(100, 99, new CheckResult(CheckKind.HASHES, Outcome.MISMATCH,
                List.of(ReportFixtures.row(DifferenceKind.MISSING_ON_TARGET, List.of(), "", "id", "150")), 1, 100, "", Duration.ZERO))));

        VerificationReport merged = ShardMerge.merge(shards).report();

        TableReport orders = merged.tables().get(0);
        assertThat(orders.sourceRows()).isEqualTo(200);
        assertThat(orders.targetRows()).isEqualTo(200);
        assertThat(orders.check(CheckKind.COUNTS).orElseThrow().outcome()).isEqualTo(Outcome.MATCH);
        CheckResult hashes = orders.check(CheckKind.HASHES).orElseThrow();
        assertThat(hashes.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(hashes.differenceCount()).isEqualTo(2);
        assertThat(hashes.rowsCompared()).isEqualTo(200);
        assertThat(hashes.differences()).extracting(d -> d.key().get("id")).containsExactly("7", "150");
    }

    @Test
    void aMissingDuplicatedOrForeignShardFailsTheMerge() throws IOException {
        CheckResult match = new CheckResult(CheckKind.HASHES, Outcome.MATCH, List.of(), 0, 100, "", Duration.ZERO);
        Map<String, JsonReportReader.Parsed> missing = new LinkedHashMap<>();
        missing.put("s0.json", shard(0, 3, "p", orders(100, 100, match)));
        missing.put("s2.json", shard(2, 3, "p", orders(100, 100, match)));
        assertThatThrownBy(() -> ShardMerge.merge(missing)).isInstanceOf(VerifyException.class)
                .hasMessageContaining("shard 1/3 is missing")
                .satisfies(e -> assertThat(((VerifyException) e).errorCode()).isEqualTo(ErrorCode.INCOMPLETE));

        Map<String, JsonReportReader.Parsed> twice = new LinkedHashMap<>(missing);
        twice.put("s1.json", shard(1, 3, "p", orders(100, 100, match)));
        twice.put("copy.json", shard(2, 3, "p", orders(100, 100, match)));
        assertThatThrownBy(() -> ShardMerge.merge(twice)).hasMessageContaining("Shard 2/3 is given twice (s2.json and copy.json)");

        Map<String, JsonReportReader.Parsed> foreign = new LinkedHashMap<>(missing);
        foreign.put("s1.json", shard(1, 3, "other", orders(100, 100, match)));
        assertThatThrownBy(() -> ShardMerge.merge(foreign)).hasMessageContaining("s1.json is a shard of another plan");
    }

    @Test
    void aShardThatRanOtherChecksFailsTheMerge() throws IOException {
        CheckResult match = new CheckResult(CheckKind.HASHES, Outcome.MATCH, List.of(), 0, 100, "", Duration.ZERO);
        Map<String, JsonReportReader.Parsed> shards = new LinkedHashMap<>();
        shards.put("s0.json", shard(0, 2, "p", orders(100, 100, match)));
        VerificationReport countsOnly = new VerificationReport(ReportFixtures.SOURCE, ReportFixtures.TARGET,
                java.util.Set.of(CheckKind.COUNTS), List.of(), List.of(), List.of(), List.of(), ReportFixtures.STARTED,
                Duration.ofSeconds(1));
        String written = ShardCoverage.jsonWriter(List.of(new ShardCoverage("public.orders", 2, List.of(1))))
                .toString(countsOnly, ReportFixtures.OPTIONS.withShard("p", new Shard(1, 2)));
        shards.put("s1.json", JsonReportReader.read(new StringReader(written)));

        assertThatThrownBy(() -> ShardMerge.merge(shards)).isInstanceOf(VerifyException.class)
                .hasMessageContaining("s1.json ran other checks (counts) than s0.json (counts,hashes)");
    }

    @Test
    void rangesThatNoShardReportsLeaveTheTableIncompleteNeverMatching() throws IOException {
        CheckResult match = new CheckResult(CheckKind.HASHES, Outcome.MATCH, List.of(), 0, 100, "", Duration.ZERO);
        Map<String, JsonReportReader.Parsed> shards = new LinkedHashMap<>();
        // Both shards claim range 0 of 3; ranges 1 and 2 are read by none (reports of a plan that was not one).
        shards.put("s0.json", shard(0, 2, "p", orders(100, 100, match)));
        VerificationReport report = new VerificationReport(ReportFixtures.SOURCE, ReportFixtures.TARGET,
                java.util.Set.of(CheckKind.COUNTS, CheckKind.HASHES), List.of(orders(100, 100, match)), List.of(),
                List.of(), List.of(), ReportFixtures.STARTED, Duration.ofSeconds(1));
        String written = ShardCoverage.jsonWriter(List.of(new ShardCoverage("public.orders", 3, List.of(0))))
                .toString(report, ReportFixtures.OPTIONS.withShard("p", new Shard(1, 2)));
        shards.put("s1.json", JsonReportReader.read(new StringReader(written)));

        VerificationReport merged = ShardMerge.merge(shards).report();

        assertThat(merged.outcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(merged.tables().get(0).check(CheckKind.HASHES).orElseThrow().message())
                .contains("read by no shard");
    }
}
