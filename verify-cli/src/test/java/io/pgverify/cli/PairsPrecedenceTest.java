package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which value a pair gets: built-in < the file's defaults < PGVERIFY_* < flag < the pair's own key. Read without a
 * server: a pair that needs more connections than --max-connections-per-host allows is refused before anything
 * connects, and the refusal says how many it needs, which is --threads + 2.
 */
class PairsPrecedenceTest {

    @TempDir
    Path dir;

    private Path file(String defaults, String pairKeys) throws IOException {
        Path file = dir.resolve("pairs.yaml");
        Files.writeString(file, "defaults:\n" + defaults + "pairs:\n"
                + "  - name: shop\n"
                + "    source: postgresql://app@old-db.invalid/shop\n"
                + "    target: postgresql://app@new-db.invalid/shop\n" + pairKeys);
        return file;
    }

    private static CliRun run(Map<String, String> env, Path file, String... extra) {
        String[] args = new String[5 + extra.length];
        args[0] = "verify";
        args[1] = "--pairs";
        args[2] = file.toString();
        args[3] = "--max-connections-per-host";
        args[4] = "3";
        System.arraycopy(extra, 0, args, 5, extra.length);
        return CliRun.of(env, args);
    }

    @Test
    void theFileDefaultAppliesAlone() throws IOException {
        CliRun run = run(Map.of(), file("  threads: 6\n", ""));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("Pair 'shop' may open 8 connections");
    }

    @Test
    void theVariableWinsOverTheFileDefaultAndTheFlagOverTheVariable() throws IOException {
        Path file = file("  threads: 6\n", "");

        CliRun variable = run(Map.of("PGVERIFY_THREADS", "5"), file);
        CliRun flag = run(Map.of("PGVERIFY_THREADS", "5"), file, "--threads", "4");

        assertThat(variable.err()).as(variable.toString()).contains("may open 7 connections");
        assertThat(flag.err()).as(flag.toString()).contains("may open 6 connections");
    }

    @Test
    void thePairsOwnKeyWinsOverTheFlag() throws IOException {
        CliRun run = run(Map.of(), file("  threads: 6\n", "    threads: 9\n"), "--threads", "4");

        assertThat(run.err()).as(run.toString()).contains("may open 11 connections");
    }

    @Test
    void aValueOutOfBoundsNamesTheFileAndLine() throws IOException {
        Path file = file("  threads: 2\n", "    threads: 100\n");

        CliRun run = run(Map.of(), file);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(file + ", line 7: threads must be between 1 and 64, not 100");
    }
}
