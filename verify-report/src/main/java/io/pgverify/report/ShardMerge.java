package io.pgverify.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.ErrorCode;
import io.pgverify.FleetReport;
import io.pgverify.Outcome;
import io.pgverify.PairReport;
import io.pgverify.ReplicationLag;
import io.pgverify.SequenceReport;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;
import io.pgverify.VerifyException;

/**
 * Combines the reports of the shards of one plan into the verdict one process would have given
 * ({@code pgverify merge-reports}). Refused, with {@link ErrorCode#INCOMPLETE} and one sentence naming what is
 * missing, when a shard's report is missing or given twice, or belongs to another plan: a merge of some shards
 * would pass the rows of the others unread.
 *
 * <p>For a plan of tables: each table's checks are taken from the shard that ran them (schema, sequences and the
 * target's extra tables from shard 0; the last rows from the shard holding the table's last range); of a table split
 * over shards, the hash check's differences are united and capped as one run caps them, counted and rows summed, and
 * the row counts summed and compared again. A planned range that no shard's report covers, or two do, leaves the
 * table's row checks incomplete. For a fleet: the union of the shards' pairs, each pair in exactly one shard.
 */
public final class ShardMerge {

    /** The cap one run puts on the differences listed per table, unless a shard's report shows another. */
    private static final int DEFAULT_MAX_DIFFERENCES = 100;

    private ShardMerge() {
    }

    /**
     * The merged report.
     *
     * @param report      the merged verification, or null for a fleet
     * @param fleet       the merged fleet, or null for a plan of tables
     * @param toolVersion the pgverify that wrote shard 0
     * @param sourceLabel the source as shard 0 shows it, or null
     * @param targetLabel the target as shard 0 shows it, or null
     */
    public record Merged(VerificationReport report, FleetReport fleet, String toolVersion, String sourceLabel,
                         String targetLabel) {

        public Outcome outcome() {
            return report != null ? report.outcome() : fleet.outcome();
        }
    }

    /**
     * Merges the shards' reports.
     *
     * @param shards the reports read back, by the name to give in messages (the file)
     * @throws VerifyException with {@link ErrorCode#INCOMPLETE} when a shard is missing, duplicated or foreign
     */
    public static Merged merge(Map<String, JsonReportReader.Parsed> shards) {
        if (shards.isEmpty()) {
            throw incomplete("No shard reports given: give the JSON report of every shard of the plan.");
        }
        String firstName = null;
        JsonReportReader.Parsed first = null;
        Map<Integer, String> byIndex = new TreeMap<>();
        for (Map.Entry<String, JsonReportReader.Parsed> entry : shards.entrySet()) {
            JsonReportReader.Parsed shard = entry.getValue();
            if (shard.shard() == null || shard.planDigest() == null) {
                throw incomplete(entry.getKey() + " is not a shard's report (it names no plan digest and shard): give"
                        + " the JSON reports written by 'verify --plan ... --shard I/N' or '--pairs ... --shard I/N'.");
            }
            if (first == null) {
                first = shard;
                firstName = entry.getKey();
            } else if (!first.planDigest().equals(shard.planDigest()) || first.shard().count() != shard.shard().count()
                    || first.isFleet() != shard.isFleet()) {
                throw incomplete(entry.getKey() + " is a shard of another plan (plan " + shard.planDigest() + " in "
                        + shard.shard().count() + " shards, not " + first.planDigest() + " in " + first.shard().count()
                        + " as " + firstName + "): give the reports of one plan only.");
            }
            String twice = byIndex.put(shard.shard().index(), entry.getKey());
            if (twice != null) {
                throw incomplete("Shard " + shard.shard() + " is given twice (" + twice + " and " + entry.getKey()
                        + "): give each shard's report once.");
            }
        }
        int count = first.shard().count();
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (!byIndex.containsKey(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw incomplete("The report" + (missing.size() == 1 ? " of shard " : "s of shards ")
                    + String.join(", ", missing.stream().map(i -> i + "/" + count).toList())
                    + (missing.size() == 1 ? " is" : " are") + " missing (plan " + first.planDigest()
                    + "): its pairs or key ranges were not verified; give every shard's report.");
        }
        List<JsonReportReader.Parsed> ordered = new ArrayList<>();
        byIndex.values().forEach(name -> ordered.add(shards.get(name)));
        JsonReportReader.Parsed zero = ordered.get(0);
        if (!zero.isFleet()) {
            for (JsonReportReader.Parsed shard : ordered) {
                if (!shard.report().checks().equals(zero.report().checks())) {
                    // A shard that left out a check would let the merge pass its ranges unchecked.
                    throw incomplete(byIndex.get(shard.shard().index()) + " ran other checks (" + labels(shard)
                            + ") than " + byIndex.get(0) + " (" + labels(zero) + "): verify every shard with the same"
                            + " --checks.");
                }
            }
        }
        if (zero.isFleet()) {
            return new Merged(null, fleet(ordered), zero.toolVersion(), null, null);
        }
        return new Merged(tables(ordered), null, zero.toolVersion(), zero.sourceLabel(), zero.targetLabel());
    }

    private static String labels(JsonReportReader.Parsed shard) {
        return String.join(",", ReportText.inOrder(shard.report().checks()).stream().map(CheckKind::label).toList());
    }

    private static FleetReport fleet(List<JsonReportReader.Parsed> shards) {
        List<PairReport> pairs = new ArrayList<>();
        Map<String, Integer> shardOf = new LinkedHashMap<>();
        Instant started = null;
        Instant ended = null;
        for (JsonReportReader.Parsed shard : shards) {
            FleetReport fleet = shard.fleet();
            for (PairReport pair : fleet.pairs()) {
                Integer other = shardOf.put(pair.name(), shard.shard().index());
                if (other != null) {
                    throw incomplete("The pair " + pair.name() + " is in shards " + other + " and " + shard.shard().index()
                            + " of the same plan: each pair belongs to one shard; verify the shards again from one pairs file.");
                }
                pairs.add(pair);
            }
            started = started == null || fleet.startedAt().isBefore(started) ? fleet.startedAt() : started;
            Instant end = fleet.startedAt().plus(fleet.duration());
            ended = ended == null || end.isAfter(ended) ? end : ended;
        }
        return new FleetReport(pairs, null, started, Duration.between(started, ended));
    }

    private static VerificationReport tables(List<JsonReportReader.Parsed> shards) {
        VerificationReport zero = shards.get(0).report();
        Set<CheckKind> checks = EnumSet.noneOf(CheckKind.class);
        Map<String, List<TableReport>> tables = new TreeMap<>();
        Map<String, String[]> names = new LinkedHashMap<>();
        List<SequenceReport> sequences = new ArrayList<>();
        Set<String> extraTables = new LinkedHashSet<>();
        Set<String> warnings = new LinkedHashSet<>();
        ReplicationLag replication = null;
        boolean interrupted = false;
        Instant started = null;
        Instant ended = null;
        int cap = 0;
        for (JsonReportReader.Parsed shard : shards) {
            VerificationReport report = shard.report();
            checks.addAll(report.checks());
            for (TableReport table : report.tables()) {
                String key = table.schema() + "." + table.name();
                tables.computeIfAbsent(key, k -> new ArrayList<>()).add(table);
                names.putIfAbsent(key, new String[] {table.schema(), table.name()});
                for (CheckResult check : table.checks()) {
                    if (check.truncated()) {
                        cap = Math.max(cap, check.differences().size());
                    }
                }
            }
            sequences.addAll(report.sequences());
            extraTables.addAll(report.extraTables());
            warnings.addAll(report.warnings());
            replication = replication == null ? report.replication() : replication;
            interrupted |= report.interrupted();
            started = started == null || report.startedAt().isBefore(started) ? report.startedAt() : started;
            Instant end = report.startedAt().plus(report.duration());
            ended = ended == null || end.isAfter(ended) ? end : ended;
        }
        int limit = cap > 0 ? cap : DEFAULT_MAX_DIFFERENCES;
        Map<String, String> uncovered = coverage(shards, warnings);
        List<TableReport> merged = new ArrayList<>();
        for (Map.Entry<String, List<TableReport>> table : tables.entrySet()) {
            merged.add(table(table.getValue(), limit, uncovered.remove(table.getKey())));
        }
        // A planned table no shard reported: every row check asked for is incomplete.
        for (Map.Entry<String, String> table : uncovered.entrySet()) {
            List<CheckResult> results = new ArrayList<>();
            for (CheckKind kind : checks) {
                if (kind != CheckKind.SEQUENCES) {
                    results.add(CheckResult.incomplete(kind, table.getValue(), Duration.ZERO));
                }
            }
            int dot = table.getKey().indexOf('.');
            merged.add(new TableReport(table.getKey().substring(0, dot), table.getKey().substring(dot + 1), List.of(),
                    null, null, results));
        }
        merged.sort(Comparator.comparing(TableReport::schema).thenComparing(TableReport::name));
        return new VerificationReport(zero.source(), zero.target(), checks, merged, sequences, List.copyOf(extraTables),
                List.copyOf(warnings), started, Duration.between(started, ended), replication, interrupted);
    }

    /**
     * Per planned table whose ranges the shards did not cover exactly once, why: the table's row checks cannot be a
     * match. Tables covered exactly once are left out.
     */
    private static Map<String, String> coverage(List<JsonReportReader.Parsed> shards, Set<String> warnings) {
        Map<String, Integer> planned = new TreeMap<>();
        Map<String, int[]> reads = new TreeMap<>();
        Map<String, String> unchecked = new TreeMap<>();
        for (JsonReportReader.Parsed shard : shards) {
            for (ShardCoverage table : shard.coverage()) {
                if (!table.ranges().isEmpty() && shard.report().checks().contains(CheckKind.HASHES)
                        && !reportsHashes(shard.report(), table.table())) {
                    unchecked.putIfAbsent(table.table(), "shard " + shard.shard() + " holds " + table.ranges().size()
                            + " of its key ranges but reports no hash check of them");
                }
                planned.putIfAbsent(table.table(), table.planned());
                int[] count = reads.computeIfAbsent(table.table(), k -> new int[Math.max(1, table.planned())]);
                for (int range : table.ranges()) {
                    if (range >= 0 && range < count.length) {
                        count[range]++;
                    }
                }
            }
        }
        Map<String, String> uncovered = new LinkedHashMap<>(unchecked);
        for (Map.Entry<String, int[]> table : reads.entrySet()) {
            Set<Integer> never = new TreeSet<>();
            Set<Integer> twice = new TreeSet<>();
            int[] count = table.getValue();
            for (int i = 0; i < count.length; i++) {
                if (count[i] == 0) {
                    never.add(i);
                } else if (count[i] > 1) {
                    twice.add(i);
                }
            }
            if (uncovered.containsKey(table.getKey())) {
                continue;
            }
            if (!never.isEmpty()) {
                uncovered.put(key(table.getKey()), never.size() + " of " + count.length + " planned key ranges read by no"
                        + " shard (" + first(never) + ")");
            } else if (!twice.isEmpty()) {
                uncovered.put(key(table.getKey()), twice.size() + " of " + count.length + " planned key ranges read by"
                        + " more than one shard (" + first(twice) + "): the shards are not of one plan");
            }
        }
        return uncovered;
    }

    /** Plan names are {@code schema.name} unquoted, as the merge groups tables. */
    private static String key(String planned) {
        return planned;
    }

    private static boolean reportsHashes(VerificationReport report, String table) {
        for (TableReport candidate : report.tables()) {
            if ((candidate.schema() + "." + candidate.name()).equals(table)) {
                return candidate.check(CheckKind.HASHES).isPresent();
            }
        }
        return false;
    }

    private static String first(Set<Integer> ranges) {
        List<String> shown = ranges.stream().limit(5).map(String::valueOf).toList();
        return "range" + (ranges.size() == 1 ? " " : "s ") + String.join(", ", shown) + (ranges.size() > 5 ? ", ..." : "");
    }

    private static TableReport table(List<TableReport> parts, int limit, String uncovered) {
        TableReport any = parts.get(0);
        Map<CheckKind, List<TableReport>> byKind = new EnumMap<>(CheckKind.class);
        for (TableReport part : parts) {
            for (CheckResult check : part.checks()) {
                byKind.computeIfAbsent(check.kind(), k -> new ArrayList<>()).add(part);
            }
        }
        List<CheckResult> checks = new ArrayList<>();
        Long sourceRows = null;
        Long targetRows = null;
        for (Map.Entry<CheckKind, List<TableReport>> kind : byKind.entrySet()) {
            List<CheckResult> results = new ArrayList<>();
            kind.getValue().forEach(part -> results.add(part.check(kind.getKey()).orElseThrow()));
            CheckResult merged;
            if (kind.getKey() == CheckKind.COUNTS) {
                Long[] rows = new Long[2];
                merged = counts(kind.getValue(), rows);
                sourceRows = rows[0];
                targetRows = rows[1];
            } else if (results.size() == 1) {
                merged = results.get(0);
            } else {
                merged = rows(kind.getKey(), results, limit);
            }
            if (uncovered != null && (kind.getKey() == CheckKind.HASHES || kind.getKey() == CheckKind.COUNTS)
                    && merged.outcome() == Outcome.MATCH) {
                merged = new CheckResult(merged.kind(), Outcome.INCOMPLETE, merged.differences(), merged.differenceCount(),
                        merged.rowsCompared(), join(merged.message(), uncovered), merged.duration(), merged.resolvedByRecheck());
            }
            checks.add(merged);
        }
        checks.sort(Comparator.comparing(CheckResult::kind));
        return new TableReport(any.schema(), any.name(), any.keyColumns(), sourceRows, targetRows, checks);
    }

    /** The row counts of a table: one shard's, or the sums of the shards' counts of their ranges, compared again. */
    private static CheckResult counts(List<TableReport> parts, Long[] rows) {
        long source = 0;
        long target = 0;
        long duration = 0;
        List<String> failures = new ArrayList<>();
        for (TableReport part : parts) {
            CheckResult check = part.check(CheckKind.COUNTS).orElseThrow();
            duration = Math.max(duration, check.duration().toNanos());
            if (part.sourceRows() == null || part.targetRows() == null || check.outcome() == Outcome.INCOMPLETE) {
                failures.add(check.message().isEmpty() ? "a shard could not count its rows" : check.message());
                continue;
            }
            source += part.sourceRows();
            target += part.targetRows();
        }
        if (parts.size() == 1 && failures.isEmpty()) {
            CheckResult only = parts.get(0).check(CheckKind.COUNTS).orElseThrow();
            rows[0] = parts.get(0).sourceRows();
            rows[1] = parts.get(0).targetRows();
            String message = only.message().replaceAll(";? ?rows of this shard's \\d+ key ranges only", "");
            return new CheckResult(CheckKind.COUNTS, only.outcome(), only.differences(), only.differenceCount(),
                    only.rowsCompared(), message, only.duration(), only.resolvedByRecheck());
        }
        if (!failures.isEmpty()) {
            return CheckResult.incomplete(CheckKind.COUNTS, failures.get(0), Duration.ofNanos(duration));
        }
        rows[0] = source;
        rows[1] = target;
        if (source == target) {
            return new CheckResult(CheckKind.COUNTS, Outcome.MATCH, List.of(), 0, 0, "", Duration.ofNanos(duration));
        }
        long delta = target - source;
        // Worded as CountCheck words it, so the merged report reads as one run's.
        Difference difference = new Difference(DifferenceKind.ROW_COUNT, Map.of(), List.of(),
                "source " + source + " rows, target " + target + " (" + (delta > 0 ? "+" : "") + delta + ")");
        return new CheckResult(CheckKind.COUNTS, Outcome.MISMATCH, List.of(difference), 1, 0, "", Duration.ofNanos(duration));
    }

    /** A row check run by several shards on their ranges: as one run over all the ranges would report it. */
    private static CheckResult rows(CheckKind kind, List<CheckResult> results, int limit) {
        List<Difference> differences = new ArrayList<>();
        long count = 0;
        long rows = 0;
        long resolved = 0;
        long duration = 0;
        Outcome outcome = Outcome.SKIPPED;
        List<String> notes = new ArrayList<>();
        for (CheckResult result : results) {
            for (Difference difference : result.differences()) {
                if (differences.size() < limit) {
                    differences.add(difference);
                }
            }
            count += result.differenceCount();
            rows += result.rowsCompared();
            resolved += result.resolvedByRecheck();
            duration = Math.max(duration, result.duration().toNanos());
            outcome = outcome.and(result.outcome());
            if (result.outcome() == Outcome.INCOMPLETE && !result.message().isEmpty()) {
                notes.add(result.message());
            }
        }
        String message = "compared by " + results.size() + " shards";
        for (String note : notes) {
            message = join(message, note);
        }
        return new CheckResult(kind, outcome, differences, count, rows, message, Duration.ofNanos(duration), resolved);
    }

    private static String join(String message, String note) {
        return message.isEmpty() ? note : message + "; " + note;
    }

    private static VerifyException incomplete(String message) {
        return new VerifyException(ErrorCode.INCOMPLETE, message);
    }
}
