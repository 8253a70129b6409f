package io.pgverify.cli;

import java.nio.file.Path;

import io.pgverify.ErrorCode;
import io.pgverify.Shard;
import io.pgverify.ShardPlan;
import io.pgverify.VerifyException;

import picocli.CommandLine.Option;

/**
 * {@code verify --plan FILE --shard I/N}: one shard of a plan made by {@code pgverify plan}. {@code --shard} itself is
 * {@link PairsOptions}'s, shared with {@code --pairs}.
 */
final class ShardOptions {

    @Option(names = "--plan", order = 90, paramLabel = "FILE",
            description = "Verify one shard of the plan FILE written by 'pgverify plan' (with --shard): only that "
                    + "shard's key ranges. The plan is refused for other databases or changed tables.")
    Path plan;

    boolean given() {
        return plan != null;
    }

    /** The plan of tables to verify a shard of; a plan without a shard, or with another shard count, is refused. */
    ShardPlan read(Shard shard) {
        if (shard == null) {
            throw usage("--plan " + plan + " needs --shard I/N: which of the plan's shards this process verifies.");
        }
        ShardPlan read = ShardPlan.read(plan);
        if (read.shards() != shard.count()) {
            throw usage("The plan " + plan + " is split into " + read.shards() + " shards, not " + shard.count()
                    + ": give --shard I/" + read.shards() + ".");
        }
        return read;
    }

    private static VerifyException usage(String message) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
