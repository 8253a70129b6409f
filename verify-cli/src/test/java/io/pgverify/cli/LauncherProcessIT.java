package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

/**
 * {@code bin/pgverify} as a person or a runbook runs it: a separate JVM from the shaded jar, its exit code and its two
 * streams. Runs under failsafe, after the jar is packaged.
 */
@ExtendWith(PostgresPairExtension.class)
class LauncherProcessIT {

    private static final Path LAUNCHER = Path.of("..", "bin", "pgverify").toAbsolutePath().normalize();

    private record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // The test's own environment must not leak in as a fallback.
        builder.environment().keySet().removeIf(name -> name.startsWith("PGVERIFY_") || name.startsWith("PGPASS"));
        Process process = builder.start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("pgverify finished").isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void topLevelHelpNamesTheSubcommandsAndExitCodes(@TempDir Path dir) throws Exception {
        Result help = run(dir, "--help");

        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).contains("Usage: pgverify", "verify", "demo", "--version", "Exit codes:", "0", "1", "2", "3", "130");
    }

    @Test
    void verifyHelpDescribesEveryOptionTheEnvironmentAndTheExitCodes(@TempDir Path dir) throws Exception {
        Result help = run(dir, "verify", "--help");

        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).contains("--source=URL", "--target=URL", "--include=GLOB", "--exclude=GLOB", "--checks=CHECK",
                "--last-rows=N", "--threads=N", "--chunk-rows=N", "--statement-timeout=DURATION", "--lock-timeout=DURATION",
                "--format=FORMAT", "--report=FILE", "--max-differences=N", "--quiet", "--verbose", "--no-color", "--version",
                "--help");
        assertThat(help.out()).contains("PGVERIFY_SOURCE", "PGVERIFY_TARGET", "PGVERIFY_SOURCE_PASSWORD",
                "PGVERIFY_TARGET_PASSWORD", "PGPASSWORD", "PGPASSFILE", "NO_COLOR", "PGVERIFY_JAVA_OPTS");
        assertThat(help.out()).contains("Exit codes:", "the target matches the source", "differences were found",
                "the command was used wrongly", "the verification could not be completed", "interrupted");
        assertThat(help.err()).isEmpty();
    }

    @Test
    void exits0OnAMatchAnd1OnADifferenceWithoutShowingThePassword(DatabasePair db, @TempDir Path dir) throws Exception {
        db.both("CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL, balance numeric(14,2))",
                "INSERT INTO accounts SELECT g, 'owner ' || g, g * 10.25 FROM generate_series(1, 2000) g");

        Result match = run(dir, "verify", "--source", db.source().libpqUri(), "--target", db.target().libpqUri());

        assertThat(match.exitCode()).as(match.toString()).isZero();
        assertThat(match.out()).isNotBlank();

        db.target().execute("UPDATE accounts SET balance = balance + 1 WHERE id = 1000");
        Result mismatch = run(dir, "verify", "--source", db.source().libpqUri(), "--target", db.target().libpqUri(),
                "--format", "json", "--report", "gate.json");

        assertThat(mismatch.exitCode()).as(mismatch.toString()).isEqualTo(1);
        assertThat(dir.resolve("gate.json")).isNotEmptyFile();
        for (Result result : List.of(match, mismatch)) {
            assertThat(result.out() + result.err()).doesNotContain(db.source().password()).doesNotContain(db.target().password());
        }
        assertThat(Files.readString(dir.resolve("gate.json"))).doesNotContain(db.source().password());
    }
}
