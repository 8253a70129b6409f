package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Passwords on the command line are warned about once; password files are read or refused clearly. No server. */
class PasswordOptionsTest {

    private static final String WARNING = "pgverify: warning: the password in";
    /** Port 1: nothing listens, so a run that gets past the options ends at once with exit 3. */
    private static final String SOURCE = "postgresql://app:Hunter2-src@127.0.0.1:1/shop";
    private static final String TARGET = "postgresql://app:Hunter2-tgt@127.0.0.1:1/shop";
    private static final String SOURCE_NO_PASSWORD = "postgresql://app@127.0.0.1:1/shop";
    private static final String TARGET_NO_PASSWORD = "postgresql://app@127.0.0.1:1/shop";

    @Test
    void aPasswordInACommandLineUrlIsWarnedAboutOnceWithTheSaferWays() {
        CliRun run = CliRun.of("verify", "--source", SOURCE, "--target", TARGET);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err().split(WARNING, -1)).as(run.err()).hasSize(2);
        assertThat(run.err()).contains("pgverify: warning: the password in --source and --target is visible to other "
                + "users of this machine (process list) and stays in your shell history; give it with "
                + "PGVERIFY_SOURCE_PASSWORD/PGVERIFY_TARGET_PASSWORD or PGPASSWORD, in ~/.pgpass, in a service file "
                + "(service=name), or with --source-password-file FILE/--target-password-file FILE instead.");
        run.showsNo("Hunter2");
    }

    @Test
    void theWarningNamesOnlyTheSideWhoseUrlHoldsAPassword() {
        CliRun run = CliRun.of("verify", "--source", SOURCE_NO_PASSWORD, "--target",
                "jdbc:postgresql://127.0.0.1:1/shop?user=app&password=Hunter2-tgt");

        assertThat(run.err()).contains(WARNING + " --target is visible").contains("PGVERIFY_TARGET_PASSWORD or PGPASSWORD")
                .doesNotContain("--source-password-file");
        run.showsNo("Hunter2");
    }

    @Test
    void noWarningForUrlsFromTheEnvironmentOrWithoutPasswordsOrWhenQuiet() {
        CliRun fromEnvironment = CliRun.of(Map.of("PGVERIFY_SOURCE", SOURCE, "PGVERIFY_TARGET", TARGET), "verify");
        CliRun withoutPasswords = CliRun.of("verify", "--source", SOURCE_NO_PASSWORD, "--target", TARGET_NO_PASSWORD);
        CliRun quiet = CliRun.of("verify", "--source", SOURCE, "--target", TARGET, "--quiet");

        assertThat(fromEnvironment.exitCode()).as(fromEnvironment.toString()).isEqualTo(3);
        assertThat(fromEnvironment.err()).doesNotContain(WARNING);
        assertThat(withoutPasswords.err()).doesNotContain(WARNING);
        assertThat(quiet.err()).doesNotContain(WARNING);
    }

    @Test
    void anUnreadablePasswordFileIsOneSentenceAndExit2(@TempDir Path dir) {
        Path missing = dir.resolve("missing.pw");

        CliRun run = CliRun.of("verify", "--source", SOURCE_NO_PASSWORD, "--target", TARGET_NO_PASSWORD,
                "--source-password-file", missing.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--source-password-file: cannot read " + missing
                + " (NoSuchFileException); check the path and its permissions.").doesNotContain("\tat ");
    }

    @Test
    void anEmptyPasswordFileIsRefused(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pw"), "\nHunter2-second-line\n");

        CliRun run = CliRun.of("verify", "--source", SOURCE_NO_PASSWORD, "--target", TARGET_NO_PASSWORD,
                "--target-password-file", empty.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--target-password-file: " + empty + " has no password on its first line; "
                + "write the password there.");
        run.showsNo("Hunter2");
    }

    @Test
    void aPasswordFileAndAPasswordInTheUrlConflict(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("source.pw"), "Hunter2-file\n");

        CliRun run = CliRun.of("verify", "--source", SOURCE, "--target", TARGET_NO_PASSWORD,
                "--source-password-file", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--source-password-file is given, but the source URL holds a password too: "
                + "remove the password from the URL.");
        run.showsNo("Hunter2");
    }

    @Test
    void libpqsEnvironmentReachesTheUrlParser(@TempDir Path home) {
        CliRun run = CliRun.of(Map.of("HOME", home.toString(), "PGSERVICE", "nightly"), "verify",
                "--source", SOURCE_NO_PASSWORD, "--target", TARGET_NO_PASSWORD);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--source: Service \"nightly\" is not defined in " + home.resolve(".pg_service.conf"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://app:secret@h/db | true",
            "postgres://app:p@ss@h/db | true",
            "postgresql://app@h/db | false",
            "postgresql://app:@h/db | false",
            "postgresql://h/db?password=secret | true",
            "postgresql://h/db?sslmode=require&password=secret | true",
            "postgresql://h/db?password= | false",
            "jdbc:postgresql://h/db?user=app&password=secret | true",
            "jdbc:postgresql://h/db?user=app | false",
            "postgresql://?service=prod | false",
    })
    void knowsWhenAUrlHoldsAPassword(String url, boolean holds) {
        assertThat(ConnectionOptions.holdsPassword(url)).isEqualTo(holds);
    }
}
