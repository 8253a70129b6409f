package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pgverify.Preflight;
import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.TestDatabase;

/** {@code pgverify preflight} in-process against the real servers: exit codes, formats, no password shown. */
@ExtendWith(PostgresPairExtension.class)
class PreflightCommandIT {

    private static final String[] CLEAN = {
        "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL)",
        "INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 50) g",
    };

    private static CliRun preflight(DatabasePair db, String... extra) {
        List<String> args = new ArrayList<>(List.of("preflight", "--source=" + db.source().libpqUri(),
                "--target=" + db.target().libpqUri(), "--no-color"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void exits0AndSaysReadyForACleanDatabase(DatabasePair db) throws Exception {
        db.both(CLEAN);

        CliRun run = preflight(db, "--format", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("format_version").asInt()).isEqualTo(1);
        assertThat(json.get("report").asText()).isEqualTo("preflight");
        assertThat(json.get("verdict").asText()).isEqualTo("ready");
        assertThat(json.get("method").asText()).isEqualTo("dump-restore");
        assertThat(json.get("findings")).isEmpty();
        assertThat(json.get("not_checked")).isEmpty();
        assertThat(json.get("source").get("version_num").asInt()).isBetween(130000, 139999);
        assertThat(json.get("target").get("url").asText()).contains(":****@");
        run.showsNo(db.source().password()).showsNo(db.target().password());
    }

    @Test
    void exits1WithTheBlockerAndItsObjectsForLogicalReplication(DatabasePair db) throws Exception {
        db.both(CLEAN);
        db.source().execute("CREATE TABLE events (at timestamptz, what text)");

        CliRun json = preflight(db, "--method", "logical", "--format", "json");

        assertThat(json.exitCode()).as(json.toString()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.get("verdict").asText()).isEqualTo("blocked");
        JsonNode finding = report.get("findings").get(0);
        assertThat(finding.get("code").asText()).isEqualTo("table_without_replica_identity");
        assertThat(finding.get("severity").asText()).isEqualTo("blocker");
        assertThat(finding.get("objects").get(0).asText()).isEqualTo("public.events (no primary key)");
        assertThat(finding.get("why").asText()).isNotBlank();
        assertThat(finding.get("what_to_do").asText()).isNotBlank();
        assertThat(report.get("summary").get("blockers").asInt()).isEqualTo(1);

        CliRun text = preflight(db, "--method", "logical");
        assertThat(text.exitCode()).isEqualTo(1);
        assertThat(text.out()).contains("BLOCKER  table_without_replica_identity", "    - public.events (no primary key)",
                "BLOCKED: 1 blocker(s)");
    }

    @Test
    void tablePatternsAreReadAsVerifyReadsThemCommasInsideQuotesIncluded(DatabasePair db) throws Exception {
        db.both(CLEAN);
        db.source().execute("CREATE TABLE \"x,y\" (at timestamptz)", "CREATE TABLE other (at timestamptz)");

        CliRun run = preflight(db, "--method", "logical", "--format", "json", "--include", "\"x,y\",customers");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        JsonNode finding = new ObjectMapper().readTree(run.out()).get("findings").get(0);
        assertThat(finding.get("code").asText()).isEqualTo("table_without_replica_identity");
        assertThat(finding.get("objects")).extracting(JsonNode::asText).containsExactly("public.\"x,y\" (no primary key)");
    }

    @Test
    void junitHasOneTestCasePerFindingKind(DatabasePair db) throws Exception {
        db.both(CLEAN);
        db.source().execute("CREATE TABLE events (at timestamptz, what text)");

        CliRun run = preflight(db, "--method", "logical", "--format", "junit");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(run.out())));
        NodeList cases = xml.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(Preflight.findingCodes().size());
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element testCase = (Element) cases.item(i);
            NodeList failures = testCase.getElementsByTagName("failure");
            if (failures.getLength() > 0) {
                failed.add(testCase.getAttribute("name") + ":" + ((Element) failures.item(0)).getAttribute("type"));
            }
        }
        assertThat(failed).containsExactly("table_without_replica_identity:blocker");
    }

    @Test
    void exits3WhenTheRoleCannotSeeEverything(DatabasePair db) {
        db.both(CLEAN);
        String reader = "preflight_reader_" + db.source().name();
        db.source().execute("CREATE ROLE " + reader + " LOGIN PASSWORD 'Preflight-Reader-7'");
        try {
            TestDatabase source = db.source();
            CliRun run = CliRun.of("preflight", "--source=postgresql://" + reader + ":Preflight-Reader-7@" + source.server().host() + ":"
                    + source.server().port() + "/" + source.name(), "--no-color");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
            assertThat(run.out()).contains("NOT CHECKED  md5_passwords: ", "superuser", "INCOMPLETE: ");
            run.showsNo("Preflight-Reader-7");
            assertThat(run.err()).contains("warning: the password in --source is visible to other users");
            // No target: the comparisons are skipped, which says so but does not make the run incomplete.
            assertThat(run.out()).contains("SKIPPED  extension_missing_on_target: needs a target");
        } finally {
            db.source().execute("DROP ROLE " + reader);
        }
    }

    @Test
    void withoutATargetTheComparisonsAreSkippedAndTheRunIsComplete(DatabasePair db) {
        db.both(CLEAN);

        CliRun run = CliRun.of("preflight", "--source=" + db.source().libpqUri(), "--no-color");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("target: none given", "SKIPPED  setting_differs", "READY: ");
    }

    @Test
    void anUnknownMethodIsAUsageError(DatabasePair db) {
        CliRun run = preflight(db, "--method", "rsync");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown migration method 'rsync': use dump-restore, logical or pglogical.");
    }
}
