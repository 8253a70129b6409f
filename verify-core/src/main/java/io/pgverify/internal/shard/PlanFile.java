package io.pgverify.internal.shard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;
import io.pgverify.internal.io.AtomicFiles;
import io.pgverify.internal.plan.KeyRange;

/**
 * A verification planned once and split over {@code shards} processes: the databases it is for, and per table its
 * definition (as the state file digests it) and its key ranges, each assigned to one shard. A table read as a whole
 * (no key, a key no index serves in key order, or too small to split) is one range. Every range is in exactly one
 * shard, so two shards never read the same rows and together they read all.
 *
 * <p>The file is JSON:
 * <pre>
 * {"format_version": 1, "kind": "tables", "digest": "...", "shards": 3,
 *  "source": {"key": "...", "description": "..."}, "target": {...}, "chunk_rows": 20000,
 *  "tables": [{"table": "public.orders", "definition": "...", "estimated_rows": 90000,
 *              "ranges": [{"index": 0, "lower": null, "upper": ["30000"], "shard": 0, "estimated_rows": 30000}, ...]}]}
 * </pre>
 * The digest covers everything else in the file: an edited plan is refused, and a shard report names the plan it
 * belongs to by it.
 */
public record PlanFile(int shards, Identity source, Identity target, long chunkRows, List<Table> tables) {

    public static final int FORMAT_VERSION = 1;
    /** The definition recorded for a table the target lacks: the schema check of shard 0 reports it. */
    public static final String MISSING_ON_TARGET = "missing-on-target";

    /** A database as {@code DatabaseIdentity.key()} names it, and its description for messages. */
    public record Identity(String key, String description) {
    }

    /** One range of a table, {@code [lower, upper)} as {@link KeyRange}, and the shard that reads it. */
    public record Range(int index, List<String> lower, List<String> upper, int shard, long estimatedRows) {

        public KeyRange keyRange() {
            return new KeyRange(index, lower, upper);
        }
    }

    /** A table, its definition on both sides, and its ranges in key order (one, open both ways, when read whole). */
    public record Table(String name, String definition, long estimatedRows, List<Range> ranges) {

        public Table {
            ranges = List.copyOf(ranges);
        }

        /** Whether its ranges are read by more than one read, possibly in several shards. */
        public boolean split() {
            return ranges.size() > 1;
        }
    }

    public PlanFile {
        tables = List.copyOf(tables);
    }

    public Table table(String name) {
        for (Table table : tables) {
            if (table.name().equals(name)) {
                return table;
            }
        }
        return null;
    }

    /** A table planned but not yet assigned: its ranges, estimated rows spread evenly over them. */
    public record Unassigned(String name, String definition, long estimatedRows, List<KeyRange> ranges) {
    }

    /**
     * Assigns the tables' ranges to shards, balanced by estimated rows: tables read whole go first, largest first,
     * each to the least loaded shard; then the ranges of the split tables, in key order, fill the shards up to an
     * even share, so that each shard reads few runs of neighbouring ranges (one count and one index scan per run).
     * A table the target lacks goes to shard 0, which reports it.
     *
     * @throws VerifyException when there is less to read than shards to read it
     */
    public static PlanFile assign(int shards, Identity source, Identity target, long chunkRows, List<Unassigned> planned) {
        int units = 0;
        long total = 0;
        for (Unassigned table : planned) {
            units += table.ranges().size();
            total += weight(table);
        }
        if (units < shards) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "The selection holds only " + units
                    + " key range" + (units == 1 ? "" : "s") + " to read, fewer than the " + shards
                    + " shards asked for: ask for at most " + Math.max(1, units) + " shards (--shards).");
        }
        long[] load = new long[shards];
        Map<String, int[]> shardOf = new LinkedHashMap<>();
        List<Unassigned> whole = new ArrayList<>();
        List<Unassigned> split = new ArrayList<>();
        for (Unassigned table : planned) {
            shardOf.put(table.name(), new int[table.ranges().size()]);
            if (table.definition().equals(MISSING_ON_TARGET)) {
                continue; // shard 0, already
            }
            (table.ranges().size() > 1 ? split : whole).add(table);
        }
        whole.sort(Comparator.comparingLong(PlanFile::weight).reversed().thenComparing(Unassigned::name));
        for (Unassigned table : whole) {
            int least = 0;
            for (int s = 1; s < shards; s++) {
                if (load[s] < load[least]) {
                    least = s;
                }
            }
            shardOf.get(table.name())[0] = least;
            load[least] += weight(table);
        }
        double share = (double) total / shards;
        int shard = 0;
        for (Unassigned table : split) {
            long perRange = rangeWeight(table);
            int[] assigned = shardOf.get(table.name());
            for (int r = 0; r < assigned.length; r++) {
                // Move on once this shard holds its share (half a range of slack), never past the last shard.
                while (shard < shards - 1 && load[shard] + perRange / 2.0 > share) {
                    shard++;
                }
                assigned[r] = shard;
                load[shard] += perRange;
            }
        }
        fillEmptyShards(shards, planned, shardOf);
        List<Table> tables = new ArrayList<>();
        for (Unassigned table : planned) {
            int[] assigned = shardOf.get(table.name());
            List<Range> ranges = new ArrayList<>();
            for (int r = 0; r < assigned.length; r++) {
                KeyRange range = table.ranges().get(r);
                ranges.add(new Range(range.index(), range.lower(), range.upper(), assigned[r], rangeWeight(table)));
            }
            tables.add(new Table(table.name(), table.definition(), Math.max(0, table.estimatedRows()), ranges));
        }
        return new PlanFile(shards, source, target, chunkRows, tables);
    }

    /**
     * A shard left empty (a few large tables read whole weigh more than an even share) takes a range from the shard
     * holding the most: the last range of one of its runs, so every shard keeps reading runs of neighbours.
     */
    private static void fillEmptyShards(int shards, List<Unassigned> planned, Map<String, int[]> shardOf) {
        for (int empty = 0; empty < shards; empty++) {
            int[] counts = new int[shards];
            shardOf.values().forEach(assigned -> {
                for (int s : assigned) {
                    counts[s]++;
                }
            });
            if (counts[empty] > 0) {
                continue;
            }
            int donor = 0;
            for (int s = 1; s < shards; s++) {
                if (counts[s] > counts[donor]) {
                    donor = s;
                }
            }
            // Prefer a split table's range (a whole table may be large); else any of the donor's tables.
            boolean moved = false;
            for (Unassigned table : planned) {
                int[] assigned = shardOf.get(table.name());
                if (table.ranges().size() > 1 || counts[donor] > 1) {
                    for (int r = assigned.length - 1; r >= 0 && !moved; r--) {
                        if (assigned[r] == donor && !table.definition().equals(MISSING_ON_TARGET)) {
                            assigned[r] = empty;
                            moved = true;
                        }
                    }
                }
                if (moved) {
                    break;
                }
            }
        }
    }

    private static long weight(Unassigned table) {
        return Math.max(1, table.estimatedRows());
    }

    private static long rangeWeight(Unassigned table) {
        return Math.max(1, weight(table) / table.ranges().size());
    }

    /** The digest of the plan's content: what each shard report records to name the plan it belongs to. */
    public String digest() {
        return digestOf(body());
    }

    /** The digest of a plan's content, over the text it is written as, for table and pair plans alike. */
    static String digestOf(Map<String, Object> body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.write(body).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** Everything but the digest, in the order it is written. */
    private Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("format_version", (long) FORMAT_VERSION);
        body.put("kind", "tables");
        body.put("shards", (long) shards);
        body.put("source", identity(source));
        body.put("target", identity(target));
        body.put("chunk_rows", chunkRows);
        List<Object> list = new ArrayList<>();
        for (Table table : tables) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("table", table.name());
            t.put("definition", table.definition());
            t.put("estimated_rows", table.estimatedRows());
            List<Object> ranges = new ArrayList<>();
            for (Range range : table.ranges()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("index", (long) range.index());
                r.put("lower", range.lower() == null ? null : new ArrayList<Object>(range.lower()));
                r.put("upper", range.upper() == null ? null : new ArrayList<Object>(range.upper()));
                r.put("shard", (long) range.shard());
                r.put("estimated_rows", range.estimatedRows());
                ranges.add(r);
            }
            t.put("ranges", ranges);
            list.add(t);
        }
        body.put("tables", list);
        return body;
    }

    private static Map<String, Object> identity(Identity identity) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("key", identity.key());
        map.put("description", identity.description());
        return map;
    }

    /** The file's text: the digest first, so a person sees which plan it is. */
    public String toJson() {
        return fileText(body());
    }

    /** A plan's text from its content: format version and kind, then the digest over the content, then the rest. */
    static String fileText(Map<String, Object> body) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("format_version", body.get("format_version"));
        file.put("kind", body.get("kind"));
        file.put("digest", digestOf(body));
        body.forEach(file::putIfAbsent);
        return Json.write(file);
    }

    /** Writes the plan to a new file renamed into place: a shard never reads half a plan. */
    public void write(Path file) {
        writeText(file, toJson());
    }

    static void writeText(Path file, String text) {
        try {
            AtomicFiles.write(file, AtomicFiles.Access.UMASK, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "Could not write the plan " + file + ": "
                    + e.getMessage() + "; check the path and its permissions.", null, e);
        }
    }

    /** A plan file's text, or why it cannot be read, in one sentence. */
    static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw invalid("The plan " + file + " does not exist: write it with 'pgverify plan ... --output " + file + "'.");
        } catch (IOException e) {
            throw invalid("Could not read the plan " + file + ": " + e.getMessage() + ".");
        }
    }

    /**
     * Reads a plan file.
     *
     * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION}, in one sentence, when the file cannot be
     *                         read, is not a plan, or was changed since it was written
     */
    public static PlanFile read(Path file) {
        String text = text(file);
        PlanFile plan;
        String recorded;
        try {
            Map<String, Object> json = object(Json.parse(text));
            long version = number(json, "format_version");
            if (version != FORMAT_VERSION) {
                throw invalid("The plan " + file + " has format_version " + version + ", which this pgverify does not"
                        + " read (it reads " + FORMAT_VERSION + "): make the plan again with this version.");
            }
            if (!"tables".equals(json.get("kind"))) {
                throw invalid("The plan " + file + " is a plan of " + json.get("kind") + ", not of tables: this pgverify"
                        + " verifies only plans of tables with --plan.");
            }
            recorded = (String) Objects.requireNonNull(json.get("digest"), "digest");
            List<Table> tables = new ArrayList<>();
            for (Object t : (List<?>) json.get("tables")) {
                Map<String, Object> table = object(t);
                List<Range> ranges = new ArrayList<>();
                for (Object r : (List<?>) table.get("ranges")) {
                    Map<String, Object> range = object(r);
                    ranges.add(new Range((int) number(range, "index"), strings(range.get("lower")), strings(range.get("upper")),
                            (int) number(range, "shard"), number(range, "estimated_rows")));
                }
                tables.add(new Table((String) table.get("table"), (String) table.get("definition"),
                        number(table, "estimated_rows"), ranges));
            }
            plan = new PlanFile((int) number(json, "shards"), identity(json.get("source")), identity(json.get("target")),
                    number(json, "chunk_rows"), tables);
        } catch (VerifyException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid("The plan " + file + " is not a pgverify plan (" + e.getMessage() + "): write it again with"
                    + " 'pgverify plan'.");
        }
        if (!plan.digest().equals(recorded)) {
            throw invalid("The plan " + file + " was changed after it was written (its digest does not match its"
                    + " content): write it again with 'pgverify plan' rather than editing it.");
        }
        plan.checkCoverage(file);
        return plan;
    }

    /** Each table's ranges are numbered 0, 1, ... in order, chain bound to bound, and name a shard of the plan. */
    private void checkCoverage(Path file) {
        for (Table table : tables) {
            List<String> previous = null;
            for (int r = 0; r < table.ranges().size(); r++) {
                Range range = table.ranges().get(r);
                boolean chained = r == 0 ? range.lower() == null : Objects.equals(previous, range.lower()) && previous != null;
                boolean last = r == table.ranges().size() - 1;
                if (range.index() != r || !chained || (last && range.upper() != null) || range.shard() < 0
                        || range.shard() >= shards) {
                    throw invalid("The plan " + file + " does not cover the keys of " + table.name() + " exactly once"
                            + " (at its range " + r + "): write it again with 'pgverify plan'.");
                }
                previous = range.upper();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected an object");
        }
        return (Map<String, Object>) value;
    }

    private static long number(Map<String, Object> json, String field) {
        if (!(json.get(field) instanceof Long value)) {
            throw new IllegalArgumentException("no whole number " + field);
        }
        return value;
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return null;
        }
        List<String> strings = new ArrayList<>();
        for (Object item : (List<?>) value) {
            strings.add((String) item);
        }
        return strings;
    }

    private static Identity identity(Object value) {
        Map<String, Object> json = object(value);
        return new Identity((String) Objects.requireNonNull(json.get("key"), "key"), (String) json.get("description"));
    }

    private static VerifyException invalid(String message) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
