package io.pgverify.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.pgverify.CheckKind;
import io.pgverify.Verifier;

import picocli.CommandLine.Option;

/** What to verify and how hard to push: shared by {@code verify} and {@code demo}, mapped onto {@link Verifier.Builder}. */
final class VerificationOptions {

    @Option(names = "--include", order = 10, split = ",", paramLabel = "GLOB",
            description = "Verify only tables matching schema.table globs (* and ?; a glob without a dot matches the table "
                    + "in any schema). Repeatable, comma-separated. Default: every table outside the system schemas.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exclude", order = 11, split = ",", paramLabel = "GLOB",
            description = "Leave out tables matching these globs; wins over --include. Repeatable, comma-separated.")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--checks", order = 12, split = ",", paramLabel = "CHECK", converter = CheckKinds.class,
            description = "The checks to run, comma-separated: schema, sequences, counts, last-rows, hashes. Default: all.")
    List<CheckKind> checks = new ArrayList<>();

    @Option(names = "--last-rows", order = 13, paramLabel = "N",
            description = "How many rows with the highest keys the last-rows check compares. Default: " + Verifier.DEFAULT_LAST_ROWS + ".")
    Integer lastRows;

    @Option(names = "--threads", order = 14, paramLabel = "N",
            description = "Tables or key ranges compared at once; each holds one connection per side. Default: "
                    + Verifier.DEFAULT_THREADS + ".")
    Integer threads;

    @Option(names = "--chunk-rows", order = 15, paramLabel = "N",
            description = "About how many rows one key range of the hash check holds. Default: " + Verifier.DEFAULT_CHUNK_ROWS + ".")
    Long chunkRows;

    @Option(names = "--statement-timeout", order = 16, paramLabel = "DURATION", converter = Durations.class,
            description = "The longest any one query may run, e.g. 90s, 30m, 1h. Default: 30m.")
    Duration statementTimeout;

    @Option(names = "--lock-timeout", order = 17, paramLabel = "DURATION", converter = Durations.class,
            description = "The longest any query waits for a lock (never queue behind a migration's DDL for long). Default: 10s.")
    Duration lockTimeout;

    @Option(names = "--max-differences", order = 18, paramLabel = "N",
            description = "How many differences are listed per table and check; all are counted. Default: "
                    + Verifier.DEFAULT_MAX_DIFFERENCES + ".")
    Integer maxDifferences;

    /** Only what was given: the builder owns the defaults and checks the ranges. */
    Verifier.Builder applyTo(Verifier.Builder builder) {
        builder.include(includes.toArray(String[]::new)).exclude(excludes.toArray(String[]::new));
        if (!checks.isEmpty()) {
            builder.checks(checks);
        }
        if (lastRows != null) {
            builder.lastRows(lastRows);
        }
        if (threads != null) {
            builder.threads(threads);
        }
        if (chunkRows != null) {
            builder.chunkRows(chunkRows);
        }
        if (statementTimeout != null) {
            builder.statementTimeout(statementTimeout);
        }
        if (lockTimeout != null) {
            builder.lockTimeout(lockTimeout);
        }
        if (maxDifferences != null) {
            builder.maxDifferencesPerTable(maxDifferences);
        }
        return builder;
    }
}
