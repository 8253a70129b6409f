package io.pgverify.cli;

import java.nio.file.Path;

import io.pgverify.ErrorCode;
import io.pgverify.Fleet;
import io.pgverify.Shard;
import io.pgverify.VerifyException;

import picocli.CommandLine.Option;

/**
 * {@code verify --pairs FILE}: many pairs in one process, how many at once, how hard on each server, and which share
 * of them this process takes. Not {@link io.pgverify.Setting} rows: they configure the fleet, not a verification.
 */
final class PairsOptions {

    @Option(names = "--pairs", paramLabel = "FILE", order = 5,
            description = "Verify every pair listed in FILE (YAML or JSON: pairs with a name, a source and a target, "
                    + "and any option below as a default or per pair) instead of one --source and --target. "
                    + "See docs/fleets.md.")
    Path file;

    @Option(names = "--max-parallel-pairs", paramLabel = "N", order = 6,
            description = "With --pairs: at most N pairs verified at once. Default: 2.")
    Integer maxParallelPairs;

    @Option(names = "--max-connections-per-host", paramLabel = "N", order = 7,
            description = "With --pairs: at most N connections open on any one server (host and port) at once, over "
                    + "all pairs; a pair starts only when each of its servers has room for all it may open (--threads "
                    + "+ 2 per side). Default: 0, no bound.")
    Integer maxConnectionsPerHost;

    @Option(names = "--shard", paramLabel = "I/N", order = 8,
            description = "With --pairs or --plan: verify only share I of N, counted from 0 as Kubernetes' "
                    + "JOB_COMPLETION_INDEX. With --pairs, the pairs sorted by name and dealt round-robin, so that each "
                    + "pair is in exactly one share; with --plan, the ranges or pairs the plan put in shard I.")
    String shard;

    boolean given() {
        return file != null;
    }

    /** The options that only make sense with --pairs are refused without it, rather than ignored. */
    void validate(ConnectionOptions connection) {
        if (file == null) {
            String stray = maxParallelPairs != null ? "--max-parallel-pairs"
                    : maxConnectionsPerHost != null ? "--max-connections-per-host"
                    : shard != null ? "--shard" : null;
            if (stray != null) {
                throw usage(stray + " only applies with --pairs FILE" + (stray.equals("--shard") ? " or --plan FILE" : "")
                        + ": add it or drop " + stray + ".");
            }
            return;
        }
        if (connection.source != null || connection.target != null) {
            throw usage("--pairs " + file + " lists the sources and targets: drop --source and --target.");
        }
        if (connection.sourcePasswordFile != null || connection.targetPasswordFile != null) {
            throw usage("--pairs " + file + " takes each password from its URL, PGPASSWORD or ~/.pgpass: drop "
                    + "--source-password-file and --target-password-file.");
        }
        if (maxParallelPairs != null && (maxParallelPairs < 1 || maxParallelPairs > 1024)) {
            throw usage("--max-parallel-pairs must be between 1 and 1024, not " + maxParallelPairs + ".");
        }
        if (maxConnectionsPerHost != null && maxConnectionsPerHost < 0) {
            throw usage("--max-connections-per-host must not be negative, not " + maxConnectionsPerHost + ".");
        }
        shard();
    }

    int maxParallelPairs() {
        return maxParallelPairs == null ? Fleet.DEFAULT_MAX_PARALLEL_PAIRS : maxParallelPairs;
    }

    int maxConnectionsPerHost() {
        return maxConnectionsPerHost == null ? 0 : maxConnectionsPerHost;
    }

    /** The share of this process, or null for all the pairs. */
    Shard shard() {
        if (shard == null) {
            return null;
        }
        try {
            return Shard.parse(shard);
        } catch (IllegalArgumentException e) {
            throw usage("--shard: " + e.getMessage() + ".");
        }
    }

    private static VerifyException usage(String message) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
