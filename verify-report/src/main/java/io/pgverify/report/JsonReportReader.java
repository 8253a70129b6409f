package io.pgverify.report;

import java.io.IOException;
import java.io.Reader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.FleetReport;
import io.pgverify.Outcome;
import io.pgverify.PairReport;
import io.pgverify.ReplicationLag;
import io.pgverify.SequenceReport;
import io.pgverify.ServerInfo;
import io.pgverify.Shard;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;

/**
 * Reads back what {@link ReportFormat#JSON} writes, for one verification or for a fleet of pairs, with the shard it
 * is (when it is one): what {@code pgverify merge-reports} combines. It inverts {@link JsonReportWriter} field by
 * field; what a report leaves out (a check's duration below a millisecond) cannot come back.
 *
 * <pre>{@code
 * JsonReportReader.Parsed shard = JsonReportReader.read(Files.newBufferedReader(Path.of("shard-0.json")));
 * VerificationReport report = shard.report();
 * }</pre>
 */
public final class JsonReportReader {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private JsonReportReader() {
    }

    /**
     * A report read back.
     *
     * @param report      the verification's report, or null for a fleet's
     * @param fleet       the fleet's report, or null for one verification's
     * @param planDigest  the plan or pairs list it is a shard of, or null when not sharded
     * @param shard       which shard, or null when not sharded
     * @param coverage    for a shard of a plan of tables, the ranges of each table it covers; else empty
     * @param toolVersion the pgverify that wrote it
     * @param sourceLabel the source as the report shows it (one verification), or null
     * @param targetLabel the target as the report shows it, or null
     */
    public record Parsed(VerificationReport report, FleetReport fleet, String planDigest, Shard shard,
                         List<ShardCoverage> coverage, String toolVersion, String sourceLabel, String targetLabel) {

        public boolean isFleet() {
            return fleet != null;
        }
    }

    /**
     * Reads a report.
     *
     * @throws IOException              when {@code in} cannot be read
     * @throws IllegalArgumentException when the text is not a JSON report of pgverify (what is wrong, in a phrase)
     */
    public static Parsed read(Reader in) throws IOException {
        Object tree;
        try (JsonParser parser = JSON.createParser(in)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("the file is empty");
            }
            tree = value(parser);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        Map<String, Object> json = object(tree, "report");
        long version = number(json, "format_version");
        if (version != JsonReportWriter.FORMAT_VERSION) {
            throw new IllegalArgumentException("format_version " + version + " is not the " + JsonReportWriter.FORMAT_VERSION
                    + " this pgverify reads");
        }
        Map<String, Object> shardJson = json.get("shard") == null ? null : object(json.get("shard"), "shard");
        String digest = shardJson == null ? null : string(shardJson, "plan_digest");
        Shard shard = shardJson == null ? null : new Shard((int) number(shardJson, "index"), (int) number(shardJson, "count"));
        if ("fleet".equals(json.get("kind"))) {
            return new Parsed(null, fleet(json, shard), digest, shard, List.of(), (String) json.get("tool_version"), null, null);
        }
        List<ShardCoverage> coverage = new ArrayList<>();
        for (Object item : list(json.get("shard_ranges"))) {
            Map<String, Object> table = object(item, "shard_ranges");
            List<Integer> ranges = new ArrayList<>();
            for (Object range : list(table.get("ranges"))) {
                ranges.add(((Number) range).intValue());
            }
            coverage.add(new ShardCoverage(string(table, "table"), (int) number(table, "planned"), ranges));
        }
        Map<String, Object> tool = object(json.get("tool"), "tool");
        return new Parsed(verification(json), null, digest, shard, coverage, (String) tool.get("version"),
                (String) object(json.get("source"), "source").get("label"),
                (String) object(json.get("target"), "target").get("label"));
    }

    private static FleetReport fleet(Map<String, Object> json, Shard shard) {
        List<PairReport> pairs = new ArrayList<>();
        for (Object item : list(json.get("pairs"))) {
            Map<String, Object> pair = object(item, "pair");
            String name = string(pair, "name");
            Duration duration = Duration.ofMillis(number(pair, "duration_ms"));
            if (pair.get("report") == null) {
                String error = pair.get("error") == null ? "no report" : (String) pair.get("error");
                pairs.add(PairReport.failed(name, error, duration));
            } else {
                pairs.add(new PairReport(name, verification(object(pair.get("report"), "report")), null, duration));
            }
        }
        return new FleetReport(pairs, shard == null ? null : shard.toString(), Instant.parse(string(json, "started_at")),
                Duration.ofMillis(number(json, "duration_ms")));
    }

    /** One verification's report object, as {@link JsonReportWriter} writes it. */
    static VerificationReport verification(Map<String, Object> json) {
        Set<CheckKind> checks = EnumSet.noneOf(CheckKind.class);
        for (Object label : list(json.get("checks"))) {
            checks.add(CheckKind.fromLabel((String) label));
        }
        List<TableReport> tables = new ArrayList<>();
        for (Object item : list(json.get("tables"))) {
            tables.add(table(object(item, "table")));
        }
        List<SequenceReport> sequences = new ArrayList<>();
        for (Object item : list(json.get("sequences"))) {
            Map<String, Object> sequence = object(item, "sequence");
            sequences.add(new SequenceReport(string(sequence, "schema"), string(sequence, "name"),
                    (String) sequence.get("owned_by"), nullableNumber(sequence, "source_next_value"),
                    nullableNumber(sequence, "target_next_value"), nullableNumber(sequence, "target_column_max"),
                    outcome(sequence), differences(sequence.get("differences")), (String) sequence.get("message")));
        }
        return new VerificationReport(server(json.get("source")), server(json.get("target")), checks, tables, sequences,
                strings(json.get("extra_tables")), strings(json.get("warnings")), Instant.parse(string(json, "started_at")),
                Duration.ofMillis(number(json, "duration_ms")), replication(json.get("replication")),
                Boolean.TRUE.equals(json.get("interrupted")));
    }

    private static TableReport table(Map<String, Object> json) {
        List<CheckResult> checks = new ArrayList<>();
        for (Object item : list(json.get("checks"))) {
            Map<String, Object> check = object(item, "check");
            checks.add(new CheckResult(CheckKind.fromLabel(string(check, "check")), outcome(check),
                    differences(check.get("differences")), number(check, "difference_count"), number(check, "rows_compared"),
                    (String) check.get("message"), Duration.ofMillis(number(check, "duration_ms")),
                    number(check, "resolved_by_recheck")));
        }
        return new TableReport(string(json, "schema"), string(json, "name"), strings(json.get("key_columns")),
                nullableNumber(json, "source_rows"), nullableNumber(json, "target_rows"), checks);
    }

    private static List<Difference> differences(Object value) {
        List<Difference> differences = new ArrayList<>();
        for (Object item : list(value)) {
            Map<String, Object> difference = object(item, "difference");
            Map<String, String> key = new LinkedHashMap<>();
            if (difference.get("key") != null) {
                object(difference.get("key"), "key").forEach((column, text) -> key.put(column, (String) text));
            }
            differences.add(new Difference(DifferenceKind.valueOf(string(difference, "kind").toUpperCase(Locale.ROOT)), key,
                    strings(difference.get("columns")), (String) difference.get("detail")));
        }
        return differences;
    }

    private static ServerInfo server(Object value) {
        Map<String, Object> json = object(value, "server");
        return new ServerInfo((String) json.get("version"), (int) number(json, "version_number"),
                (String) json.get("database"), (String) json.get("endpoint"));
    }

    private static ReplicationLag replication(Object value) {
        if (value == null) {
            return null;
        }
        Map<String, Object> json = object(value, "replication");
        Object seconds = json.get("lag_seconds");
        return new ReplicationLag((String) json.get("source_lsn"), strings(json.get("slots")), number(json, "lag_bytes"),
                seconds == null ? null : ((Number) seconds).doubleValue(), Boolean.TRUE.equals(json.get("caught_up")),
                Duration.ofMillis(number(json, "waited_ms")));
    }

    private static Outcome outcome(Map<String, Object> json) {
        return Outcome.valueOf(string(json, "outcome").toUpperCase(Locale.ROOT));
    }

    private static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, value(parser));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(parser));
                }
                return list;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_NUMBER_INT -> {
                return parser.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return parser.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IllegalArgumentException("unexpected " + token);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("no " + what + " object");
        }
        return (Map<String, Object>) value;
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    private static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        for (Object item : list(value)) {
            strings.add((String) item);
        }
        return strings;
    }

    private static String string(Map<String, Object> json, String field) {
        if (!(json.get(field) instanceof String text)) {
            throw new IllegalArgumentException("no " + field);
        }
        return text;
    }

    private static long number(Map<String, Object> json, String field) {
        if (!(json.get(field) instanceof Number number)) {
            throw new IllegalArgumentException("no number " + field);
        }
        return number.longValue();
    }

    private static Long nullableNumber(Map<String, Object> json, String field) {
        return json.get(field) instanceof Number number ? number.longValue() : null;
    }
}
