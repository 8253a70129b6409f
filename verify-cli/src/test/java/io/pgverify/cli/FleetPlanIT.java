package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

/**
 * A fleet planned once ({@code plan --pairs FILE --shards N}): pairs balanced by their sources' sizes, each in
 * exactly one shard, verified by {@code verify --plan --shard I/N} and merged to the single-process verdict.
 */
@ExtendWith(PostgresPairExtension.class)
class FleetPlanIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pairsAreBalancedBySizeEachInOneShardAndMergeToTheSingleProcessVerdict(DatabasePair big, DatabasePair shop,
                                                                               DatabasePair billing, @TempDir Path dir)
            throws IOException {
        big.both("CREATE TABLE readings (id int PRIMARY KEY, v text)",
                "INSERT INTO readings SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 40000) g");
        shop.both("CREATE TABLE customers (id int PRIMARY KEY, email text)",
                "INSERT INTO customers SELECT g, g || '@example.com' FROM generate_series(1, 100) g");
        billing.both("CREATE TABLE invoices (id int PRIMARY KEY, total numeric)",
                "INSERT INTO invoices SELECT g, g * 1.5 FROM generate_series(1, 100) g");
        billing.target().execute("DELETE FROM invoices WHERE id = 42");
        Path pairs = dir.resolve("pairs.yaml");
        Files.writeString(pairs, "pairs:\n"
                + pair("big", big) + pair("shop", shop) + pair("billing", billing));
        Path plan = dir.resolve("plan.json");

        CliRun planned = CliRun.of("plan", "--pairs", pairs.toString(), "--shards", "2", "--output", plan.toString());
        assertThat(planned.exitCode()).as(planned.toString()).isZero();

        JsonNode json = JSON.readTree(plan.toFile());
        assertThat(json.get("kind").asText()).isEqualTo("pairs");
        Map<String, Integer> shardOf = new TreeMap<>();
        json.get("pairs").forEach(pair -> shardOf.put(pair.get("name").asText(), pair.get("shard").asInt()));
        assertThat(shardOf).containsOnlyKeys("big", "shop", "billing");
        // The largest source alone in one shard, the two small ones together in the other.
        assertThat(shardOf.get("shop")).isEqualTo(shardOf.get("billing")).isNotEqualTo(shardOf.get("big"));
        assertThat(json.toString()).doesNotContain(big.source().password());

        List<String> merge = new ArrayList<>(List.of("merge-reports", "--format", "json", "--report",
                dir.resolve("merged.json").toString(), "-q"));
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path report = dir.resolve("shard-" + i + ".json");
            CliRun shard = CliRun.of("verify", "--plan", plan.toString(), "--shard", i + "/2", "--format", "json",
                    "--report", report.toString(), "-q");
            assertThat(shard.exitCode()).as(shard.toString()).isEqualTo(i == shardOf.get("billing") ? 1 : 0);
            JsonNode written = JSON.readTree(report.toFile());
            assertThat(written.get("shard").get("plan_digest").asText()).isEqualTo(json.get("digest").asText());
            written.get("pairs").forEach(pair -> seen.add(pair.get("name").asText()));
            merge.add(report.toString());
        }
        assertThat(seen).as("each pair in exactly one shard").containsExactlyInAnyOrder("big", "shop", "billing");

        CliRun merged = CliRun.of(merge.toArray(String[]::new));
        assertThat(merged.exitCode()).as(merged.toString()).isEqualTo(1);
        CliRun single = CliRun.of("verify", "--pairs", pairs.toString(), "--format", "json", "--report",
                dir.resolve("single.json").toString(), "-q");
        assertThat(single.exitCode()).as(single.toString()).isEqualTo(1);
        JsonNode mergedJson = JSON.readTree(dir.resolve("merged.json").toFile());
        JsonNode singleJson = JSON.readTree(dir.resolve("single.json").toFile());
        assertThat(mergedJson.get("outcome")).isEqualTo(singleJson.get("outcome"));
        assertThat(mergedJson.get("totals")).isEqualTo(singleJson.get("totals"));
        assertThat(outcomes(mergedJson)).isEqualTo(outcomes(singleJson));

        CliRun missing = CliRun.of("merge-reports", dir.resolve("shard-0.json").toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(3);
        assertThat(missing.err()).contains("shard 1/2 is missing");

        // A pairs file changed since the plan is refused: its new pair would be in no shard.
        Files.writeString(pairs, Files.readString(pairs) + pair("late", shop));
        CliRun changed = CliRun.of("verify", "--plan", plan.toString(), "--shard", "0/2", "-q");
        assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(2);
        assertThat(changed.err()).contains("changed since the plan was made (pair late");
    }

    private static Map<String, String> outcomes(JsonNode fleet) {
        Map<String, String> outcomes = new TreeMap<>();
        fleet.get("pairs").forEach(pair -> outcomes.put(pair.get("name").asText(), pair.get("outcome").asText()));
        return outcomes;
    }

    private static String pair(String name, DatabasePair db) {
        return "  - name: " + name + "\n    source: " + db.source().libpqUri() + "\n    target: " + db.target().libpqUri() + "\n";
    }
}
