package io.pgverify.report.preflight;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import io.pgverify.Preflight;
import io.pgverify.PreflightFinding;
import io.pgverify.PreflightFinding.Severity;
import io.pgverify.PreflightReport;

/**
 * The preflight for CI systems: one {@code <testsuite name="pgverify-preflight">} with one test case per finding kind
 * ({@code classname="pgverify.preflight"}, {@code name="<code>"}), every kind listed so that a kind that turned clean
 * shows as passed. Blockers and warnings are {@code <failure type="blocker|warning">}, a kind that could not be checked
 * an {@code <error type="not_checked">}, a kind that did not apply (no target) {@code <skipped/>}; informational
 * findings pass, with their objects in {@code <system-out>}.
 */
final class PreflightJunit implements PreflightWriter {

    private static final String SUITE = "pgverify-preflight";

    @Override
    public void write(PreflightReport report, Options options, Writer out) throws IOException {
        List<String> codes = Preflight.findingCodes();
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        for (String code : codes) {
            switch (outcome(report, code)) {
                case "failure" -> failures++;
                case "error" -> errors++;
                case "skipped" -> skipped++;
                default -> { }
            }
        }
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument(out instanceof OutputStreamWriter stream ? Charset.forName(stream.getEncoding()).name()
                    : "UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", SUITE);
            xml.writeCharacters("\n  ");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", SUITE);
            xml.writeAttribute("tests", Integer.toString(codes.size()));
            xml.writeAttribute("failures", Integer.toString(failures));
            xml.writeAttribute("errors", Integer.toString(errors));
            xml.writeAttribute("skipped", Integer.toString(skipped));
            xml.writeCharacters("\n    ");
            xml.writeStartElement("properties");
            property(xml, "pgverify.version", options.toolVersion());
            property(xml, "method", report.method().label());
            property(xml, "verdict", PreflightWriter.verdict(report));
            property(xml, "source", options.sourceLabel());
            property(xml, "source.version", report.source().version());
            if (report.target() != null) {
                property(xml, "target", options.targetLabel());
                property(xml, "target.version", report.target().version());
            }
            xml.writeCharacters("\n    ");
            xml.writeEndElement();
            for (String code : codes) {
                testCase(xml, report, code);
            }
            xml.writeCharacters("\n  ");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.writeCharacters("\n");
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IOException("Could not write the JUnit report: " + e.getMessage(), e);
        }
        out.flush();
    }

    private static String outcome(PreflightReport report, String code) {
        List<PreflightFinding> findings = report.findings(code);
        if (findings.stream().anyMatch(f -> f.severity() != Severity.INFO)) {
            return "failure";
        }
        if (report.notChecked().stream().anyMatch(n -> n.check().equals(code))) {
            return "error";
        }
        if (report.skipped().stream().anyMatch(n -> n.check().equals(code))) {
            return "skipped";
        }
        return "passed";
    }

    private static void testCase(XMLStreamWriter xml, PreflightReport report, String code) throws XMLStreamException {
        xml.writeCharacters("\n    ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", "pgverify.preflight");
        xml.writeAttribute("name", code);
        xml.writeAttribute("time", "0");
        List<PreflightFinding> findings = report.findings(code);
        switch (outcome(report, code)) {
            case "failure" -> {
                PreflightFinding worst = findings.get(0); // blockers come first
                xml.writeCharacters("\n      ");
                xml.writeStartElement("failure");
                xml.writeAttribute("type", worst.severity().label());
                xml.writeAttribute("message", safe(worst.title() + " (" + worst.objects().size() + ")").replace('\n', ' '));
                xml.writeCharacters(safe(describe(findings)));
                xml.writeEndElement();
            }
            case "error" -> {
                xml.writeCharacters("\n      ");
                xml.writeStartElement("error");
                xml.writeAttribute("type", "not_checked");
                List<String> reasons = new ArrayList<>();
                report.notChecked().stream().filter(n -> n.check().equals(code)).forEach(n -> reasons.add(n.reason()));
                xml.writeAttribute("message", safe(reasons.get(0)).replace('\n', ' '));
                xml.writeCharacters(safe(String.join("\n", reasons)));
                xml.writeEndElement();
            }
            case "skipped" -> {
                xml.writeCharacters("\n      ");
                xml.writeEmptyElement("skipped");
                report.skipped().stream().filter(n -> n.check().equals(code)).findFirst()
                        .ifPresent(n -> attribute(xml, "message", n.reason()));
            }
            default -> {
                if (!findings.isEmpty()) {
                    xml.writeCharacters("\n      ");
                    xml.writeStartElement("system-out");
                    xml.writeCharacters(safe(describe(findings)));
                    xml.writeEndElement();
                }
            }
        }
        xml.writeCharacters("\n    ");
        xml.writeEndElement();
    }

    private static void attribute(XMLStreamWriter xml, String name, String value) {
        try {
            xml.writeAttribute(name, safe(value).replace('\n', ' '));
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(List<PreflightFinding> findings) {
        StringBuilder text = new StringBuilder();
        for (PreflightFinding finding : findings) {
            text.append(finding.severity().label()).append(": ").append(finding.title()).append('\n');
            finding.objects().forEach(o -> text.append("  - ").append(o).append('\n'));
            text.append("why: ").append(finding.why()).append('\n').append("do: ").append(finding.whatToDo()).append('\n');
        }
        return text.toString();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        if (value != null) {
            xml.writeCharacters("\n      ");
            xml.writeEmptyElement("property");
            xml.writeAttribute("name", name);
            xml.writeAttribute("value", safe(value).replace('\n', ' '));
        }
    }

    /** Text XML 1.0 can hold: characters outside its Char production (object names may carry any) become U+FFFD. */
    private static String safe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            out.appendCodePoint(allowed ? c : 0xFFFD);
        });
        return out.toString();
    }
}
