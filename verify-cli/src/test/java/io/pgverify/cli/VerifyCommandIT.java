package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.ServerPair;
import io.pgverify.embedded.TestDatabase;

/** {@code pgverify verify} in-process against the real servers: every exit code, every format, no password shown. */
@ExtendWith(PostgresPairExtension.class)
class VerifyCommandIT {

    private static final String[] SHOP = {
        "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, balance numeric(12,2))",
        "INSERT INTO customers SELECT g, 'c' || g || '@example.com', g * 1.5 FROM generate_series(1, 500) g",
        "CREATE TABLE orders (id serial PRIMARY KEY, customer_id bigint NOT NULL, placed_at timestamptz NOT NULL)",
        "INSERT INTO orders (customer_id, placed_at) SELECT 1 + g % 500, timestamptz '2024-01-01 00:00+00' + g * interval '1 hour' "
                + "FROM generate_series(1, 800) g",
    };

    private static String withoutPassword(TestDatabase db) {
        return "postgresql://" + db.user() + "@" + db.server().host() + ":" + db.server().port() + "/" + db.name();
    }

    private static String withPassword(TestDatabase db, String password) {
        return "postgresql://" + db.user() + ":" + password + "@" + db.server().host() + ":" + db.server().port() + "/" + db.name();
    }

    private static CliRun verify(DatabasePair db, String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "verify";
        args[1] = "--source=" + db.source().libpqUri();
        args[2] = "--target=" + db.target().libpqUri();
        args[3] = "--no-color";
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CliRun.of(args);
    }

    private static String passwords(DatabasePair db) {
        return db.source().password();
    }

    @Test
    void exits0WhenTheTargetMatches(DatabasePair db) {
        db.both(SHOP);

        CliRun run = verify(db);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isNotBlank();
        run.showsNo(db.source().password()).showsNo(db.target().password());
    }

    @Test
    void acceptsRateLimitsInRowsAndBytes(DatabasePair db) {
        db.both(SHOP);

        CliRun run = verify(db, "--max-rows-per-second", "1000000", "--max-bytes-per-second", "64MiB");

        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void exits1WhenARowIsMissingOnTheTarget(DatabasePair db) {
        db.both(SHOP);
        db.target().execute("DELETE FROM orders WHERE id = 400");

        CliRun run = verify(db);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        run.showsNo(db.source().password()).showsNo(db.target().password());
    }

    @Test
    void exits1WhenASequenceWasNotAdvanced(DatabasePair db) {
        db.both(SHOP);
        db.target().execute("SELECT setval('orders_id_seq', 10)");

        CliRun run = verify(db, "--checks", "sequences");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "json", "junit", "html", "JSON"})
    void writesEveryFormatToStdout(String format, DatabasePair db) {
        db.both(SHOP);

        CliRun run = verify(db, "--format", format);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isNotBlank();
        run.showsNo(db.source().password());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "json", "junit", "html"})
    void writesTheReportFileAndKeepsTheSummaryOnStdout(String format, DatabasePair db, @TempDir Path dir) throws IOException {
        db.both(SHOP);
        db.target().execute("UPDATE customers SET email = 'changed@example.com' WHERE id = 500");
        Path report = dir.resolve("gate." + format);

        CliRun run = verify(db, "--format", format, "--report", report.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        String written = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(written).isNotBlank().doesNotContain(db.source().password());
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactly(report);
        }
        assertThat(run.out()).as("the text summary").isNotBlank();
        if (format.equals("json")) {
            assertThat(new ObjectMapper().readTree(written).isObject()).isTrue();
        }
        run.showsNo(db.source().password());
    }

    @Test
    void writesAnHtmlReportWithTheVerdictAndTheDifferingKey(DatabasePair db, @TempDir Path dir) throws IOException {
        db.both(SHOP);
        db.target().execute("UPDATE customers SET email = '<b>changed</b>@example.com' WHERE id = 500");
        db.target().execute("DELETE FROM orders WHERE id = 400");
        Path report = dir.resolve("gate.html");

        CliRun run = verify(db, "--format", "html", "--report", report.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        Document page = Jsoup.parse(report.toFile(), "UTF-8");
        assertThat(page.getElementById("verdict").attr("data-outcome")).isEqualTo("mismatch");
        assertThat(page.getElementById("verdict").text()).contains("MISMATCH");
        assertThat(page.select("table.tables > tbody > tr").eachAttr("data-outcome"))
                .containsExactly("mismatch", "mismatch");
        String hashes = "div.check[data-check=hashes] tr.difference";
        assertThat(page.select(hashes + "[data-kind=different] td.key").eachText()).containsExactly("id=500");
        assertThat(page.select(hashes + "[data-kind=different] td.columns").eachText()).containsExactly("email");
        assertThat(page.select(hashes + "[data-kind=missing_on_target] td.key").eachText()).containsExactly("id=400");
        assertThat(page.select("b")).as("values never reach the report; names and keys are escaped").isEmpty();
        assertThat(page.selectFirst("dl.meta").text()).contains(db.source().server().host()).contains("pgverify");
        assertThat(run.out()).as("the text summary").contains("MISMATCH");
        run.showsNo(db.source().password()).showsNo(db.target().password());
        assertThat(Files.readString(report, StandardCharsets.UTF_8)).doesNotContain(db.source().password())
                .doesNotContain(db.target().password());
    }

    @Test
    void quietWithAReportFilePrintsNothing(DatabasePair db, @TempDir Path dir) {
        db.both(SHOP);
        Path report = dir.resolve("gate.json");

        CliRun run = verify(db, "--quiet", "--format", "json", "--report", report.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEmpty();
        assertThat(report).isNotEmptyFile();
    }

    @Test
    void exits3WhenNothingListens(DatabasePair db) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String secret = "N0body-Listens";

        CliRun run = CliRun.of("verify", "--source", db.source().libpqUri(),
                "--target", "postgresql://app:" + secret + "@127.0.0.1:" + port + "/shop");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("target: connection refused at 127.0.0.1:" + port + " — is the server running and reachable?")
                .doesNotContain("\tat ");
        run.showsNo(secret).showsNo(db.source().password());
    }

    @Test
    void exits3OnAWrongPassword(DatabasePair db) {
        String wrong = "Wr0ng%40pw";

        CliRun run = CliRun.of("verify", "--source", withPassword(db.source(), wrong), "--target", db.target().libpqUri());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("source: password authentication failed for user \"postgres\"");
        run.showsNo("Wr0ng").showsNo(db.target().password());
    }

    @Test
    void exits3WhenTheDatabaseDoesNotExist(DatabasePair db) {
        CliRun run = CliRun.of("verify", "--source", db.source().libpqUri(),
                "--target", db.target().libpqUri().replace("/" + db.target().name(), "/no_such_db"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("target: database \"no_such_db\" does not exist");
        run.showsNo(db.target().password());
    }

    @Test
    void exits3NeverZeroWhenATableCannotBeRead(DatabasePair db) {
        db.both(SHOP);
        String role = "reader_" + db.source().name();
        String password = "Re4der-" + db.source().name();
        for (TestDatabase side : new TestDatabase[] {db.source(), db.target()}) {
            side.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'",
                    "GRANT SELECT ON customers TO " + role);
        }

        CliRun run = CliRun.of("verify", "--no-color",
                "--source", "postgresql://" + role + ":" + password + "@" + db.source().server().host() + ":"
                        + db.source().server().port() + "/" + db.source().name(),
                "--target", "postgresql://" + role + ":" + password + "@" + db.target().server().host() + ":"
                        + db.target().server().port() + "/" + db.target().name());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        run.showsNo(password);
    }

    @Test
    void readsTheUrlsFromTheEnvironment(DatabasePair db) {
        db.both(SHOP);

        CliRun run = CliRun.of(Map.of("PGVERIFY_SOURCE", db.source().libpqUri(), "PGVERIFY_TARGET", db.target().libpqUri()),
                "verify");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        run.showsNo(db.source().password());
    }

    @Test
    void readsPasswordsFromTheEnvironment(DatabasePair db) {
        db.both(SHOP);
        Map<String, String> env = Map.of(
                "PGVERIFY_SOURCE", withoutPassword(db.source()),
                "PGVERIFY_TARGET", withoutPassword(db.target()),
                "PGVERIFY_SOURCE_PASSWORD", db.source().password(),
                "PGPASSWORD", db.target().password());

        CliRun run = CliRun.of(env, "verify");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        run.showsNo(db.source().password()).showsNo(db.target().password());
    }

    @Test
    void aPasswordInTheUrlWinsOverTheEnvironment(DatabasePair db) {
        db.both(SHOP);
        Map<String, String> env = Map.of("PGPASSWORD", "Wr0ng-from-env", "PGVERIFY_SOURCE_PASSWORD", "Wr0ng-too");

        CliRun run = CliRun.of(env, "verify", "--source", db.source().libpqUri(), "--target", db.target().libpqUri());

        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void readsPasswordsFromPasswordFilesAheadOfTheEnvironment(DatabasePair db, @TempDir Path dir) throws IOException {
        db.both(SHOP);
        Path sourceFile = Files.writeString(dir.resolve("source.pw"), db.source().password() + "\n");
        Path targetFile = Files.writeString(dir.resolve("target.pw"), db.target().password() + "\r\nsecond line\n");
        Map<String, String> env = Map.of("PGVERIFY_SOURCE_PASSWORD", "Wr0ng-from-env", "PGPASSWORD", "Wr0ng-too");

        CliRun run = CliRun.of(env, "verify", "--source", withoutPassword(db.source()), "--target", withoutPassword(db.target()),
                "--source-password-file", sourceFile.toString(), "--target-password-file", targetFile.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).doesNotContain("warning");
        run.showsNo(db.source().password()).showsNo(db.target().password());
    }

    @Test
    void libpqsEnvironmentAndServiceFileFillWhatTheUrlLeavesOut(DatabasePair db, @TempDir Path home) throws IOException {
        db.both(SHOP);
        TestDatabase source = db.source();
        TestDatabase target = db.target();
        Files.writeString(home.resolve(".pg_service.conf"), "[old-shop]\nhost=" + source.server().host() + "\nport="
                + source.server().port() + "\ndbname=" + source.name() + "\nuser=" + source.user() + "\npassword="
                + source.password() + "\n");
        Map<String, String> env = Map.of("HOME", home.toString(),
                "PGHOST", target.server().host(), "PGPORT", String.valueOf(target.server().port()),
                "PGUSER", target.user(), "PGDATABASE", target.name(), "PGPASSWORD", target.password());

        CliRun run = CliRun.of(env, "verify", "--source", "postgresql://?service=old-shop", "--target", "postgresql://");

        // Nothing listens on localhost:5432 here: only the service file and the variables lead to the servers.
        assertThat(run.exitCode()).as(run.toString()).isZero();
        run.showsNo(source.password()).showsNo(target.password());
    }

    @Test
    void theSidesOwnPasswordVariableWinsOverPgpassword(DatabasePair db) {
        Map<String, String> env = Map.of("PGVERIFY_TARGET_PASSWORD", "Wr0ng-target-pw", "PGPASSWORD", db.target().password());

        CliRun run = CliRun.of(env, "verify", "--source", db.source().libpqUri(), "--target", withoutPassword(db.target()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("target: password authentication failed");
        run.showsNo("Wr0ng-target-pw").showsNo(db.target().password());
    }

    @Test
    void flagsWinOverTheEnvironment(DatabasePair db) {
        db.both(SHOP);
        Map<String, String> env = Map.of("PGVERIFY_SOURCE", "postgresql://nobody:x@127.0.0.1:1/none");

        CliRun run = CliRun.of(env, "verify", "--source", db.source().libpqUri(), "--target", db.target().libpqUri());

        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void verboseShowsAStackTraceWithoutThePassword(DatabasePair db) {
        CliRun run = CliRun.of("verify", "--verbose", "--source", withPassword(db.source(), "Wr0ng-verbose"),
                "--target", db.target().libpqUri());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("\tat ");
        run.showsNo("Wr0ng-verbose").showsNo(db.target().password());
    }

    @Test
    void aReportFileIsNeverWrittenThroughALinkPlantedBesideIt(DatabasePair db, @TempDir Path dir) throws IOException {
        db.both(SHOP);
        Path report = dir.resolve("gate.json");
        Path precious = Files.writeString(dir.resolve("precious.txt"), "keep me");
        Path planted = Files.createSymbolicLink(dir.resolve("gate.json.partial"), precious);

        CliRun run = verify(db, "--quiet", "--format", "json", "--report", report.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(precious).hasContent("keep me");
        assertThat(Files.isSymbolicLink(planted)).isTrue();
        assertThat(new ObjectMapper().readTree(Files.readString(report, StandardCharsets.UTF_8)).isObject()).isTrue();
        assertThat(Files.isSymbolicLink(report)).isFalse();
        try (var left = Files.list(dir)) {
            assertThat(left).as("no temporary file left behind").extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder("gate.json", "gate.json.partial", "precious.txt");
        }
    }

    @Test
    void aStateFileOfAnotherVerificationExits2AndFreshStartsItAnew(DatabasePair db, ServerPair servers, @TempDir Path dir)
            throws IOException {
        db.both(SHOP);
        Path state = dir.resolve("shop.state");
        assertThat(verify(db, "--quiet", "--checks", "hashes", "--state", state.toString()).exitCode()).isZero();
        assertThat(Files.getPosixFilePermissions(state)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        DatabasePair other = servers.newDatabases();
        other.both(SHOP);
        other.target().execute("UPDATE customers SET email = 'changed@example.com' WHERE id = 500");

        CliRun refused = verify(other, "--quiet", "--checks", "hashes", "--state", state.toString());

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err().strip()).as("one sentence").doesNotContain("\n")
                .contains("The state file " + state + " records a verification whose source was database " + db.source().name())
                .endsWith("name another state file, or run with --fresh to start it anew.");
        refused.showsNo(db.source().password());

        CliRun fresh = verify(other, "--checks", "hashes", "--state", state.toString(), "--fresh");

        assertThat(fresh.exitCode()).as(fresh.toString()).isEqualTo(1);
        assertThat(fresh.out()).contains("--fresh starts it anew");
    }

    @Test
    void aDatabaseAgainstItselfExits2UnlessAllowed(DatabasePair db) {
        db.both(SHOP);
        String[] sameTwice = {"verify", "--no-color", "--source", db.source().libpqUri(), "--target", db.source().libpqUri()};

        CliRun refused = CliRun.of(sameTwice);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        // The URLs hold the password, so a warning about that comes first; the refusal is one sentence of its own.
        String refusal = refused.err().lines().filter(line -> !line.startsWith("pgverify: warning:"))
                .collect(java.util.stream.Collectors.joining("\n")).strip();
        assertThat(refusal).doesNotContain("\n").contains("Source and target are the same database")
                .contains("--allow-same-database");
        refused.showsNo(db.source().password());

        String[] allowed = java.util.Arrays.copyOf(sameTwice, sameTwice.length + 1);
        allowed[sameTwice.length] = "--allow-same-database";
        CliRun run = CliRun.of(allowed);
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }
}
