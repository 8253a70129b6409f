package io.pgverify.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.pgverify.FleetReport;
import io.pgverify.PairReport;
import io.pgverify.Shard;

class FleetReportWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static FleetReport fleet() {
        return new FleetReport(List.of(
                PairReport.of("shop", ReportFixtures.matching()),
                PairReport.of("billing", ReportFixtures.mismatched()),
                PairReport.failed("legacy", "Cannot connect to the source at old-db:5432: Connection refused.",
                        Duration.ofMillis(12))),
                "1/3", ReportFixtures.STARTED, Duration.ofSeconds(7));
    }

    private static ReportOptions sharded() {
        return ReportFixtures.OPTIONS.withShard("sha256:abc", new Shard(1, 3));
    }

    @Test
    void jsonHoldsEachPairsReportAsOneVerificationWritesItAndValidates() throws IOException {
        JsonNode json = MAPPER.readTree(write(ReportFormat.JSON, fleet(), sharded()));

        assertThat(validate("pgverify-fleet-report.schema.json", json)).isEmpty();
        assertThat(json.get("kind").asText()).isEqualTo("fleet");
        assertThat(json.get("outcome").asText()).isEqualTo("mismatch");
        assertThat(json.get("shard").toString()).isEqualTo("{\"plan_digest\":\"sha256:abc\",\"index\":1,\"count\":3}");
        assertThat(json.get("totals").toString())
                .isEqualTo("{\"pairs\":3,\"match\":1,\"mismatch\":1,\"incomplete\":1}");
        JsonNode legacy = json.get("pairs").get(2);
        assertThat(legacy.get("outcome").asText()).isEqualTo("incomplete");
        assertThat(legacy.get("error").asText()).contains("Connection refused");
        assertThat(legacy.has("report")).isFalse();

        ReportOptions pairOptions = FleetJsonWriter.pairOptions(ReportFixtures.OPTIONS, ReportFixtures.mismatched());
        StringWriter single = new StringWriter();
        ReportWriter.of(ReportFormat.JSON).write(ReportFixtures.mismatched(), pairOptions, single);
        assertThat(json.get("pairs").get(1).get("report")).isEqualTo(MAPPER.readTree(single.toString()));
        for (JsonNode pair : json.get("pairs")) {
            if (pair.has("report")) {
                assertThat(validate("pgverify-report.schema.json", pair.get("report"))).isEmpty();
            }
        }
    }

    @Test
    void theFleetSchemaRejectsAPairWithNeitherReportNorError() throws IOException {
        ObjectNode json = (ObjectNode) MAPPER.readTree(write(ReportFormat.JSON, fleet(), ReportFixtures.OPTIONS));
        ((ObjectNode) json.get("pairs").get(2)).remove("error");

        assertThat(json.has("shard")).as("only when sharded").isFalse();
        assertThat(validate("pgverify-fleet-report.schema.json", json)).isNotEmpty();
    }

    @Test
    void junitHasOneSuitePerPairAndAFailingCaseForAnUnreachablePair() throws Exception {
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(write(ReportFormat.JUNIT, fleet(), sharded()))));

        NodeList suites = xml.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(3);
        assertThat(List.of(name(suites, 0), name(suites, 1), name(suites, 2)))
                .containsExactly("shop", "billing", "legacy");
        Element legacy = (Element) suites.item(2);
        assertThat(legacy.getAttribute("errors")).isEqualTo("1");
        Element error = (Element) legacy.getElementsByTagName("error").item(0);
        assertThat(error.getAttribute("message")).contains("Connection refused");
        assertThat(((Element) suites.item(1)).getAttribute("failures")).isNotEqualTo("0");
        Element root = xml.getDocumentElement();
        assertThat(Integer.parseInt(root.getAttribute("errors"))).isGreaterThanOrEqualTo(1);
        assertThat(((Element) legacy.getElementsByTagName("testcase").item(0)).getAttribute("classname"))
                .isEqualTo("pgverify.legacy");
    }

    @Test
    void textEndsWithOneLinePerPairAndTheVerdict() throws IOException {
        String text = write(ReportFormat.TEXT, fleet(), sharded());

        assertThat(text).contains("== shop: match ==", "== legacy: incomplete ==", "Not verified: Cannot connect");
        assertThat(text.strip().lines().reduce((first, second) -> second).orElseThrow())
                .isEqualTo("3 pairs: 1 match, 1 mismatch, 1 incomplete, 7.0s: MISMATCH");
        assertThat(text).contains("Pairs of shard 1/3");
    }

    private static String name(NodeList nodes, int i) {
        return ((Element) nodes.item(i)).getAttribute("name");
    }

    private static String write(ReportFormat format, FleetReport report, ReportOptions options) throws IOException {
        StringWriter out = new StringWriter();
        FleetReportWriter.of(format).write(report, options, out);
        return out.toString();
    }

    private static Set<ValidationMessage> validate(String schemaFile, JsonNode json) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = FleetJsonWriter.class.getResourceAsStream(schemaFile)) {
            assertThat(in).as(schemaFile + " on the class path").isNotNull();
            JsonSchema schema = factory.getSchema(in, config);
            return schema.validate(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
