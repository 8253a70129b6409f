package io.pgverify.report;

import io.pgverify.Shard;

/**
 * How to write a report.
 *
 * @param toolVersion  pgverify's version, written into machine-readable reports
 * @param color        whether ANSI colours may be used (text only: a TTY and no NO_COLOR)
 * @param sourceLabel  the source as shown to people, password masked
 * @param targetLabel  the target as shown to people, password masked
 * @param planDigest   the digest of the plan or pairs list this report is one shard of, or null when not sharded
 * @param shard        which shard of that plan this report covers, or null when not sharded
 */
public record ReportOptions(String toolVersion, boolean color, String sourceLabel, String targetLabel,
                            String planDigest, Shard shard) {

    public ReportOptions(String toolVersion, boolean color, String sourceLabel, String targetLabel) {
        this(toolVersion, color, sourceLabel, targetLabel, null, null);
    }

    /** The same options for a report that is one shard of a plan, so that merge-reports can tell the shards apart. */
    public ReportOptions withShard(String planDigest, Shard shard) {
        return new ReportOptions(toolVersion, color, sourceLabel, targetLabel, planDigest, shard);
    }
}
