package io.pgverify.report.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.pgverify.MigrationMethod;
import io.pgverify.Preflight;
import io.pgverify.PreflightFinding;
import io.pgverify.PreflightFinding.Severity;
import io.pgverify.PreflightReport;
import io.pgverify.ServerInfo;
import io.pgverify.report.ReportFormat;

class PreflightWriterTest {

    private static final ServerInfo SOURCE = new ServerInfo("13.18", 130018, "shop", "old-db:5432");
    private static final ServerInfo TARGET = new ServerInfo("17.4", 170004, "shop", "new-db:5432");
    private static final PreflightWriter.Options OPTIONS = new PreflightWriter.Options("1.2.3",
            "postgresql://app:****@old-db:5432/shop", "postgresql://app:****@new-db:5432/shop");

    private static PreflightReport report() {
        return new PreflightReport(SOURCE, TARGET, MigrationMethod.LOGICAL, List.of(
                new PreflightFinding("table_without_replica_identity", Severity.BLOCKER, "Tables without a key",
                        List.of("public.audit_log (no primary key)", "public.\"Odd\u0001Name\" (no primary key)"), "why", "do"),
                new PreflightFinding("sequences_not_replicated", Severity.WARNING, "Sequences",
                        List.of("public.orders_id_seq (for public.orders.id)"), "why", "do"),
                new PreflightFinding("tables_not_published", Severity.INFO, "No publication", List.of("public.orders"), "w", "d")),
                List.of(new PreflightReport.NotChecked("md5_passwords", "needs a superuser")),
                List.of());
    }

    private static String write(ReportFormat format, PreflightReport report) throws IOException {
        StringWriter out = new StringWriter();
        PreflightWriter.of(format).write(report, OPTIONS, out);
        return out.toString();
    }

    @Test
    void jsonValidatesAgainstThePublishedSchema() throws IOException {
        JsonNode json = new ObjectMapper().readTree(write(ReportFormat.JSON, report()));
        Set<ValidationMessage> errors = schema().validate(json);
        assertThat(errors).isEmpty();
        assertThat(json.get("verdict").asText()).isEqualTo("blocked");
        assertThat(json.get("summary").toString())
                .isEqualTo("{\"blockers\":1,\"warnings\":1,\"infos\":1,\"not_checked\":1,\"skipped\":0}");
        assertThat(json.get("findings").get(0).get("severity").asText()).isEqualTo("blocker");
        assertThat(json.get("not_checked").get(0).toString()).isEqualTo("{\"code\":\"md5_passwords\",\"reason\":\"needs a superuser\"}");
        // Without a target, target is null and still valid.
        PreflightReport alone = new PreflightReport(SOURCE, null, MigrationMethod.DUMP_RESTORE, List.of(), List.of(),
                List.of(new PreflightReport.NotChecked("setting_differs", "needs a target")));
        JsonNode ready = new ObjectMapper().readTree(write(ReportFormat.JSON, alone));
        assertThat(schema().validate(ready)).isEmpty();
        assertThat(ready.get("target").isNull()).isTrue();
        assertThat(ready.get("verdict").asText()).isEqualTo("ready");
    }

    @Test
    void theSchemaListsEveryFindingCodeAndRejectsOthers() throws IOException {
        JsonNode schema;
        try (InputStream in = PreflightJson.class.getResourceAsStream("pgverify-preflight.schema.json")) {
            schema = new ObjectMapper().readTree(in);
        }
        List<String> codes = new ArrayList<>();
        schema.get("$defs").get("code").get("enum").forEach(code -> codes.add(code.asText()));
        assertThat(codes).containsExactlyElementsOf(Preflight.findingCodes());
        PreflightReport unknown = new PreflightReport(SOURCE, null, MigrationMethod.LOGICAL, List.of(
                new PreflightFinding("made_up", Severity.INFO, "t", List.of("x"), "w", "d")), List.of(), List.of());
        assertThat(schema().validate(new ObjectMapper().readTree(write(ReportFormat.JSON, unknown)))).isNotEmpty();
    }

    @Test
    void textShowsEachFindingWithItsObjectsAndTheVerdict() throws IOException {
        String text = write(ReportFormat.TEXT, report());
        assertThat(text).contains("pgverify preflight for logical",
                "BLOCKER  table_without_replica_identity: Tables without a key (2)\n    - public.audit_log (no primary key)\n",
                "WARNING  sequences_not_replicated", "INFO  tables_not_published",
                "NOT CHECKED  md5_passwords: needs a superuser",
                "BLOCKED: 1 blocker(s), 1 warning(s), 1 info, 1 not checked.");
        assertThat(text.indexOf("BLOCKER")).isLessThan(text.indexOf("WARNING"));
    }

    @Test
    void textSummarisesLongObjectLists() throws IOException {
        List<String> objects = new ArrayList<>();
        for (int i = 0; i < PreflightText.MAX_OBJECTS + 7; i++) {
            objects.add("public.t" + i);
        }
        PreflightReport many = new PreflightReport(SOURCE, TARGET, MigrationMethod.LOGICAL, List.of(
                new PreflightFinding("unlogged_table", Severity.WARNING, "Unlogged", objects, "w", "d")), List.of(), List.of());
        assertThat(write(ReportFormat.TEXT, many)).contains("    ... and 7 more (--format json lists all)")
                .doesNotContain("public.t" + PreflightText.MAX_OBJECTS + "\n");
    }

    @Test
    void junitHasEveryCodeOnceWithFailuresErrorsAndSafeText() throws Exception {
        String xml = write(ReportFormat.JUNIT, report());
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        Element suite = (Element) document.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo(String.valueOf(Preflight.findingCodes().size()));
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        assertThat(xml).contains("<failure type=\"blocker\"", "<failure type=\"warning\"", "<error type=\"not_checked\"",
                "Odd\uFFFDName");
    }

    private static JsonSchema schema() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = PreflightJson.class.getResourceAsStream("pgverify-preflight.schema.json")) {
            assertThat(in).as("schema on the class path").isNotNull();
            return factory.getSchema(in, config);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
