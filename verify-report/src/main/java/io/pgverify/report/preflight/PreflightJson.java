package io.pgverify.report.preflight;

import java.io.IOException;
import java.io.Writer;

import com.fasterxml.jackson.core.JsonGenerator;

import io.pgverify.report.JsonOutput;

import io.pgverify.PreflightFinding;
import io.pgverify.PreflightFinding.Severity;
import io.pgverify.PreflightReport;
import io.pgverify.ServerInfo;

/**
 * The preflight report for runbooks, field by field (never by serializing the records, so that renaming a component
 * cannot rename a field a runbook matches on). Field names snake_case, codes and severities lowercase, as in the
 * verification's JSON report; described by {@code pgverify-preflight.schema.json} in this package (a test holds the two
 * together) and documented in docs/preflight.md.
 */
final class PreflightJson implements PreflightWriter {

    /** Raised when a field changes meaning or disappears; new fields do not raise it. */
    static final int FORMAT_VERSION = 1;

    @Override
    public void write(PreflightReport report, Options options, Writer out) throws IOException {
        try (JsonGenerator json = JsonOutput.generator(out)) {
            json.writeStartObject();
            json.writeNumberField("format_version", FORMAT_VERSION);
            json.writeStringField("report", "preflight");
            json.writeObjectFieldStart("tool");
            json.writeStringField("name", "pgverify");
            json.writeStringField("version", options.toolVersion());
            json.writeEndObject();
            json.writeStringField("method", report.method().label());
            json.writeStringField("verdict", PreflightWriter.verdict(report));
            json.writeFieldName("source");
            server(report.source(), options.sourceLabel(), json);
            json.writeFieldName("target");
            server(report.target(), options.targetLabel(), json);
            json.writeObjectFieldStart("summary");
            json.writeNumberField("blockers", report.count(Severity.BLOCKER));
            json.writeNumberField("warnings", report.count(Severity.WARNING));
            json.writeNumberField("infos", report.count(Severity.INFO));
            json.writeNumberField("not_checked", report.notChecked().size());
            json.writeNumberField("skipped", report.skipped().size());
            json.writeEndObject();
            json.writeArrayFieldStart("findings");
            for (PreflightFinding finding : report.findings()) {
                json.writeStartObject();
                json.writeStringField("code", finding.code());
                json.writeStringField("severity", finding.severity().label());
                json.writeStringField("title", finding.title());
                json.writeArrayFieldStart("objects");
                for (String object : finding.objects()) {
                    json.writeString(object);
                }
                json.writeEndArray();
                json.writeStringField("why", finding.why());
                json.writeStringField("what_to_do", finding.whatToDo());
                json.writeEndObject();
            }
            json.writeEndArray();
            entries("not_checked", report.notChecked(), json);
            entries("skipped", report.skipped(), json);
            json.writeEndObject();
            json.writeRaw('\n');
        }
        out.flush();
    }

    private static void entries(String field, java.util.List<PreflightReport.NotChecked> entries, JsonGenerator json)
            throws IOException {
        json.writeArrayFieldStart(field);
        for (PreflightReport.NotChecked entry : entries) {
            json.writeStartObject();
            json.writeStringField("code", entry.check());
            json.writeStringField("reason", entry.reason());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void server(ServerInfo server, String label, JsonGenerator json) throws IOException {
        if (server == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeStringField("url", label);
        json.writeStringField("version", server.version());
        json.writeNumberField("version_num", server.versionNumber());
        json.writeStringField("database", server.database());
        json.writeStringField("endpoint", server.endpoint());
        json.writeEndObject();
    }
}
