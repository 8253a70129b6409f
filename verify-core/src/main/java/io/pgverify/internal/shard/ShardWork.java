package io.pgverify.internal.shard;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

import io.pgverify.CheckKind;
import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;
import io.pgverify.internal.plan.KeyRange;

/**
 * What one shard of a {@link PlanFile} verifies, chosen so that the shards' reports merged are the verdict one process
 * would have given:
 * <ul>
 *   <li>the schema check of every table, the sequences and the target's extra tables: shard 0 (catalog reads, cheap);</li>
 *   <li>a table read as a whole (one range): every check of it, by the shard holding that range;</li>
 *   <li>a split table: the hash check of the shard's own ranges; the row counts of those ranges only (merged by
 *       summing); the last rows by the shard holding the table's last range.</li>
 * </ul>
 * A shard holding nothing of a table leaves it out of its report.
 */
public final class ShardWork {

    private final PlanFile plan;
    private final int shard;
    private final String digest;
    /** The plan's tables by name: a run of thousands of tables looks each up several times. */
    private final Map<String, PlanFile.Table> tables = new java.util.HashMap<>();

    public ShardWork(PlanFile plan, int shard) {
        if (shard < 0 || shard >= plan.shards()) {
            throw new IllegalArgumentException("shard " + shard + " of " + plan.shards());
        }
        this.plan = plan;
        this.shard = shard;
        this.digest = plan.digest();
        plan.tables().forEach(table -> tables.put(table.name(), table));
    }

    public PlanFile plan() {
        return plan;
    }

    public int shard() {
        return shard;
    }

    public String digest() {
        return digest;
    }

    /** Shard 0 checks the sequences and reports what is on one side only. */
    public boolean first() {
        return shard == 0;
    }

    /** The checks of {@code asked} this shard runs on the table (none when it holds nothing of it). */
    public Set<CheckKind> checks(String table, Set<CheckKind> asked) {
        PlanFile.Table planned = tables.get(table);
        Set<CheckKind> checks = EnumSet.noneOf(CheckKind.class);
        if (planned == null) {
            return checks;
        }
        if (first() && asked.contains(CheckKind.SCHEMA)) {
            checks.add(CheckKind.SCHEMA);
        }
        List<PlanFile.Range> ranges = planned.ranges();
        boolean holdsAny = ranges.stream().anyMatch(r -> r.shard() == shard);
        boolean holdsLast = ranges.get(ranges.size() - 1).shard() == shard;
        for (CheckKind kind : List.of(CheckKind.COUNTS, CheckKind.HASHES)) {
            if (asked.contains(kind) && holdsAny) {
                checks.add(kind);
            }
        }
        if (asked.contains(CheckKind.LAST_ROWS) && holdsLast) {
            checks.add(CheckKind.LAST_ROWS);
        }
        return checks;
    }

    /** Whether the table's ranges are spread over reads of their own (and its counts are per range). */
    public boolean split(String table) {
        PlanFile.Table planned = tables.get(table);
        return planned != null && planned.split();
    }

    /** All the table's planned ranges, in key order: the shard reads those {@link #mine} accepts. */
    public List<KeyRange> ranges(String table) {
        List<KeyRange> ranges = new ArrayList<>();
        for (PlanFile.Range range : tables.get(table).ranges()) {
            ranges.add(range.keyRange());
        }
        return ranges;
    }

    /** Which of the table's planned ranges, by index, are this shard's. */
    public IntPredicate mine(String table) {
        List<PlanFile.Range> ranges = tables.get(table).ranges();
        return index -> index >= 0 && index < ranges.size() && ranges.get(index).shard() == shard;
    }

    /** The runs of neighbouring ranges this shard holds of the table, each as one key range. */
    public List<KeyRange> runs(String table) {
        List<KeyRange> runs = new ArrayList<>();
        List<PlanFile.Range> ranges = tables.get(table).ranges();
        int first = -1;
        for (int i = 0; i <= ranges.size(); i++) {
            boolean mine = i < ranges.size() && ranges.get(i).shard() == shard;
            if (mine && first < 0) {
                first = i;
            } else if (!mine && first >= 0) {
                runs.add(new KeyRange(first, ranges.get(first).lower(), ranges.get(i - 1).upper()));
                first = -1;
            }
        }
        return runs;
    }

    /** The indexes of the table's ranges this shard reads, for its report. */
    public List<Integer> indexes(String table) {
        List<Integer> indexes = new ArrayList<>();
        for (PlanFile.Range range : tables.get(table).ranges()) {
            if (range.shard() == shard) {
                indexes.add(range.index());
            }
        }
        return indexes;
    }

    /**
     * Refuses to verify databases other than those planned: the ranges and the split would be another's.
     *
     * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION}
     */
    public void bindDatabases(String sourceKey, String sourceDescription, String targetKey, String targetDescription) {
        if (!plan.source().key().equals(sourceKey) || !plan.target().key().equals(targetKey)) {
            boolean source = !plan.source().key().equals(sourceKey);
            throw invalid("The plan was made for another " + (source ? "source" : "target") + " ("
                    + (source ? plan.source() : plan.target()).description() + ", not "
                    + (source ? sourceDescription : targetDescription)
                    + "): verify the databases it was made for, or make a new plan with 'pgverify plan'.");
        }
    }

    /**
     * Refuses a selection whose tables are not those planned, or whose definition changed since: their ranges may no
     * longer cut the key, and a table not planned would be verified by no shard.
     *
     * @param definitions each selected source table, by name, with its definition (or {@link PlanFile#MISSING_ON_TARGET})
     */
    public void bindTables(Map<String, String> definitions) {
        Set<String> planned = new TreeSet<>();
        plan.tables().forEach(t -> planned.add(t.name()));
        for (Map.Entry<String, String> table : definitions.entrySet()) {
            PlanFile.Table recorded = tables.get(table.getKey());
            if (recorded == null) {
                throw invalid("The table " + table.getKey() + " is selected but not in the plan (created since, or"
                        + " another --include/--exclude): give the selection the plan was made with, or make a new plan.");
            }
            if (!recorded.definition().equals(table.getValue())) {
                throw invalid("The definition of " + table.getKey() + " changed since the plan was made: make a new"
                        + " plan with 'pgverify plan'.");
            }
            planned.remove(table.getKey());
        }
        if (!planned.isEmpty()) {
            throw invalid("The plan holds " + planned.iterator().next() + (planned.size() > 1 ? " and " + (planned.size() - 1)
                    + " more table(s)" : "") + ", not selected now (dropped since, or another --include/--exclude): give"
                    + " the selection the plan was made with, or make a new plan.");
        }
    }

    private static VerifyException invalid(String message) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
