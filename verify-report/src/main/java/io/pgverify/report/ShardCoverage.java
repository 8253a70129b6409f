package io.pgverify.report;

import java.util.List;
import java.util.Objects;

/**
 * Which key ranges of one planned table a shard's report covers: what {@code merge-reports} checks, over all shards,
 * for ranges read twice or never.
 *
 * @param table    the table, {@code schema.name} as the plan names it
 * @param planned  how many key ranges the plan cut the table into (1 when read whole)
 * @param ranges   the indexes of the ranges this shard read, ascending; empty when none
 */
public record ShardCoverage(String table, int planned, List<Integer> ranges) {

    public ShardCoverage {
        Objects.requireNonNull(table, "table");
        ranges = List.copyOf(ranges);
    }

    /**
     * The JSON writer of a shard's report: {@link ReportFormat#JSON} with, beside the {@code shard} object of
     * {@link ReportOptions#withShard}, the ranges of every planned table the shard covers ({@code shard_ranges}).
     */
    public static ReportWriter jsonWriter(List<ShardCoverage> coverage) {
        return new JsonReportWriter(coverage);
    }
}
