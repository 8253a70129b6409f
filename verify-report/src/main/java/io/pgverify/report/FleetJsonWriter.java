package io.pgverify.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;

import io.pgverify.FleetReport;
import io.pgverify.Outcome;
import io.pgverify.PairReport;
import io.pgverify.VerificationReport;

/**
 * A fleet's report as JSON ({@code "kind": "fleet"}, described by {@code pgverify-fleet-report.schema.json}): the
 * verdict, the shard it is of a larger run, the totals, and each pair with exactly the object {@link JsonReportWriter}
 * writes for one verification, so that a tool reading one reads the other. {@code merge-reports} reads it back.
 */
final class FleetJsonWriter implements FleetReportWriter {

    @Override
    public void write(FleetReport report, ReportOptions options, Writer out) throws IOException {
        try (JsonGenerator json = JsonOutput.generator(out)) {
            json.writeStartObject();
            json.writeNumberField("format_version", JsonReportWriter.FORMAT_VERSION);
            json.writeStringField("kind", "fleet");
            json.writeStringField("tool_version", options.toolVersion());
            json.writeStringField("outcome", JsonReportWriter.lower(report.outcome()));
            json.writeStringField("started_at", report.startedAt().toString());
            json.writeNumberField("duration_ms", report.duration().toMillis());
            if (options.shard() != null) {
                JsonReportWriter.shard(json, options);
            }
            Map<Outcome, Integer> counts = report.countsByOutcome();
            json.writeObjectFieldStart("totals");
            json.writeNumberField("pairs", report.pairs().size());
            json.writeNumberField("match", counts.getOrDefault(Outcome.MATCH, 0));
            json.writeNumberField("mismatch", counts.getOrDefault(Outcome.MISMATCH, 0));
            json.writeNumberField("incomplete", counts.getOrDefault(Outcome.INCOMPLETE, 0));
            json.writeEndObject();
            json.writeArrayFieldStart("pairs");
            for (PairReport pair : report.pairs()) {
                json.writeStartObject();
                json.writeStringField("name", pair.name());
                json.writeStringField("outcome", JsonReportWriter.lower(pair.outcome()));
                json.writeNumberField("duration_ms", pair.duration().toMillis());
                if (pair.report() == null) {
                    json.writeStringField("error", pair.error());
                } else {
                    json.writeFieldName("report");
                    JsonReportWriter.report(pair.report(), pairOptions(options, pair.report()), json);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeRaw('\n');
        }
        out.flush();
    }

    /**
     * A pair's own report options: its sides labelled by server and database, as its report read them (never a URL,
     * so never a password), and no shard, which is the fleet's.
     */
    static ReportOptions pairOptions(ReportOptions fleet, VerificationReport report) {
        return new ReportOptions(fleet.toolVersion(), fleet.color(),
                report.source().endpoint() + "/" + report.source().database(),
                report.target().endpoint() + "/" + report.target().database());
    }
}
