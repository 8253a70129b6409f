package io.pgverify;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import io.pgverify.internal.shard.PlanFile;

/**
 * A verification planned once and split over several processes: the key ranges of each table, each assigned to one
 * shard, bound to the source and target databases and to each table's definition. Immutable.
 *
 * <pre>{@code
 * // Once, e.g. in a first Kubernetes Job:
 * try (Verifier planner = Verifier.builder().source(old).target(migrated).build()) {
 *     planner.plan(8).write(Path.of("plan.json"));
 * }
 * // In each of 8 processes (JOB_COMPLETION_INDEX = i):
 * ShardPlan plan = ShardPlan.read(Path.of("plan.json"));
 * try (Verifier shard = Verifier.builder().source(old).target(migrated).shard(plan, new Shard(i, 8)).build()) {
 *     VerificationReport part = shard.verify();   // only shard i's ranges; write it as JSON, merge the eight
 * }
 * }</pre>
 *
 * <p>What each shard checks, so that the shards' reports merged equal one process's: the schema of every table,
 * the sequences and the target's extra tables in shard 0; a table read whole (no key, or small) entirely in the shard
 * holding it; of a split table, each shard's ranges' rows and row counts (the merge sums them), and its last rows in
 * the shard holding its last range.
 */
public final class ShardPlan {

    private final PlanFile file;

    private ShardPlan(PlanFile file) {
        this.file = file;
    }

    static ShardPlan of(PlanFile file) {
        return new ShardPlan(file);
    }

    PlanFile file() {
        return file;
    }

    /**
     * Reads a plan written by {@link #write(Path)} or {@code pgverify plan}.
     *
     * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION} when the file is missing, is no plan, or was
     *                         edited since it was written
     */
    public static ShardPlan read(Path file) {
        return new ShardPlan(PlanFile.read(Objects.requireNonNull(file, "file")));
    }

    /** Writes the plan as JSON to a new file renamed into place. */
    public void write(Path file) {
        this.file.write(Objects.requireNonNull(file, "file"));
    }

    /** The plan as the JSON text {@link #write(Path)} writes. */
    public String toJson() {
        return file.toJson();
    }

    /** The digest of the plan's content: each shard's report records it, and merging refuses reports of another plan. */
    public String digest() {
        return file.digest();
    }

    /** How many shards the plan is split into. */
    public int shards() {
        return file.shards();
    }

    /** The planned tables, {@code schema.name}, in the order of the source's catalog. */
    public List<String> tables() {
        return file.tables().stream().map(PlanFile.Table::name).toList();
    }

    /** How many key ranges the table is read in (1 when read whole); 0 when it is not in the plan. */
    public int ranges(String table) {
        PlanFile.Table planned = file.table(table);
        return planned == null ? 0 : planned.ranges().size();
    }

    /** The indexes of the table's key ranges that the shard {@code index} reads, in key order. */
    public List<Integer> rangesOf(String table, int index) {
        PlanFile.Table planned = file.table(table);
        return planned == null ? List.of()
                : planned.ranges().stream().filter(r -> r.shard() == index).map(PlanFile.Range::index).toList();
    }
}
