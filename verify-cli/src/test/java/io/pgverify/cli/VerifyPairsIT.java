package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.ServerPair;
import io.pgverify.embedded.TestDatabase;

/**
 * {@code pgverify verify --pairs FILE} in-process against the real servers: two matching pairs, one with a difference
 * and one unreachable give the right verdicts and exit 1; shards of the same list cover every pair exactly once.
 */
class VerifyPairsIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String[] SHOP = {
        "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL)",
        "INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 300) g",
    };

    private static DatabasePair alpha;
    private static DatabasePair beta;
    private static DatabasePair gamma;
    private static int closedPort;

    @TempDir
    static Path dir;

    private static Path pairs;
    private static Map<String, String> env;

    @BeforeAll
    static void fleet() throws IOException {
        ServerPair servers = ServerPair.shared();
        alpha = servers.newDatabases().both(SHOP);
        beta = servers.newDatabases().both(SHOP);
        gamma = servers.newDatabases().both(SHOP);
        gamma.target().execute("UPDATE customers SET email = 'changed@example.com' WHERE id = 42");
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        pairs = dir.resolve("pairs.yaml");
        // alpha's source comes whole from the environment, with its password; the others name the password's variable.
        Files.writeString(pairs, """
                defaults:
                  checks: [schema, counts, hashes]
                  threads: 1
                pairs:
                  - name: alpha
                    source: ${ALPHA_SOURCE}
                    target: %s
                  - name: beta
                    source: %s
                    target: %s
                  - name: gamma
                    source: %s
                    target: %s
                  - name: gone
                    source: postgresql://app:${GONE_PASSWORD}@127.0.0.1:%d/nowhere
                    target: postgresql://app:${GONE_PASSWORD}@127.0.0.1:%d/nowhere
                    allow-same-database: true
                """.formatted(uri(alpha.target()), uri(beta.source()), uri(beta.target()), uri(gamma.source()),
                uri(gamma.target()), closedPort, closedPort));
        env = Map.of("ALPHA_SOURCE", alpha.source().libpqUri(), "GONE_PASSWORD", "gone-secret-pw");
    }

    private static String uri(TestDatabase db) {
        return db.libpqUri();
    }

    @Test
    void givesEachPairItsVerdictAndExits1ForTheDifference() throws IOException {
        CliRun run = CliRun.of(env, "verify", "--pairs", pairs.toString(), "--format", "json", "--no-color");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        JsonNode json = MAPPER.readTree(run.out());
        assertThat(json.get("kind").asText()).isEqualTo("fleet");
        assertThat(json.get("outcome").asText()).isEqualTo("mismatch");
        assertThat(json.get("totals").toString())
                .isEqualTo("{\"pairs\":4,\"match\":2,\"mismatch\":1,\"incomplete\":1}");
        List<String> verdicts = new ArrayList<>();
        for (JsonNode pair : json.get("pairs")) {
            verdicts.add(pair.get("name").asText() + "=" + pair.get("outcome").asText());
        }
        assertThat(verdicts).containsExactly("alpha=match", "beta=match", "gamma=mismatch", "gone=incomplete");
        assertThat(json.get("pairs").get(3).get("error").asText()).isNotBlank();
        assertThat(json.get("pairs").get(2).get("report").get("outcome").asText()).isEqualTo("mismatch");
        assertThat(json.has("shard")).isFalse();
        assertThat(run.err()).contains("pgverify: [gamma] mismatch", "pgverify: [gone] incomplete");
        run.showsNo(alpha.source().password()).showsNo(beta.source().password()).showsNo("gone-secret-pw");
    }

    @Test
    void withoutTheDifferenceTheUnreachablePairStillMakesItExit3() throws IOException {
        Path file = dir.resolve("no-difference.yaml");
        Files.writeString(file, Files.readString(pairs).replaceAll("(?s)  - name: gamma.*?(?=  - name: gone)", ""));

        CliRun run = CliRun.of(env, "verify", "--pairs", file.toString(), "--no-color");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.out()).contains("3 pairs: 2 match, 0 mismatch, 1 incomplete");
    }

    @Test
    void twoAndThreeShardsCoverEveryPairExactlyOnce() throws IOException {
        for (int count : new int[] {2, 3}) {
            List<String> seen = new ArrayList<>();
            Set<String> digests = new HashSet<>();
            for (int index = 0; index < count; index++) {
                Path report = dir.resolve("shard-" + index + "-of-" + count + ".json");
                CliRun run = CliRun.of(env, "verify", "--pairs", pairs.toString(), "--shard", index + "/" + count,
                        "--format", "json", "--report", report.toString(), "--quiet");
                assertThat(run.exitCode()).as(run.toString()).isIn(0, 1, 3);
                JsonNode json = MAPPER.readTree(report.toFile());
                assertThat(json.get("shard").get("index").asInt()).isEqualTo(index);
                assertThat(json.get("shard").get("count").asInt()).isEqualTo(count);
                digests.add(json.get("shard").get("plan_digest").asText());
                for (JsonNode pair : json.get("pairs")) {
                    seen.add(pair.get("name").asText());
                }
            }
            assertThat(seen).as("%d shards", count).containsExactlyInAnyOrder("alpha", "beta", "gamma", "gone");
            assertThat(digests).as("one digest for the shards of one run").hasSize(1);
        }
    }

    @Test
    void aMalformedFileIsExit2NamingTheLine() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "pairs:\n  - name: alpha\n    source: ${ALPHA_SOURCE}\n    target: x\n    thread: 2\n");

        CliRun run = CliRun.of(env, "verify", "--pairs", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(file + ", line 5: unknown key 'thread'");
        run.showsNo(alpha.source().password());
    }

    @Test
    void pairsAndSourceContradictEachOther() {
        CliRun run = CliRun.of(env, "verify", "--pairs", pairs.toString(), "--source", alpha.source().libpqUri());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("drop --source and --target");
    }
}
