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
    void ctrlCWritesAPartialReportAndExits130(DatabasePair db, @TempDir Path dir) throws Exception {
        db.both("CREATE TABLE readings (id bigint PRIMARY KEY, value float8)",
                "INSERT INTO readings SELECT g, g / 3.0 FROM generate_series(1, 40000) g");
        Path report = dir.resolve("report.json");
        List<String> command = List.of(LAUNCHER.toString(), "verify", "--source", db.source().libpqUri(), "--target",
                db.target().libpqUri(), "--max-rows-per-second", "2000", "--threads", "1", "--format", "json",
                "--report", report.toString());
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile()).start();
        // Wait until the comparison is under way (the JVM must start and connect first), then press Ctrl-C.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (db.source().queryForLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = 'pgverify' AND query LIKE 'COPY%'") == 0) {
            assertThat(System.nanoTime()).as("pgverify started comparing").isLessThan(deadline);
            Thread.sleep(50);
        }
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("pgverify stopped").isTrue();
        String out = Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(out + err).isEqualTo(130);
        String json = Files.readString(report, StandardCharsets.UTF_8);
        com.fasterxml.jackson.databind.JsonNode parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(parsed.get("interrupted").asBoolean()).isTrue();
        assertThat(parsed.get("outcome").asText()).isEqualTo("incomplete");
        assertThat(out + err + json).doesNotContain(db.source().password());
    }

    /**
     * The container image's layout (see the Dockerfile): bin/pgverify beside lib/pgverify.jar, no checkout and no Maven.
     * The launcher runs that jar with PGVERIFY_JAVA_OPTS instead of trying to build one.
     */
    @Test
    void runsTheJarBesideItInAnInstalledLayout(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("opt/pgverify");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        Path launcher = Files.copy(LAUNCHER, home.resolve("bin/pgverify"));
        Files.copy(LAUNCHER.resolveSibling("../verify-cli/target/pgverify.jar").normalize(), home.resolve("lib/pgverify.jar"));
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--version").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        builder.environment().put("PGVERIFY_JAVA_OPTS", "-Xmx64m -Dpgverify.launcher.test=yes");
        // No checkout around it: a launcher that looked for verify-cli/target/ would try to build, and fail.
        Process process = builder.start();
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).as("pgverify finished").isTrue();
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(out).isZero();
        assertThat(out).startsWith("pgverify ").doesNotContain("building");
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
        assertThat(help.out()).contains("--source=URL", "--target=URL", "--include=PATTERN", "--exclude=PATTERN", "--checks=CHECK",
                "--last-rows=N", "--threads=N", "--chunk-rows=N", "--statement-timeout=DURATION", "--lock-timeout=DURATION",
                "--format=FORMAT", "--report=FILE", "--max-differences=N", "--quiet", "--verbose", "--no-color", "--version",
                "--help", "--source-threads=N", "--target-threads=N", "--max-rows-per-second=N", "--max-bytes-per-second=SIZE",
                "--recheck=N",
                "--recheck-delay=DURATION", "--wait-for-catchup", "--slot=NAME", "--snapshot", "--snapshot-age-warning",
                "--retries=N", "--state=FILE", "--fresh", "--source-password-file=FILE", "--target-password-file=FILE");
        assertThat(help.out()).contains("PGVERIFY_SOURCE", "PGVERIFY_TARGET", "PGVERIFY_SOURCE_PASSWORD",
                "PGVERIFY_TARGET_PASSWORD", "PGPASSWORD", "PGPASSFILE", "NO_COLOR", "PGVERIFY_JAVA_OPTS", "PGSSLMODE", "PGSERVICE");
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
