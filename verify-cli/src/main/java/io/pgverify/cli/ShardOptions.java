package io.pgverify.cli;

import java.nio.file.Path;

import io.pgverify.ErrorCode;
import io.pgverify.Shard;
import io.pgverify.ShardPlan;
import io.pgverify.VerifyException;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code verify --plan FILE --shard I/N}: one shard of a plan made by {@code pgverify plan}. */
final class ShardOptions {

    @Option(names = "--plan", order = 90, paramLabel = "FILE",
            description = "Verify one shard of the plan FILE written by 'pgverify plan' (with --shard): only that "
                    + "shard's key ranges. The plan is refused for other databases or changed tables.")
    Path plan;

    @Option(names = "--shard", order = 91, paramLabel = "I/N", converter = ShardText.class,
            description = "Which shard to verify, counted from 0 as Kubernetes' JOB_COMPLETION_INDEX: 0/8 to 7/8. "
                    + "N must be the plan's shard count.")
    Shard shard;

    /** The plan to verify a shard of, or null when there is none; a shard without a plan, or the reverse, is refused. */
    ShardPlan read() {
        if (plan == null && shard == null) {
            return null;
        }
        if (plan == null) {
            throw usage("--shard " + shard + " needs --plan FILE (a plan written by 'pgverify plan').");
        }
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

    /** {@code I/N} as {@link Shard#parse} reads it; a malformed one is picocli's usage error naming the option. */
    static final class ShardText implements ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            try {
                return Shard.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
