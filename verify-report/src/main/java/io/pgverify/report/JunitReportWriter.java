package io.pgverify.report;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.Outcome;
import io.pgverify.SequenceReport;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;

/**
 * The report for CI systems, in the JUnit XML dialect they all read: one {@code <testsuite name="pgverify">} with a
 * test case per table and check ({@code classname="pgverify.<schema>.<table>"}, {@code name="<check>"}) and per
 * sequence ({@code classname="pgverify.sequences"}). A mismatch is a {@code <failure type="mismatch">} listing the
 * differences, an incomplete check an {@code <error type="incomplete">}, a skipped one {@code <skipped/>}.
 *
 * <p>A verification that selected nothing gets one erroring test case: CI must not show an empty comparison as
 * green. Text is made safe for XML 1.0 first: characters it cannot hold (most control characters, lone surrogates)
 * become U+FFFD, and attribute values are kept on one line, since parsers would fold their line breaks anyway.
 */
final class JunitReportWriter implements ReportWriter {

    static final String SUITE = "pgverify";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    @Override
    public void write(VerificationReport report, ReportOptions options, Writer out) throws IOException {
        List<TestCase> cases = testCases(report, SUITE);
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument(encoding(out), "1.0");
            newline(xml, 0);
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", SUITE);
            counts(xml, cases, report.duration());
            suite(xml, SUITE, report, options, cases);
            newline(xml, 0);
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.writeCharacters("\n");
            xml.flush();
            // Not xml.close(): that would not close out anyway, and out belongs to the caller.
        } catch (XMLStreamException e) {
            throw new IOException("Could not write the JUnit report: " + e.getMessage(), e);
        }
        out.flush();
    }

    /** One {@code testsuite}: a verification's test cases, its properties and its warnings. */
    static void suite(XMLStreamWriter xml, String name, VerificationReport report, ReportOptions options,
                      List<TestCase> cases) throws XMLStreamException {
        newline(xml, 1);
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", attribute(name));
        counts(xml, cases, report.duration());
        xml.writeAttribute("timestamp",
                TIMESTAMP.format(report.startedAt().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)));
        properties(xml, report, options);
        for (TestCase testCase : cases) {
            testCase.write(xml);
        }
        systemOut(xml, report);
        newline(xml, 1);
        xml.writeEndElement();
    }

    // The declaration must name what the bytes will be; the JDK's writer refuses a mismatch with the stream.
    static String encoding(Writer out) {
        if (out instanceof OutputStreamWriter stream) {
            return Charset.forName(stream.getEncoding()).name();
        }
        return "UTF-8";
    }

    static void counts(XMLStreamWriter xml, List<TestCase> cases, Duration duration) throws XMLStreamException {
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        for (TestCase testCase : cases) {
            switch (testCase.outcome) {
                case MISMATCH -> failures++;
                case INCOMPLETE -> errors++;
                case SKIPPED -> skipped++;
                case MATCH -> { }
            }
        }
        xml.writeAttribute("tests", Integer.toString(cases.size()));
        xml.writeAttribute("failures", Integer.toString(failures));
        xml.writeAttribute("errors", Integer.toString(errors));
        xml.writeAttribute("skipped", Integer.toString(skipped));
        xml.writeAttribute("time", seconds(duration));
    }

    private static void properties(XMLStreamWriter xml, VerificationReport report, ReportOptions options)
            throws XMLStreamException {
        newline(xml, 2);
        xml.writeStartElement("properties");
        property(xml, "pgverify.version", options.toolVersion());
        property(xml, "outcome", report.outcome().name().toLowerCase(Locale.ROOT));
        property(xml, "source", options.sourceLabel());
        property(xml, "source.version", report.source().version());
        property(xml, "target", options.targetLabel());
        property(xml, "target.version", report.target().version());
        newline(xml, 2);
        xml.writeEndElement();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        if (value == null) {
            return;
        }
        newline(xml, 3);
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", attribute(value));
    }

    private static void systemOut(XMLStreamWriter xml, VerificationReport report) throws XMLStreamException {
        List<String> lines = new ArrayList<>();
        for (String warning : report.warnings()) {
            lines.add("warning: " + warning);
        }
        for (String table : report.extraTables()) {
            lines.add("on the target only (not compared): " + table);
        }
        if (lines.isEmpty()) {
            return;
        }
        newline(xml, 2);
        xml.writeStartElement("system-out");
        xml.writeCharacters(text(String.join("\n", lines)));
        xml.writeEndElement();
    }

    /** The test cases of a verification, their class names under {@code prefix} ({@code pgverify}, or a pair's). */
    static List<TestCase> testCases(VerificationReport report, String prefix) {
        List<TestCase> cases = new ArrayList<>();
        for (TableReport table : report.tables()) {
            String className = prefix + "." + table.schema() + "." + table.name();
            if (table.checks().isEmpty()) {
                cases.add(new TestCase(className, "checks", table.outcome(), Duration.ZERO, "no check was run",
                        List.of()));
            }
            for (CheckResult check : table.checks()) {
                List<String> body = differenceLines(check.differences());
                String more = ReportText.more(check);
                if (more != null) {
                    body.add(more);
                }
                String message = check.outcome() == Outcome.MISMATCH
                        ? join(ReportText.count(check.differenceCount(), "difference", "differences"), check.message())
                        : check.message();
                cases.add(new TestCase(className, check.kind().label(), check.outcome(), check.duration(), message,
                        body));
            }
        }
        for (SequenceReport sequence : report.sequences()) {
            String message = sequence.outcome() == Outcome.MISMATCH && sequence.message().isEmpty()
                    ? ReportText.count(sequence.differences().size(), "difference", "differences")
                    : sequence.message();
            cases.add(new TestCase(prefix + ".sequences", sequence.qualifiedName(), sequence.outcome(), Duration.ZERO,
                    message, differenceLines(sequence.differences())));
        }
        if (report.tables().isEmpty() && report.sequences().isEmpty()) {
            cases.add(new TestCase(prefix, "verification", Outcome.INCOMPLETE, report.duration(),
                    "nothing was selected to compare: an empty comparison proves nothing", List.of()));
        }
        return cases;
    }

    private static List<String> differenceLines(List<Difference> differences) {
        List<String> lines = new ArrayList<>();
        for (Difference difference : differences) {
            lines.add(join(ReportText.kind(difference.kind()), ReportText.particulars(difference)));
        }
        return lines;
    }

    private static String join(String first, String second) {
        return second.isEmpty() ? first : first + ": " + second;
    }

    record TestCase(String className, String name, Outcome outcome, Duration duration, String message,
                            List<String> body) {

        void write(XMLStreamWriter xml) throws XMLStreamException {
            newline(xml, 2);
            xml.writeStartElement("testcase");
            xml.writeAttribute("classname", attribute(className));
            xml.writeAttribute("name", attribute(name));
            xml.writeAttribute("time", seconds(duration));
            switch (outcome) {
                case MATCH -> {
                    if (!message.isEmpty()) {
                        newline(xml, 3);
                        xml.writeStartElement("system-out");
                        xml.writeCharacters(text(message));
                        xml.writeEndElement();
                    }
                }
                case MISMATCH -> problem(xml, "failure", "mismatch", message);
                case INCOMPLETE -> problem(xml, "error", "incomplete", message.isEmpty() ? "incomplete" : message);
                case SKIPPED -> {
                    newline(xml, 3);
                    xml.writeEmptyElement("skipped");
                    if (!message.isEmpty()) {
                        xml.writeAttribute("message", attribute(message));
                    }
                }
            }
            if (outcome != Outcome.MATCH || !message.isEmpty()) {
                newline(xml, 2);
            }
            xml.writeEndElement();
        }

        private void problem(XMLStreamWriter xml, String element, String type, String text)
                throws XMLStreamException {
            newline(xml, 3);
            xml.writeStartElement(element);
            xml.writeAttribute("message", attribute(text));
            xml.writeAttribute("type", type);
            List<String> lines = body.isEmpty() ? List.of(text) : body;
            xml.writeCharacters(text(String.join("\n", lines)));
            xml.writeEndElement();
        }
    }

    static void newline(XMLStreamWriter xml, int depth) throws XMLStreamException {
        xml.writeCharacters("\n" + "  ".repeat(depth));
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", Math.max(0, duration.toMillis()) / 1000.0);
    }

    /** Text XML 1.0 can hold: every character outside its {@code Char} production becomes U+FFFD. */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            int length = Character.charCount(codePoint);
            boolean allowed = codePoint == 0x9 || codePoint == 0xA || codePoint == 0xD
                    || (codePoint >= 0x20 && codePoint <= 0xD7FF)
                    || (codePoint >= 0xE000 && codePoint <= 0xFFFD)
                    || (codePoint >= 0x10000 && codePoint <= 0x10FFFF);
            if (!allowed && out == null) {
                out = new StringBuilder(value.length()).append(value, 0, i);
            }
            if (out != null) {
                if (allowed) {
                    out.appendCodePoint(codePoint);
                } else {
                    out.append('\uFFFD');
                }
            }
            i += length;
        }
        return out == null ? value : out.toString();
    }

    /** {@link #text} on one line: a parser would turn an attribute's line breaks and tabs into spaces anyway. */
    static String attribute(String value) {
        return text(value).replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }
}
