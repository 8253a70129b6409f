package io.pgverify.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.pgverify.VerificationReport;

class JsonReportWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = schema();

    @Test
    void everyReportValidatesAgainstThePublishedSchema() throws IOException {
        for (VerificationReport report : List.of(ReportFixtures.mismatched(), ReportFixtures.matching(),
                ReportFixtures.empty(), ReportFixtures.hostile())) {
            assertThat(errors(json(report, ReportFixtures.OPTIONS))).isEmpty();
        }
        assertThat(errors(json(ReportFixtures.empty(), new ReportOptions(null, false, null, null)))).isEmpty();
    }

    @Test
    void theSchemaRejectsDrift() throws IOException {
        JsonNode report = json(ReportFixtures.mismatched(), ReportFixtures.OPTIONS);

        ObjectNode misspelled = report.deepCopy();
        JsonNode check = misspelled.get("tables").get(0).get("checks").get(3);
        ((ObjectNode) check).set("diference_count", check.get("difference_count"));
        ((ObjectNode) check).remove("difference_count");
        assertThat(errors(misspelled)).map(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("diference_count").contains("not defined"))
                .anySatisfy(m -> assertThat(m).contains("difference_count").contains("required"));

        ObjectNode extraTopLevel = report.deepCopy();
        extraTopLevel.put("outcomes", "match");
        assertThat(errors(extraTopLevel)).map(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("outcomes"));

        ObjectNode unknownKind = report.deepCopy();
        ((ObjectNode) unknownKind.get("tables").get(0).get("checks").get(3).get("differences").get(0))
                .put("kind", "MISSING_ON_TARGET");
        assertThat(errors(unknownKind)).isNotEmpty();

        ObjectNode badTime = report.deepCopy();
        badTime.put("started_at", "yesterday");
        assertThat(errors(badTime)).map(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("started_at"));
    }

    @Test
    void topLevelSaysWhoWhenAndTheVerdict() throws IOException {
        JsonNode report = json(ReportFixtures.mismatched(), ReportFixtures.OPTIONS);

        assertThat(fieldNames(report)).containsExactly("format_version", "tool", "outcome", "interrupted", "started_at", "duration_ms",
                "source", "target", "checks", "summary", "tables", "sequences", "replication", "extra_tables", "warnings");
        assertThat(report.get("format_version").asInt()).isEqualTo(1);
        assertThat(report.get("interrupted").asBoolean()).isFalse();
        assertThat(report.get("replication").isNull()).isTrue();
        assertThat(report.at("/tool/name").asText()).isEqualTo("pgverify");
        assertThat(report.at("/tool/version").asText()).isEqualTo("0.1.0");
        assertThat(report.get("outcome").asText()).isEqualTo("mismatch");
        assertThat(report.get("started_at").asText()).isEqualTo("2025-03-01T10:15:30Z");
        assertThat(report.get("duration_ms").asLong()).isEqualTo(192_000);
        assertThat(report.get("source").toString()).isEqualTo("{\"version\":\"13.18\",\"version_number\":130018,"
                + "\"database\":\"shop\",\"endpoint\":\"old-db.example.com:5432\","
                + "\"label\":\"postgresql://app:****@old-db.example.com:5432/shop\"}");
        assertThat(report.at("/target/version_number").asInt()).isEqualTo(170004);
        assertThat(report.get("checks").toString())
                .isEqualTo("[\"schema\",\"sequences\",\"counts\",\"last-rows\",\"hashes\"]");
        assertThat(report.get("summary").toString()).isEqualTo("{\"tables\":7,\"tables_matching\":1,"
                + "\"tables_mismatched\":4,\"tables_incomplete\":1,\"tables_skipped\":1,\"rows_compared\":1001810,"
                + "\"differences\":1214}");
        assertThat(report.get("extra_tables").toString()).isEqualTo("[\"public.tmp_import\",\"public.\\\"Staging\\\"\"]");
        assertThat(report.get("warnings")).hasSize(2);
    }

    @Test
    void tablesCarryTheirChecksAndDifferences() throws IOException {
        JsonNode orders = json(ReportFixtures.mismatched(), ReportFixtures.OPTIONS).get("tables").get(0);

        assertThat(orders.get("qualified_name").asText()).isEqualTo("public.orders");
        assertThat(orders.get("outcome").asText()).isEqualTo("mismatch");
        assertThat(orders.get("key_columns").toString()).isEqualTo("[\"id\"]");
        assertThat(orders.get("source_rows").asLong()).isEqualTo(1_000_000);
        assertThat(orders.get("target_rows").asLong()).isEqualTo(999_998);
        assertThat(orders.get("rows_compared").asLong()).isEqualTo(1_000_000);
        assertThat(orders.get("checks")).extracting(c -> c.get("check").asText() + "=" + c.get("outcome").asText())
                .containsExactly("schema=match", "counts=mismatch", "last-rows=match", "hashes=mismatch");

        JsonNode hashes = orders.get("checks").get(3);
        assertThat(hashes.get("duration_ms").asLong()).isEqualTo(12_345);
        assertThat(hashes.get("rows_compared").asLong()).isEqualTo(1_000_000);
        assertThat(hashes.get("difference_count").asLong()).isEqualTo(1204);
        assertThat(hashes.get("truncated").asBoolean()).isTrue();
        assertThat(hashes.get("message").isNull()).isTrue();
        assertThat(hashes.get("differences").toString()).isEqualTo("["
                + "{\"kind\":\"missing_on_target\",\"key\":{\"id\":\"17\"},\"columns\":[],\"detail\":null},"
                + "{\"kind\":\"different\",\"key\":{\"id\":\"42\"},\"columns\":[\"total\",\"status\"],\"detail\":null},"
                + "{\"kind\":\"extra_on_target\",\"key\":{\"id\":\"90001\"},\"columns\":[],\"detail\":null}]");

        JsonNode counts = orders.get("checks").get(1);
        assertThat(counts.get("truncated").asBoolean()).isFalse();
        assertThat(counts.get("differences").get(0).toString()).isEqualTo(
                "{\"kind\":\"row_count\",\"key\":null,\"columns\":[],\"detail\":\"source 1000000, target 999998\"}");
    }

    @Test
    void nullsAreJsonNulls() throws IOException {
        JsonNode report = json(ReportFixtures.mismatched(), ReportFixtures.OPTIONS);

        JsonNode missing = report.get("tables").get(4);
        assertThat(missing.get("target_rows").isNull()).isTrue();
        assertThat(missing.at("/checks/1/message").asText()).isEqualTo("the table is missing on the target");
        JsonNode composite = report.get("tables").get(5);
        assertThat(composite.get("source_rows").isNull()).isTrue();
        assertThat(composite.at("/checks/0/differences/0/key").toString())
                .isEqualTo("{\"order_id\":\"7\",\"line_no\":null}");
        JsonNode invoice = report.get("sequences").get(2);
        assertThat(invoice.get("owned_by").isNull()).isTrue();
        assertThat(invoice.get("target_next_value").isNull()).isTrue();
        assertThat(invoice.get("source_next_value").asLong()).isEqualTo(Long.MAX_VALUE);

        JsonNode empty = json(ReportFixtures.empty(), new ReportOptions(null, false, null, null));
        assertThat(empty.get("outcome").asText()).isEqualTo("incomplete");
        assertThat(empty.at("/tool/version").isNull()).isTrue();
        assertThat(empty.get("source").toString()).isEqualTo(
                "{\"version\":null,\"version_number\":0,\"database\":null,\"endpoint\":null,\"label\":null}");
        assertThat(empty.get("tables")).isEmpty();
    }

    @Test
    void sequencesCarryBothSidesAndTheColumnMax() throws IOException {
        JsonNode sequences = json(ReportFixtures.mismatched(), ReportFixtures.OPTIONS).get("sequences");

        assertThat(fieldNames(sequences.get(1))).containsExactly("schema", "name", "qualified_name", "owned_by",
                "source_next_value", "target_next_value", "target_column_max", "outcome", "message", "differences");
        assertThat(sequences.get(1).toString()).isEqualTo("{\"schema\":\"public\",\"name\":\"customers_id_seq\","
                + "\"qualified_name\":\"public.customers_id_seq\",\"owned_by\":\"public.customers.id\","
                + "\"source_next_value\":52001,\"target_next_value\":1,\"target_column_max\":52000,"
                + "\"outcome\":\"mismatch\",\"message\":null,\"differences\":["
                + "{\"kind\":\"sequence_behind\",\"key\":null,\"columns\":[],"
                + "\"detail\":\"target would hand out 1, source 52001\"},"
                + "{\"kind\":\"sequence_below_column_max\",\"key\":null,\"columns\":[],"
                + "\"detail\":\"target would hand out 1, public.customers.id already holds up to 52000\"}]}");
        assertThat(sequences.get(4).get("outcome").asText()).isEqualTo("incomplete");
        assertThat(sequences.get(4).get("message").asText()).isEqualTo("permission denied for sequence ticket_seq");
    }

    @Test
    void namesWithQuotesAndUnicodeRoundTrip() throws IOException {
        String text = text(ReportFixtures.mismatched(), ReportFixtures.OPTIONS);
        JsonNode odd = MAPPER.readTree(text).get("tables").get(2);

        assertThat(odd.get("schema").asText()).isEqualTo(ReportFixtures.ODD_SCHEMA);
        assertThat(odd.get("name").asText()).isEqualTo(ReportFixtures.ODD_NAME);
        assertThat(odd.get("qualified_name").asText())
                .isEqualTo("\"Sales \"\"EU\"\"\".\"Orders <2024> & 'co' — Bestellungen ü 注文\"");
        assertThat(odd.at("/checks/0/differences/0/columns/0").asText()).isEqualTo("note \"internal\"");
        // Unicode is written as itself, not as \\u escapes: the file is for people too.
        assertThat(text).contains("Bestellungen ü 注文");

        JsonNode hostile = json(ReportFixtures.hostile(), ReportFixtures.OPTIONS).get("tables").get(0);
        assertThat(hostile.get("name").asText()).isEqualTo("evil\nname\u001B[2J\u0007");
        assertThat(hostile.at("/checks/0/message").asText()).isEqualTo("vertical\u000Btab and form\ffeed");
    }

    @Test
    void leavesTheWriterOpenAndFlushed() throws IOException {
        StringWriter target = new StringWriter();
        boolean[] closed = {false};
        boolean[] flushed = {false};
        FilterWriter out = new FilterWriter(target) {
            @Override
            public void close() {
                closed[0] = true;
            }

            @Override
            public void flush() throws IOException {
                flushed[0] = true;
                super.flush();
            }
        };

        ReportWriter.of(ReportFormat.JSON).write(ReportFixtures.matching(), ReportFixtures.OPTIONS, out);

        assertThat(closed[0]).isFalse();
        assertThat(flushed[0]).isTrue();
        assertThat(target.toString()).startsWith("{\n  \"format_version\": 1,\n  \"tool\": {\n    \"name\": \"pgverify\",").endsWith("}\n");
    }

    @Test
    void aShardsReportValidatesAgainstThePublishedSchema() throws IOException {
        ReportOptions options = ReportFixtures.OPTIONS.withShard("0123abcd", new io.pgverify.Shard(2, 3));
        String written = ShardCoverage.jsonWriter(List.of(new ShardCoverage("public.orders", 30, List.of(20, 21))))
                .toString(ReportFixtures.mismatched(), options);

        JsonNode report = MAPPER.readTree(written);
        assertThat(errors(report)).isEmpty();
        assertThat(report.get("shard").get("plan_digest").asText()).isEqualTo("0123abcd");
        assertThat(report.get("shard").get("index").asInt()).isEqualTo(2);
        assertThat(report.get("shard_ranges").get(0).get("ranges").size()).isEqualTo(2);
    }

    private static Set<ValidationMessage> errors(JsonNode json) {
        return SCHEMA.validate(json);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode json(VerificationReport report, ReportOptions options) throws IOException {
        return MAPPER.readTree(text(report, options));
    }

    private static String text(VerificationReport report, ReportOptions options) throws IOException {
        StringWriter out = new StringWriter();
        ReportWriter.of(ReportFormat.JSON).write(report, options, out);
        return out.toString();
    }

    private static JsonSchema schema() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = JsonReportWriter.class.getResourceAsStream("pgverify-report.schema.json")) {
            assertThat(in).as("schema on the class path").isNotNull();
            return factory.getSchema(in, config);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
