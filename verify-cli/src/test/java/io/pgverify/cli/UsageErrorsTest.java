package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exit 2 and one sentence for every way of using the command wrongly; no server needed, none contacted. */
class UsageErrorsTest {

    private static final String SOURCE = "postgresql://app:Hunter2-src@127.0.0.1:1/shop";
    private static final String TARGET = "postgresql://app:Hunter2-tgt@127.0.0.1:1/shop";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--frobnicate | Unknown option: '--frobnicate'",
            "--quiet --verbose | --quiet and --verbose contradict each other: choose one.",
            "--checks counts,bogus | Unknown check 'bogus': use schema, sequences, counts, last-rows or hashes.",
            "--format yaml | Invalid value for option '--format'",
            "--threads 0 | pgverify: --threads must be between 1 and 64, not 0.",
            "--threads many | Invalid value for option '--threads'",
            "--last-rows 0 | pgverify: --last-rows must be between 1 and 100000, not 0.",
            "--chunk-rows 10 | pgverify: --chunk-rows must be between 1000 and 100000000, not 10.",
            "--chunk-time 2h | pgverify: --chunk-time must be between 0s and 1h, not 2h.",
            "--statement-timeout soon | 'soon' is not a duration; write e.g. 90s, 30m, 1h30m or 500ms",
            "--lock-timeout 5x | '5x' is not a duration",
            "--max-bytes-per-second 10XB | '10XB' is not a size in bytes; write e.g. 5000000, 500kB, 10MB or 64MiB",
            "--max-bytes-per-second -1 | '-1' is not a size in bytes",
            "--max-rows-per-second -1 | pgverify: --max-rows-per-second must not be negative, not -1.",
            "--source-threads 65 | pgverify: --source-threads must be between 0 and 64, not 65.",
            "--retries 101 | pgverify: --retries must be between 0 and 100, not 101.",
            "--wait-for-catchup PT-1M | pgverify: --wait-for-catchup must not be negative, not -1m.",
            "--fresh | pgverify: --fresh only makes sense with --state: set --state or drop --fresh.",
            "--mode fast | Invalid value for option '--mode': 'fast' is not a mode; use stream or digest.",
            "--snapshot-age-warning 1x | Invalid value for option '--snapshot-age-warning': '1x' is not a duration",
            "--report /no/such/dir/gate.json | the directory /no/such/dir does not exist; create it or choose another path.",
            "--report /tmp | --report /tmp is a directory: give a file name.",
    })
    void exits2WithOneSentence(String flags, String message) {
        String[] args = ("verify --source " + SOURCE + " --target " + TARGET + " " + flags).split(" ");

        CliRun run = CliRun.of(args);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(message).doesNotContain("\tat ");
        assertThat(run.out()).isEmpty();
        run.showsNo("Hunter2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "mysql://app:Hunter2-x@h/db | --source: Unsupported connection URL 'mysql://app:****@h/db': use a libpq URI",
            "postgresql://app:Hunter2-x@h:port/db | --source: Malformed connection URL 'postgresql://app:****@h:port/db': port 'port' is not a number",
            "jdbc:postgresql://h/db?password=Hunter2-x&sslmode=bogus | source: sslmode=bogus is not valid; use one of allow, disable, prefer, require, verify-ca, verify-full.",
    })
    void exits2OnAMalformedUrl(String url, String message) {
        CliRun run = CliRun.of("verify", "--source", url, "--target", TARGET);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(message);
        run.showsNo("Hunter2");
    }

    @Test
    void preflightHasNoHtmlReport() {
        CliRun run = CliRun.of("preflight", "--source", SOURCE, "--format", "html");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("preflight writes its report as text, json or junit, not html: choose one of those.")
                .doesNotContain("\tat ");
        run.showsNo("Hunter2");
    }

    @Test
    void exits2WithoutASource() {
        CliRun run = CliRun.of("verify", "--target", TARGET);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("No source given: pass --source URL or set PGVERIFY_SOURCE.");
    }

    @Test
    void namesTheVariableAMalformedUrlCameFrom() {
        CliRun run = CliRun.of(Map.of("PGVERIFY_TARGET", "postgres://app:Hunter2-env@h:99999/db"), "verify", "--source", SOURCE);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--target (from PGVERIFY_TARGET): Malformed connection URL");
        run.showsNo("Hunter2");
    }

    @Test
    void namesTheVariableAWrongSettingCameFrom() {
        CliRun run = CliRun.of(Map.of("PGVERIFY_THREADS", "0"), "verify", "--source", SOURCE, "--target", TARGET);
        CliRun unreadable = CliRun.of(Map.of("PGVERIFY_LOCK_TIMEOUT", "soon"), "verify", "--source", SOURCE, "--target", TARGET);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("pgverify: PGVERIFY_THREADS must be between 1 and 64, not 0.");
        assertThat(unreadable.exitCode()).isEqualTo(2);
        assertThat(unreadable.err()).contains("pgverify: PGVERIFY_LOCK_TIMEOUT: 'soon' is not a duration");
    }

    @Test
    void aFlagWinsOverItsVariableWhichIsThenNotRead() {
        // The flag's value is out of range and named; the variable's, also wrong, is never looked at.
        CliRun run = CliRun.of(Map.of("PGVERIFY_THREADS", "many"), "verify", "--source", SOURCE, "--target", TARGET,
                "--threads", "65");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("pgverify: --threads must be between 1 and 64, not 65.").doesNotContain("many");
    }

    @Test
    void anUnknownOptionCarryingAUrlDoesNotShowItsPassword() {
        CliRun run = CliRun.of("verify", "--sorce", SOURCE, "--target", TARGET);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown options: '--sorce'");
        run.showsNo("Hunter2");
    }

    @Test
    void noSubcommandIsAUsageError() {
        CliRun run = CliRun.of();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Usage: pgverify").contains("demo").contains("verify");
    }

    @Test
    void helpAndVersionExit0() {
        CliRun help = CliRun.of("verify", "--help");
        CliRun version = CliRun.of("--version");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--source", "--target", "--include", "--exclude", "--checks", "--last-rows",
                "--threads", "--chunk-rows", "--statement-timeout", "--lock-timeout", "--format", "--report",
                "--max-differences", "--quiet", "--verbose", "--no-color", "--version", "--allow-same-database",
                "PGVERIFY_SOURCE", "PGVERIFY_TARGET", "PGVERIFY_SOURCE_PASSWORD", "PGVERIFY_TARGET_PASSWORD", "PGPASSWORD",
                "NO_COLOR", "Exit codes:", "130");
        assertThat(help.out()).contains("--chunk-time=DURATION", "--wait-for-catchup[=TIMEOUT]", "--retry-backoff=DURATION",
                "--application-name=NAME", "PGVERIFY_<OPTION>");
        for (io.pgverify.Setting setting : io.pgverify.Setting.values()) {
            assertThat(help.out().replaceAll("\\s+", " ")).as(setting.option())
                    .contains("Default: " + setting.defaultText() + ". Environment: " + setting.environmentVariable() + ".");
        }
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("pgverify ").doesNotContain("${");
    }
}
