package io.pgverify.report;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.Outcome;
import io.pgverify.SequenceReport;
import io.pgverify.ServerInfo;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;

/**
 * The report for runbooks. Every field is written by name here rather than by serializing the records, so renaming
 * a record component cannot silently rename a field a runbook depends on; {@code pgverify-report.schema.json} in
 * this package describes the result and a test holds the two together. Field names are snake_case, enum values
 * lowercase, absent values JSON null.
 */
final class JsonReportWriter implements ReportWriter {

    /** The report format's version, {@code format_version}: see docs/report-json.md for when it is raised. */
    static final int FORMAT_VERSION = 1;

    /** For a shard's report: the ranges of each planned table it covers; empty otherwise. */
    private final List<ShardCoverage> coverage;

    JsonReportWriter() {
        this(List.of());
    }

    JsonReportWriter(List<ShardCoverage> coverage) {
        this.coverage = List.copyOf(coverage);
    }

    @Override
    public void write(VerificationReport report, ReportOptions options, Writer out) throws IOException {
        try (JsonGenerator json = JsonOutput.generator(out)) {
            report(report, options, coverage, json);
            json.writeRaw('\n');
        }
        out.flush();
    }

    /** One verification's report object, as the fleet's JSON report nests it. */
    static void report(VerificationReport report, ReportOptions options, JsonGenerator json) throws IOException {
        report(report, options, List.of(), json);
    }

    private static void report(VerificationReport report, ReportOptions options, List<ShardCoverage> coverage,
                               JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("format_version", FORMAT_VERSION);
        json.writeObjectFieldStart("tool");
        json.writeStringField("name", "pgverify");
        json.writeStringField("version", options.toolVersion());
        json.writeEndObject();
        json.writeStringField("outcome", lower(report.outcome()));
        json.writeBooleanField("interrupted", report.interrupted());
        json.writeStringField("started_at", report.startedAt().toString());
        json.writeNumberField("duration_ms", report.duration().toMillis());
        if (options.shard() != null) {
            shard(json, options);
            if (!coverage.isEmpty()) {
                json.writeArrayFieldStart("shard_ranges");
                for (ShardCoverage table : coverage) {
                    json.writeStartObject();
                    json.writeStringField("table", table.table());
                    json.writeNumberField("planned", table.planned());
                    json.writeArrayFieldStart("ranges");
                    for (int range : table.ranges()) {
                        json.writeNumber(range);
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
        }
        json.writeFieldName("source");
        server(report.source(), options.sourceLabel(), json);
        json.writeFieldName("target");
        server(report.target(), options.targetLabel(), json);
        json.writeArrayFieldStart("checks");
        for (CheckKind kind : ReportText.inOrder(report.checks())) {
            json.writeString(kind.label());
        }
        json.writeEndArray();
        summary(report, json);
        json.writeArrayFieldStart("tables");
        for (TableReport table : report.tables()) {
            table(table, json);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("sequences");
        for (SequenceReport sequence : report.sequences()) {
            sequence(sequence, json);
        }
        json.writeEndArray();
        replication(report.replication(), json);
        strings("extra_tables", report.extraTables(), json);
        strings("warnings", report.warnings(), json);
        json.writeEndObject();
    }

    private static void server(ServerInfo server, String label, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("version", server.version());
        json.writeNumberField("version_number", server.versionNumber());
        json.writeStringField("database", server.database());
        json.writeStringField("endpoint", server.endpoint());
        json.writeStringField("label", label);
        json.writeEndObject();
    }

    private static void summary(VerificationReport report, JsonGenerator json) throws IOException {
        int matching = 0;
        int mismatched = 0;
        int incomplete = 0;
        int skipped = 0;
        for (TableReport table : report.tables()) {
            switch (table.outcome()) {
                case MATCH -> matching++;
                case MISMATCH -> mismatched++;
                case INCOMPLETE -> incomplete++;
                case SKIPPED -> skipped++;
            }
        }
        json.writeObjectFieldStart("summary");
        json.writeNumberField("tables", report.tables().size());
        json.writeNumberField("tables_matching", matching);
        json.writeNumberField("tables_mismatched", mismatched);
        json.writeNumberField("tables_incomplete", incomplete);
        json.writeNumberField("tables_skipped", skipped);
        json.writeNumberField("rows_compared", report.rowsCompared());
        json.writeNumberField("differences", report.differenceCount());
        json.writeEndObject();
    }

    private static void table(TableReport table, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("schema", table.schema());
        json.writeStringField("name", table.name());
        json.writeStringField("qualified_name", table.qualifiedName());
        json.writeStringField("outcome", lower(table.outcome()));
        strings("key_columns", table.keyColumns(), json);
        nullableNumber("source_rows", table.sourceRows(), json);
        nullableNumber("target_rows", table.targetRows(), json);
        json.writeNumberField("rows_compared", table.rowsCompared());
        json.writeArrayFieldStart("checks");
        for (CheckResult check : table.checks()) {
            check(check, json);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void check(CheckResult check, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("check", check.kind().label());
        json.writeStringField("outcome", lower(check.outcome()));
        json.writeNumberField("duration_ms", check.duration().toMillis());
        json.writeNumberField("rows_compared", check.rowsCompared());
        json.writeNumberField("difference_count", check.differenceCount());
        json.writeBooleanField("truncated", check.truncated());
        json.writeNumberField("resolved_by_recheck", check.resolvedByRecheck());
        json.writeStringField("message", emptyToNull(check.message()));
        differences(check.differences(), json);
        json.writeEndObject();
    }

    private static void sequence(SequenceReport sequence, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("schema", sequence.schema());
        json.writeStringField("name", sequence.name());
        json.writeStringField("qualified_name", sequence.qualifiedName());
        json.writeStringField("owned_by", emptyToNull(sequence.ownedBy()));
        nullableNumber("source_next_value", sequence.sourceNextValue(), json);
        nullableNumber("target_next_value", sequence.targetNextValue(), json);
        nullableNumber("target_column_max", sequence.targetColumnMax(), json);
        json.writeStringField("outcome", lower(sequence.outcome()));
        json.writeStringField("message", emptyToNull(sequence.message()));
        differences(sequence.differences(), json);
        json.writeEndObject();
    }

    private static void differences(List<Difference> differences, JsonGenerator json) throws IOException {
        json.writeArrayFieldStart("differences");
        for (Difference difference : differences) {
            json.writeStartObject();
            json.writeStringField("kind", difference.kind().name().toLowerCase(Locale.ROOT));
            if (difference.key().isEmpty()) {
                json.writeNullField("key");
            } else {
                json.writeObjectFieldStart("key");
                for (Map.Entry<String, String> column : difference.key().entrySet()) {
                    json.writeStringField(column.getKey(), column.getValue());
                }
                json.writeEndObject();
            }
            strings("columns", difference.columns(), json);
            json.writeStringField("detail", emptyToNull(difference.detail()));
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void replication(io.pgverify.ReplicationLag lag, JsonGenerator json) throws IOException {
        if (lag == null) {
            json.writeNullField("replication");
            return;
        }
        json.writeObjectFieldStart("replication");
        json.writeStringField("source_lsn", lag.sourceLsn());
        strings("slots", lag.slots(), json);
        json.writeNumberField("lag_bytes", lag.lagBytes());
        if (lag.lagSeconds() == null) {
            json.writeNullField("lag_seconds");
        } else {
            json.writeNumberField("lag_seconds", lag.lagSeconds());
        }
        json.writeBooleanField("caught_up", lag.caughtUp());
        json.writeNumberField("waited_ms", lag.waited().toMillis());
        json.writeEndObject();
    }

    private static void strings(String field, List<String> values, JsonGenerator json) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void nullableNumber(String field, Long value, JsonGenerator json) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value);
        }
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    static String lower(Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }

    /** The {@code shard} object of a report that is one shard of a plan or a pairs list. */
    static void shard(JsonGenerator json, ReportOptions options) throws IOException {
        json.writeObjectFieldStart("shard");
        json.writeStringField("plan_digest", options.planDigest());
        json.writeNumberField("index", options.shard().index());
        json.writeNumberField("count", options.shard().count());
        json.writeEndObject();
    }
}
