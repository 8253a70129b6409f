package io.pgverify.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.pgverify.CheckKind;
import io.pgverify.Verifier;

import picocli.CommandLine.Option;

/** What to verify and how hard to push: shared by {@code verify} and {@code demo}, mapped onto {@link Verifier.Builder}. */
final class VerificationOptions {

    @Option(names = "--include", order = 10, paramLabel = "PATTERN",
            description = "Verify only tables matching schema.table patterns, as psql's \\d reads them: * and ? are "
                    + "wildcards, unquoted names fold to lower case, \"Double Quotes\" keep case and make every character "
                    + "literal, a pattern without a dot matches the table in any schema. Repeatable, comma-separated. "
                    + "Default: every table outside the system schemas.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exclude", order = 11, paramLabel = "PATTERN",
            description = "Leave out tables matching these patterns (as --include); wins over --include. Repeatable, "
                    + "comma-separated.")
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
            description = "About how many rows the smallest key range of the hash check holds; consecutive ranges are"
                    + " read at once while they fit in --chunk-time. Default: " + Verifier.DEFAULT_CHUNK_ROWS + ".")
    Long chunkRows;

    @Option(names = "--chunk-time", order = 15, paramLabel = "DURATION", converter = Durations.class,
            description = "About how long one read of a key range should take, measured as each table is read, e.g."
                    + " 500ms, 2s; 0 reads each range of --chunk-rows alone. Default: 1s.")
    Duration chunkTime;

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

    @Option(names = "--source-threads", order = 20, paramLabel = "N",
            description = "At most N concurrent queries on the source (protects production). Default: --threads.")
    Integer sourceThreads;

    @Option(names = "--target-threads", order = 21, paramLabel = "N",
            description = "At most N concurrent queries on the target. Default: --threads.")
    Integer targetThreads;

    @Option(names = "--max-rows-per-second", order = 22, paramLabel = "N",
            description = "Read at most N rows per second from each side. Default: no limit.")
    Long maxRowsPerSecond;

    @Option(names = "--max-bytes-per-second", order = 23, paramLabel = "SIZE", converter = ByteSizes.class,
            description = "Read at most SIZE bytes of rows per second from each side (as binary COPY sends them), e.g. "
                    + "50MB or 64MiB (MB is 10^6 bytes, MiB 2^20). Both limits hold when both are given. Default: no limit.")
    Long maxBytesPerSecond;

    @Option(names = "--recheck", order = 24, paramLabel = "N",
            description = "Re-read a key range that differs up to N times before reporting it: differences that go away "
                    + "were rows in flight (replication lag). Default: " + Verifier.DEFAULT_RECHECK + ".")
    Integer recheck;

    @Option(names = "--recheck-delay", order = 25, paramLabel = "DURATION", converter = Durations.class,
            description = "How long to wait before each recheck. Default: 2s.")
    Duration recheckDelay;

    @Option(names = "--wait-for-catchup", order = 26, paramLabel = "TIMEOUT", arity = "0..1", fallbackValue = "10m",
            converter = Durations.class,
            description = "Before comparing, wait until the target has applied the source's current WAL position "
                    + "(logical replication), at most TIMEOUT (default 10m); exit 3 if it does not. With writes stopped, "
                    + "this is the exact cutover gate.")
    Duration waitForCatchup;

    @Option(names = "--slot", order = 27, split = ",", paramLabel = "NAME",
            description = "The source's logical replication slot(s) feeding the target, for --wait-for-catchup. "
                    + "Default: the target's subscriptions' slots, else every logical slot of the source database.")
    List<String> slots = new ArrayList<>();

    @Option(names = "--snapshot", order = 28,
            description = "Read each side from one exported snapshot, so counts and rows are from one instant. Holds back "
                    + "vacuum while it runs: the progress line shows its age, and a warning is printed when it is held "
                    + "longer than --snapshot-age-warning.")
    boolean snapshot;

    @Option(names = "--snapshot-age-warning", order = 29, paramLabel = "DURATION", converter = Durations.class,
            description = "With --snapshot: warn when the snapshot is older than this. Default: 10m.")
    Duration snapshotAgeWarning;

    @Option(names = "--retries", order = 30, paramLabel = "N",
            description = "Retry work that failed transiently (connection lost, server restarted, query cancelled or "
                    + "timed out) up to N times with a doubling backoff. Default: " + Verifier.DEFAULT_RETRIES + ".")
    Integer retries;

    @Option(names = "--state", order = 31, paramLabel = "FILE",
            description = "Record verified key ranges in FILE (readable by its owner only); a rerun of the same "
                    + "verification with the same FILE skips ranges already verified as matching (resume an interrupted "
                    + "run). A FILE of other databases or options is refused.")
    java.nio.file.Path stateFile;

    @Option(names = "--fresh", order = 32,
            description = "With --state: verify everything again, ignoring what FILE records.")
    boolean fresh;

    @Option(names = "--allow-same-database", order = 33,
            description = "Verify even when source and target are the same database (or a primary and its physical "
                    + "standby), which is otherwise refused: it always matches, so it proves nothing unless that is the point.")
    boolean allowSameDatabase;

    @Option(names = "--mode", order = 19, paramLabel = "MODE",
            description = "How the hash check moves rows: stream (every key range streamed from both sides and merged; "
                    + "fastest near the databases) or digest (each server digests its key ranges and only the digests "
                    + "cross the network; differing ranges are then streamed; for verifiers far from the databases). "
                    + "Default: stream.")
    String mode;

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
        if (chunkTime != null) {
            builder.chunkTime(chunkTime);
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
        if (mode != null) {
            builder.compareMode(switch (mode.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "stream" -> io.pgverify.CompareMode.STREAM;
                case "digest" -> io.pgverify.CompareMode.DIGEST;
                default -> throw new io.pgverify.VerifyException(io.pgverify.ErrorCode.INVALID_CONFIGURATION,
                        "Unknown --mode '" + mode + "': use stream or digest.");
            });
        }
        if (sourceThreads != null) {
            builder.sourceThreads(sourceThreads);
        }
        if (targetThreads != null) {
            builder.targetThreads(targetThreads);
        }
        if (maxRowsPerSecond != null) {
            builder.maxRowsPerSecond(maxRowsPerSecond);
        }
        if (maxBytesPerSecond != null) {
            builder.maxBytesPerSecond(maxBytesPerSecond);
        }
        if (recheck != null || recheckDelay != null) {
            builder.recheck(recheck != null ? recheck : Verifier.DEFAULT_RECHECK,
                    recheckDelay != null ? recheckDelay : Verifier.DEFAULT_RECHECK_DELAY);
        }
        if (waitForCatchup != null) {
            builder.waitForCatchup(waitForCatchup);
        }
        builder.replicationSlots(slots.toArray(String[]::new));
        builder.snapshot(snapshot);
        if (snapshotAgeWarning != null) {
            builder.snapshotAgeWarning(snapshotAgeWarning);
        }
        if (retries != null) {
            builder.retries(retries, Verifier.DEFAULT_RETRY_BACKOFF);
        }
        builder.allowSameDatabase(allowSameDatabase);
        if (stateFile != null) {
            builder.stateFile(stateFile).fresh(fresh);
        } else if (fresh) {
            throw new io.pgverify.VerifyException(io.pgverify.ErrorCode.INVALID_CONFIGURATION,
                    "--fresh only makes sense with --state FILE: add --state or drop --fresh.");
        }
        return builder;
    }
}
