package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

/**
 * One table bigger than one machine: {@code plan} splits its key ranges over three shards, each shard verifies its
 * own, and {@code merge-reports} gives the verdict one process gives, on the real servers.
 */
@ExtendWith(PostgresPairExtension.class)
class ShardPlanIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 30_000;
    private static final String[] DATA = {
        "CREATE TABLE big (id int PRIMARY KEY, v text NOT NULL)",
        "INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g",
        "CREATE TABLE small (id int PRIMARY KEY, v text)",
        "INSERT INTO small SELECT g, 'x' || g FROM generate_series(1, 50) g",
        "CREATE TABLE keyless (a int, b text)",
        "INSERT INTO keyless SELECT g, 'y' || g FROM generate_series(1, 200) g",
        "CREATE SEQUENCE counter",
        "SELECT setval('counter', 42)",
        "ANALYZE",
    };

    private static String[] args(DatabasePair db, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.add(1, "--source=" + db.source().libpqUri());
        args.add(2, "--target=" + db.target().libpqUri());
        return args.toArray(String[]::new);
    }

    private static CliRun plan(DatabasePair db, Path plan, String chunkRows) {
        CliRun run = CliRun.of(args(db, "plan", "--shards", "3", "--output", plan.toString(), "--chunk-rows", chunkRows, "-q"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    private static CliRun shard(DatabasePair db, Path plan, String shard, Path report) {
        return CliRun.of(args(db, "verify", "--plan", plan.toString(), "--shard", shard, "--format", "json",
                "--report", report.toString(), "-q"));
    }

    private static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    private static JsonNode table(JsonNode report, String name) {
        for (JsonNode table : report.get("tables")) {
            if (table.get("qualified_name").asText().equals(name)) {
                return table;
            }
        }
        return null;
    }

    private static JsonNode check(JsonNode table, String kind) {
        for (JsonNode check : table.get("checks")) {
            if (check.get("check").asText().equals(kind)) {
                return check;
            }
        }
        return null;
    }

    private static List<String> differingKeys(JsonNode report) {
        List<String> keys = new ArrayList<>();
        for (JsonNode table : report.get("tables")) {
            for (JsonNode check : table.get("checks")) {
                for (JsonNode difference : check.get("differences")) {
                    keys.add(table.get("qualified_name").asText() + " " + check.get("check").asText() + " "
                            + difference.get("kind").asText() + " " + difference.get("key"));
                }
            }
        }
        keys.sort(null);
        return keys;
    }

    /** The merged report says what the single-process one says: verdicts, counts and the differing keys. */
    private static void assertSameVerdict(JsonNode merged, JsonNode single) {
        assertThat(merged.get("outcome")).isEqualTo(single.get("outcome"));
        assertThat(merged.get("summary")).isEqualTo(single.get("summary"));
        assertThat(merged.get("checks")).isEqualTo(single.get("checks"));
        assertThat(merged.get("extra_tables")).isEqualTo(single.get("extra_tables"));
        assertThat(merged.get("sequences").size()).isEqualTo(single.get("sequences").size());
        for (JsonNode table : single.get("tables")) {
            JsonNode other = table(merged, table.get("qualified_name").asText());
            assertThat(other).as(table.get("qualified_name").asText()).isNotNull();
            for (String field : List.of("outcome", "source_rows", "target_rows", "rows_compared")) {
                assertThat(other.get(field)).as(table.get("qualified_name").asText() + " " + field).isEqualTo(table.get(field));
            }
            for (JsonNode check : table.get("checks")) {
                JsonNode mergedCheck = check(other, check.get("check").asText());
                assertThat(mergedCheck).as(check.get("check").asText()).isNotNull();
                assertThat(mergedCheck.get("outcome")).isEqualTo(check.get("outcome"));
                assertThat(mergedCheck.get("difference_count")).isEqualTo(check.get("difference_count"));
            }
        }
        assertThat(differingKeys(merged)).isEqualTo(differingKeys(single));
    }

    @ParameterizedTest(name = "a difference in the {0} range")
    @ValueSource(strings = {"first", "middle", "last"})
    void threeShardsCoverEveryRangeOnceAndMergeToTheSingleProcessVerdict(String where, DatabasePair db,
                                                                        @TempDir Path dir) throws IOException {
        db.both(DATA);
        int changed = switch (where) {
            case "first" -> 1;
            case "middle" -> ROWS / 2;
            default -> ROWS;
        };
        db.target().execute("UPDATE big SET v = 'changed' WHERE id = " + changed);
        Path plan = dir.resolve("plan.json");
        plan(db, plan, "1000");

        // The plan: every range of big in exactly one shard, bounds chained from open to open, all three shards used.
        JsonNode planned = read(plan);
        JsonNode big = null;
        for (JsonNode table : planned.get("tables")) {
            if (table.get("table").asText().equals("public.big")) {
                big = table;
            }
        }
        assertThat(big).isNotNull();
        JsonNode ranges = big.get("ranges");
        assertThat(ranges.size()).as("big is split").isGreaterThanOrEqualTo(10);
        TreeSet<Integer> shardsOfBig = new TreeSet<>();
        JsonNode previousUpper = null;
        int shardOfChanged = -1;
        for (int i = 0; i < ranges.size(); i++) {
            JsonNode range = ranges.get(i);
            assertThat(range.get("index").asInt()).isEqualTo(i);
            if (i == 0) {
                assertThat(range.get("lower").isNull()).isTrue();
            } else {
                assertThat(range.get("lower")).as("no gap, no overlap").isEqualTo(previousUpper);
            }
            previousUpper = range.get("upper");
            shardsOfBig.add(range.get("shard").asInt());
            boolean above = range.get("lower").isNull() || changed >= range.get("lower").get(0).asInt();
            boolean below = range.get("upper").isNull() || changed < range.get("upper").get(0).asInt();
            if (above && below) {
                shardOfChanged = range.get("shard").asInt();
            }
        }
        assertThat(previousUpper.isNull()).isTrue();
        assertThat(shardsOfBig).containsExactly(0, 1, 2);
        assertThat(shardOfChanged).isEqualTo(switch (where) {
            case "first" -> 0;
            case "middle" -> 1;
            default -> 2;
        });

        List<Path> reports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path report = dir.resolve("shard-" + i + ".json");
            CliRun run = shard(db, plan, i + "/3", report);
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(i == shardOfChanged ? 1 : 0);
            reports.add(report);
        }

        // What the shards say they read: each range of big once, every row once.
        Map<Integer, Integer> readBy = new TreeMap<>();
        long rowsCompared = 0;
        for (int i = 0; i < 3; i++) {
            JsonNode report = read(reports.get(i));
            assertThat(report.get("shard").get("plan_digest").asText()).isEqualTo(planned.get("digest").asText());
            assertThat(report.get("shard").get("index").asInt()).isEqualTo(i);
            assertThat(report.get("shard").get("count").asInt()).isEqualTo(3);
            for (JsonNode table : report.get("shard_ranges")) {
                if (table.get("table").asText().equals("public.big")) {
                    for (JsonNode range : table.get("ranges")) {
                        assertThat(readBy.put(range.asInt(), i)).as("range " + range + " read twice").isNull();
                    }
                }
            }
            JsonNode bigReport = table(report, "public.big");
            rowsCompared += bigReport == null ? 0 : check(bigReport, "hashes").get("rows_compared").asLong();
            if (bigReport != null && i == shardOfChanged) {
                assertThat(check(bigReport, "hashes").get("differences").get(0).get("key").get("id").asText())
                        .isEqualTo(String.valueOf(changed));
            }
        }
        assertThat(readBy.keySet()).hasSize(ranges.size());
        assertThat(rowsCompared).isEqualTo(ROWS);

        Path merged = dir.resolve("merged.json");
        List<String> merge = new ArrayList<>(List.of("merge-reports", "--format", "json", "--report", merged.toString(), "-q"));
        reports.forEach(report -> merge.add(report.toString()));
        CliRun mergeRun = CliRun.of(merge.toArray(String[]::new));
        assertThat(mergeRun.exitCode()).as(mergeRun.toString()).isEqualTo(1);

        Path single = dir.resolve("single.json");
        CliRun singleRun = CliRun.of(args(db, "verify", "--chunk-rows", "1000", "--format", "json", "--report",
                single.toString(), "-q"));
        assertThat(singleRun.exitCode()).as(singleRun.toString()).isEqualTo(1);
        assertSameVerdict(read(merged), read(single));
        // The last rows check finds a change among the last rows too, in one run as in the merge.
        assertThat(differingKeys(read(merged))).contains("public.big hashes different {\"id\":\"" + changed + "\"}")
                .allSatisfy(key -> assertThat(key).endsWith("{\"id\":\"" + changed + "\"}"));
    }

    @Test
    void aMissingDuplicatedOrForeignShardReportFailsTheMerge(DatabasePair db, @TempDir Path dir) throws IOException {
        db.both(DATA);
        Path plan = dir.resolve("plan.json");
        plan(db, plan, "1000");
        Path[] reports = new Path[3];
        for (int i = 0; i < 3; i++) {
            reports[i] = dir.resolve("shard-" + i + ".json");
            assertThat(shard(db, plan, i + "/3", reports[i]).exitCode()).isZero();
        }
        Path otherPlan = dir.resolve("other-plan.json");
        plan(db, otherPlan, "2000");
        Path foreign = dir.resolve("foreign-1.json");
        assertThat(shard(db, otherPlan, "1/3", foreign).exitCode()).isZero();
        Path out = dir.resolve("merged.json");

        CliRun all = CliRun.of("merge-reports", "--report", out.toString(), "-q", reports[0].toString(),
                reports[1].toString(), reports[2].toString());
        assertThat(all.exitCode()).as(all.toString()).isZero();

        CliRun missing = CliRun.of("merge-reports", "--report", out.toString(), reports[0].toString(), reports[2].toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(3);
        assertThat(missing.err()).contains("shard 1/3 is missing");

        Path copy = dir.resolve("copy-of-2.json");
        Files.copy(reports[2], copy);
        CliRun twice = CliRun.of("merge-reports", "--report", out.toString(), reports[0].toString(), reports[1].toString(),
                reports[2].toString(), copy.toString());
        assertThat(twice.exitCode()).as(twice.toString()).isEqualTo(3);
        assertThat(twice.err()).contains("Shard 2/3 is given twice");

        CliRun other = CliRun.of("merge-reports", "--report", out.toString(), reports[0].toString(), foreign.toString(),
                reports[2].toString());
        assertThat(other.exitCode()).as(other.toString()).isEqualTo(3);
        assertThat(other.err()).contains(foreign + " is a shard of another plan");

        CliRun absent = CliRun.of("merge-reports", "--report", out.toString(), reports[0].toString(),
                dir.resolve("shard-1-never-written.json").toString(), reports[2].toString());
        assertThat(absent.exitCode()).as(absent.toString()).isEqualTo(3);
        assertThat(absent.err()).contains("shard-1-never-written.json is missing");
    }

    @Test
    void aPlanForOtherDatabasesOrChangedTablesIsRefused(DatabasePair db, @TempDir Path dir) {
        db.both(DATA);
        Path plan = dir.resolve("plan.json");
        plan(db, plan, "1000");
        Path report = dir.resolve("shard.json");

        CliRun swapped = CliRun.of("verify", "--source=" + db.target().libpqUri(), "--target=" + db.source().libpqUri(),
                "--plan", plan.toString(), "--shard", "0/3", "-q");
        assertThat(swapped.exitCode()).as(swapped.toString()).isEqualTo(2);
        assertThat(swapped.err()).contains("The plan was made for another source");

        CliRun count = shard(db, plan, "0/4", report);
        assertThat(count.exitCode()).as(count.toString()).isEqualTo(2);
        assertThat(count.err()).contains("split into 3 shards, not 4");

        CliRun noShard = CliRun.of(args(db, "verify", "--plan", plan.toString()));
        assertThat(noShard.exitCode()).as(noShard.toString()).isEqualTo(2);

        db.both("ALTER TABLE small ADD COLUMN note text");
        CliRun changed = shard(db, plan, "1/3", report);
        assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(2);
        assertThat(changed.err()).contains("The definition of public.small changed since the plan was made");
        assertThat(report).doesNotExist();
    }

    /**
     * The whole flow as Kubernetes runs it: three separate JVMs started as an Indexed Job starts its pods
     * (JOB_COMPLETION_INDEX set, {@code --shard $(JOB_COMPLETION_INDEX)/3} expanded, URLs from the environment),
     * then merge-reports: the verdict one process gives.
     */
    @Test
    void indexedJobProcessesMergeToTheSingleProcessVerdict(DatabasePair db, @TempDir Path dir) throws Exception {
        db.both(DATA);
        db.target().execute("DELETE FROM big WHERE id = 777", "INSERT INTO keyless VALUES (0, 'extra')");
        Path plan = dir.resolve("plan.json");
        assertThat(java(db, dir, "plan", Map.of(), "plan", "--shards", "3", "--output", plan.toString(), "--chunk-rows", "1000")
                .waitFor()).isZero();

        List<Process> pods = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            String expanded = index + "/3"; // what "$(JOB_COMPLETION_INDEX)/3" becomes in the pod
            pods.add(java(db, dir, "pod-" + index, Map.of("JOB_COMPLETION_INDEX", String.valueOf(index)), "verify", "--plan", plan.toString(),
                    "--shard", expanded, "--format", "json", "--report", dir.resolve("shard-" + index + ".json").toString()));
        }
        for (int index = 0; index < 3; index++) {
            Process pod = pods.get(index);
            assertThat(pod.waitFor(3, TimeUnit.MINUTES)).as("pod " + index + " finished").isTrue();
            assertThat(pod.exitValue()).as("pod " + index + ": " + Files.readString(dir.resolve("err-pod-" + index + ".txt")))
                    .isIn(0, 1);
        }
        Process merge = java(db, dir, "merge", Map.of(), "merge-reports", "--format", "json", "--report", dir.resolve("merged.json").toString(),
                dir.resolve("shard-0.json").toString(), dir.resolve("shard-1.json").toString(), dir.resolve("shard-2.json").toString());
        assertThat(merge.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(merge.exitValue()).as(Files.readString(dir.resolve("err-merge.txt"))).isEqualTo(1);

        Path single = dir.resolve("single.json");
        CliRun singleRun = CliRun.of(args(db, "verify", "--chunk-rows", "1000", "--format", "json", "--report",
                single.toString(), "-q"));
        assertThat(singleRun.exitCode()).as(singleRun.toString()).isEqualTo(1);
        assertSameVerdict(read(dir.resolve("merged.json")), read(single));
        assertThat(differingKeys(read(single))).contains("public.big hashes missing_on_target {\"id\":\"777\"}");
    }

    /** {@code pgverify ARGS} in a JVM of its own, configured from the environment as in a container. */
    private static Process java(DatabasePair db, Path dir, String name, Map<String, String> extraEnv, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), PgVerify.class.getName()));
        command.addAll(List.of(args));
        command.add("-q");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("PGVERIFY_") || variable.startsWith("PGPASS"));
        builder.environment().put("PGVERIFY_SOURCE", db.source().libpqUri());
        builder.environment().put("PGVERIFY_TARGET", db.target().libpqUri());
        builder.environment().putAll(extraEnv);
        return builder.redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("err-" + name + ".txt").toFile()).start();
    }
}
