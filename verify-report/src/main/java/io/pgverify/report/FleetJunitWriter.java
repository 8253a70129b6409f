package io.pgverify.report;

import static io.pgverify.report.JunitReportWriter.attribute;
import static io.pgverify.report.JunitReportWriter.newline;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import io.pgverify.FleetReport;
import io.pgverify.Outcome;
import io.pgverify.PairReport;

/**
 * A fleet's report as JUnit XML: one {@code testsuite} per pair, named by the pair, holding the test cases one
 * verification has; a pair that could not be verified is a suite of one test case in error, so CI shows it failed.
 */
final class FleetJunitWriter implements FleetReportWriter {

    @Override
    public void write(FleetReport report, ReportOptions options, Writer out) throws IOException {
        List<List<JunitReportWriter.TestCase>> suites = new ArrayList<>();
        List<JunitReportWriter.TestCase> all = new ArrayList<>();
        for (PairReport pair : report.pairs()) {
            String prefix = JunitReportWriter.SUITE + "." + pair.name();
            List<JunitReportWriter.TestCase> cases = pair.report() != null
                    ? JunitReportWriter.testCases(pair.report(), prefix)
                    : List.of(new JunitReportWriter.TestCase(prefix, "verification", Outcome.INCOMPLETE,
                            pair.duration(), pair.error(), List.of()));
            suites.add(cases);
            all.addAll(cases);
        }
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument(JunitReportWriter.encoding(out), "1.0");
            newline(xml, 0);
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", JunitReportWriter.SUITE);
            JunitReportWriter.counts(xml, all, report.duration());
            for (int i = 0; i < report.pairs().size(); i++) {
                PairReport pair = report.pairs().get(i);
                if (pair.report() != null) {
                    JunitReportWriter.suite(xml, pair.name(), pair.report(),
                            FleetJsonWriter.pairOptions(options, pair.report()), suites.get(i));
                } else {
                    failedSuite(xml, pair, suites.get(i));
                }
            }
            newline(xml, 0);
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.writeCharacters("\n");
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IOException("Could not write the JUnit report: " + e.getMessage(), e);
        }
        out.flush();
    }

    private static void failedSuite(XMLStreamWriter xml, PairReport pair, List<JunitReportWriter.TestCase> cases)
            throws XMLStreamException {
        newline(xml, 1);
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", attribute(pair.name()));
        JunitReportWriter.counts(xml, cases, pair.duration());
        for (JunitReportWriter.TestCase testCase : cases) {
            testCase.write(xml);
        }
        newline(xml, 1);
        xml.writeEndElement();
    }
}
