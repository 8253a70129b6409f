package io.pgverify.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.pgverify.VerificationReport;

class JunitReportWriterTest {

    @Test
    void oneSuiteWithCountsThatAddUp() throws Exception {
        Document xml = parse(ReportFixtures.mismatched());

        Element suites = xml.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        assertThat(suites.getAttribute("name")).isEqualTo("pgverify");
        assertThat(children(suites, "testsuite")).hasSize(1);
        Element suite = children(suites, "testsuite").get(0);
        assertThat(suite.getAttribute("name")).isEqualTo("pgverify");
        // 16 table checks and 5 sequences; 6 + 3 mismatches, 1 + 1 incomplete, 4 skipped.
        for (Element element : List.of(suites, suite)) {
            assertThat(element.getAttribute("tests")).isEqualTo("21");
            assertThat(element.getAttribute("failures")).isEqualTo("9");
            assertThat(element.getAttribute("errors")).isEqualTo("2");
            assertThat(element.getAttribute("skipped")).isEqualTo("4");
            assertThat(element.getAttribute("time")).isEqualTo("192.000");
        }
        assertThat(suite.getAttribute("timestamp")).isEqualTo("2025-03-01T10:15:30");
        assertThat(cases(xml)).hasSize(21);
        assertThat(xml.getElementsByTagName("failure").getLength()).isEqualTo(9);
        assertThat(xml.getElementsByTagName("error").getLength()).isEqualTo(2);
        assertThat(xml.getElementsByTagName("skipped").getLength()).isEqualTo(4);
    }

    @Test
    void oneCasePerTableAndCheckNamedAfterThem() throws Exception {
        Document xml = parse(ReportFixtures.mismatched());

        assertThat(cases(xml)).extracting(c -> c.getAttribute("classname") + " " + c.getAttribute("name"))
                .startsWith("pgverify.public.orders schema", "pgverify.public.orders counts",
                        "pgverify.public.orders last-rows", "pgverify.public.orders hashes",
                        "pgverify.public.customers counts", "pgverify.public.customers hashes")
                .endsWith("pgverify.sequences public.orders_id_seq", "pgverify.sequences public.customers_id_seq",
                        "pgverify.sequences public.invoice_no", "pgverify.sequences public.events_id_seq",
                        "pgverify.sequences billing.ticket_seq");
        Element schema = testCase(xml, "pgverify.public.orders", "schema");
        assertThat(schema.getAttribute("time")).isEqualTo("0.012");
        assertThat(schema.getChildNodes().getLength()).isZero();
    }

    @Test
    void aMismatchIsAFailureListingTheDifferences() throws Exception {
        Document xml = parse(ReportFixtures.mismatched());

        Element failure = only(testCase(xml, "pgverify.public.orders", "hashes"), "failure");
        assertThat(failure.getAttribute("type")).isEqualTo("mismatch");
        assertThat(failure.getAttribute("message")).isEqualTo("1,204 differences");
        assertThat(failure.getTextContent()).isEqualTo("""
                missing on target: (id=17)
                different: (id=42); columns: total, status
                extra on target: (id=90001)
                … and 1,201 more (limit 3)""");

        Element schema = only(testCase(xml, "pgverify.archive.orders_2019", "schema"), "failure");
        assertThat(schema.getTextContent()).isEqualTo("missing table: archive.orders_2019 is not on the target");

        Element keyless = only(testCase(xml, "pgverify." + ReportFixtures.ODD_SCHEMA + "." + ReportFixtures.ODD_NAME,
                "hashes"), "failure");
        assertThat(keyless.getAttribute("message")).isEqualTo("1 difference: compared as a whole: no key");

        Element sequence = only(testCase(xml, "pgverify.sequences", "public.customers_id_seq"), "failure");
        assertThat(sequence.getAttribute("type")).isEqualTo("mismatch");
        assertThat(sequence.getAttribute("message")).isEqualTo("2 differences");
        assertThat(sequence.getTextContent()).isEqualTo("""
                sequence behind: target would hand out 1, source 52001
                below column max: target would hand out 1, public.customers.id already holds up to 52000""");
    }

    @Test
    void incompleteIsAnErrorAndSkippedIsSkipped() throws Exception {
        Document xml = parse(ReportFixtures.mismatched());

        Element error = only(testCase(xml, "pgverify.public.customers", "hashes"), "error");
        assertThat(error.getAttribute("type")).isEqualTo("incomplete");
        assertThat(error.getAttribute("message")).startsWith("ERROR: canceling statement due to statement timeout");
        Element sequenceError = only(testCase(xml, "pgverify.sequences", "billing.ticket_seq"), "error");
        assertThat(sequenceError.getAttribute("message")).isEqualTo("permission denied for sequence ticket_seq");

        Element skipped = only(testCase(xml, "pgverify.archive.orders_2019", "counts"), "skipped");
        assertThat(skipped.getAttribute("message")).isEqualTo("the table is missing on the target");
        assertThat(testCase(xml, "pgverify.public.orders", "last-rows").getElementsByTagName("*").getLength()).isZero();
    }

    @Test
    void namesWithQuotesMarkupAndUnicodeSurviveAsThemselves() throws Exception {
        Document xml = parse(ReportFixtures.mismatched());

        Element odd = testCase(xml, "pgverify.Sales \"EU\".Orders <2024> & 'co' — Bestellungen ü 注文", "schema");
        assertThat(only(odd, "failure").getTextContent()).isEqualTo("""
                missing column: note "internal"; column "note ""internal""\" is not on the target
                type mismatch: amount; numeric(10,2) on the source, double precision on the target""");
    }

    @Test
    void charactersXmlCannotHoldAreReplaced() throws Exception {
        String text = text(ReportFixtures.hostile());
        Document xml = parse(text);

        Element testCase = cases(xml).get(0);
        assertThat(testCase.getAttribute("classname")).isEqualTo("pgverify.public.evil name\uFFFD[2J\uFFFD");
        Element failure = only(testCase, "failure");
        assertThat(failure.getAttribute("message")).isEqualTo("1 difference: vertical\uFFFDtab and form\uFFFDfeed");
        assertThat(failure.getTextContent()).isEqualTo("missing on target: (id=a\uFFFDb\uFFFDc]]>); bell \uFFFD here");
    }

    @Test
    void aMatchIsAllGreenWithWarningsInSystemOut() throws Exception {
        Document xml = parse(ReportFixtures.matching());

        Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("5");
        assertThat(suite.getAttribute("failures") + suite.getAttribute("errors") + suite.getAttribute("skipped"))
                .isEqualTo("000");
        assertThat(properties(xml)).containsExactly("pgverify.version=0.1.0", "outcome=match",
                "source=postgresql://app:****@old-db.example.com:5432/shop", "source.version=13.18",
                "target=postgresql://app:****@new-db.example.com:5432/shop", "target.version=17.4");

        Document mismatched = parse(ReportFixtures.mismatched());
        Element systemOut = children((Element) mismatched.getElementsByTagName("testsuite").item(0), "system-out")
                .get(0);
        assertThat(systemOut.getTextContent()).contains(
                "warning: public.audit_log was excluded from row checks by --skip-rows; its rows were not compared",
                "on the target only (not compared): public.tmp_import");
    }

    @Test
    void selectingNothingIsAnErrorNotAnEmptyGreenSuite() throws Exception {
        Document xml = parse(ReportFixtures.empty());

        Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("1");
        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        Element error = only(testCase(xml, "pgverify", "verification"), "error");
        assertThat(error.getAttribute("message")).startsWith("nothing was selected to compare");
    }

    @Test
    void declaresTheEncodingTheBytesAreWrittenIn() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer out = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
            ReportWriter.of(ReportFormat.JUNIT).write(ReportFixtures.mismatched(), ReportFixtures.OPTIONS, out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        assertThat(parse(text).getElementsByTagName("testcase").getLength()).isEqualTo(21);

        bytes.reset();
        try (Writer out = new OutputStreamWriter(bytes, StandardCharsets.ISO_8859_1)) {
            ReportWriter.of(ReportFormat.JUNIT).write(ReportFixtures.matching(), ReportFixtures.OPTIONS, out);
        }
        assertThat(bytes.toString(StandardCharsets.ISO_8859_1)).startsWith("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
    }

    private static List<String> properties(Document xml) {
        List<String> properties = new ArrayList<>();
        NodeList nodes = xml.getElementsByTagName("property");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element property = (Element) nodes.item(i);
            properties.add(property.getAttribute("name") + "=" + property.getAttribute("value"));
        }
        return properties;
    }

    private static Element testCase(Document xml, String className, String name) {
        return cases(xml).stream()
                .filter(c -> c.getAttribute("classname").equals(className) && c.getAttribute("name").equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no test case " + className + " " + name));
    }

    private static Element only(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        assertThat(found).as("<%s> in %s %s", tag, parent.getAttribute("classname"), parent.getAttribute("name"))
                .hasSize(1);
        return found.get(0);
    }

    private static List<Element> cases(Document xml) {
        List<Element> cases = new ArrayList<>();
        NodeList nodes = xml.getElementsByTagName("testcase");
        for (int i = 0; i < nodes.getLength(); i++) {
            cases.add((Element) nodes.item(i));
        }
        return cases;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> children = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element element && element.getTagName().equals(tag)) {
                children.add(element);
            }
        }
        return children;
    }

    private static Document parse(VerificationReport report) throws Exception {
        return parse(text(report));
    }

    private static Document parse(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(VerificationReport report) throws IOException {
        StringWriter out = new StringWriter();
        ReportWriter.of(ReportFormat.JUNIT).write(report, ReportFixtures.OPTIONS, out);
        return out.toString();
    }
}
