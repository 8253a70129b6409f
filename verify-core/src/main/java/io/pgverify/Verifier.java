package io.pgverify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.pgverify.internal.catalog.TableFilter;
import io.pgverify.internal.jdbc.ConnectionPools;
import io.pgverify.internal.run.VerificationRun;
import io.pgverify.internal.run.VerificationSettings;

/**
 * Verifies that a target PostgreSQL database holds the same data as its source.
 *
 * <pre>{@code
 * try (Verifier verifier = Verifier.builder()
 *         .source(ConnectionSettings.parse(System.getenv("SOURCE_URL")))
 *         .target(ConnectionSettings.parse(System.getenv("TARGET_URL")))
 *         .exclude("audit.*")
 *         .build()) {
 *     VerificationReport report = verifier.verify();
 *     if (!report.matches()) {
 *         throw new IllegalStateException("Do not promote: " + report.outcome());
 *     }
 * }
 * }</pre>
 *
 * <p>The verifier only reads: every unit of work runs in a read-only transaction with pinned session settings, a
 * statement timeout and a lock timeout, under {@code application_name} {@value #DEFAULT_APPLICATION_NAME}. It never
 * holds one snapshot for the whole run. A verifier may be used for several verifications, one after another or at
 * once; close it to release the connection pools it created.
 */
public final class Verifier implements AutoCloseable {

    public static final String DEFAULT_APPLICATION_NAME = "pgverify";
    public static final int DEFAULT_THREADS = 4;
    public static final int DEFAULT_LAST_ROWS = 10;
    public static final int DEFAULT_MAX_DIFFERENCES = 100;
    public static final long DEFAULT_CHUNK_ROWS = 20_000;
    public static final Duration DEFAULT_CHUNK_TIME = Duration.ofSeconds(1);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_RETRIES = 3;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
    public static final int DEFAULT_RECHECK = 0;
    public static final Duration DEFAULT_RECHECK_DELAY = Duration.ofSeconds(2);
    public static final Duration DEFAULT_SNAPSHOT_AGE_WARNING = Duration.ofMinutes(10);

    private final VerificationSettings settings;
    private final DataSource source;
    private final DataSource target;
    private final List<AutoCloseable> owned;
    private final ExecutorService executor;

    private Verifier(VerificationSettings settings, DataSource source, DataSource target, List<AutoCloseable> owned,
                     ExecutorService executor) {
        this.settings = settings;
        this.source = source;
        this.target = target;
        this.owned = owned;
        this.executor = executor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the checks and returns the report. Differences are in the report; this throws only when the verification
     * cannot be carried out at all (a side cannot be reached, the catalogs cannot be read).
     *
     * @throws VerifyException when the verification could not be carried out
     */
    public VerificationReport verify() {
        return new VerificationRun(settings, source, target, executor).run();
    }

    /**
     * Like {@link #verify()}, but throws unless the target matches.
     *
     * @throws VerificationFailedException carrying the report, when the outcome is not {@link Outcome#MATCH}
     */
    public VerificationReport verifyOrThrow() {
        VerificationReport report = verify();
        if (!report.matches()) {
            throw new VerificationFailedException(report);
        }
        return report;
    }

    /** Closes the connection pools this verifier created; data sources and executors handed in stay open. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable closeable : owned) {
            try {
                closeable.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Could not close " + closeable, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Configures a {@link Verifier}; {@link #build()} checks every setting. */
    public static final class Builder {
        private DataSource sourceDataSource;
        private DataSource targetDataSource;
        private ConnectionSettings sourceSettings;
        private ConnectionSettings targetSettings;
        private final List<String> includes = new ArrayList<>();
        private final List<String> excludes = new ArrayList<>();
        private final Set<CheckKind> checks = EnumSet.allOf(CheckKind.class);
        private int lastRows = DEFAULT_LAST_ROWS;
        private int threads = DEFAULT_THREADS;
        private int maxDifferencesPerTable = DEFAULT_MAX_DIFFERENCES;
        private long chunkRows = DEFAULT_CHUNK_ROWS;
        private Duration chunkTime = DEFAULT_CHUNK_TIME;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        private String applicationName = DEFAULT_APPLICATION_NAME;
        private ProgressListener progressListener = ProgressListener.NONE;
        private ExecutorService executor;
        private int sourceThreads;
        private int targetThreads;
        private int retries = DEFAULT_RETRIES;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private int recheck = DEFAULT_RECHECK;
        private Duration recheckDelay = DEFAULT_RECHECK_DELAY;
        private Duration waitForCatchup;
        private final List<String> replicationSlots = new ArrayList<>();
        private boolean snapshot;
        private Duration snapshotAgeWarning = DEFAULT_SNAPSHOT_AGE_WARNING;
        private long maxRowsPerSecond;
        private long maxBytesPerSecond;
        private java.nio.file.Path stateFile;
        private boolean fresh;
        private CompareMode compareMode = CompareMode.STREAM;

        private Builder() {
        }

        /** The source as a data source the caller owns and closes. */
        public Builder source(DataSource dataSource) {
            this.sourceDataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.sourceSettings = null;
            return this;
        }

        /** The source by connection settings: the verifier creates and closes a connection pool for it. */
        public Builder source(ConnectionSettings settings) {
            this.sourceSettings = Objects.requireNonNull(settings, "settings");
            this.sourceDataSource = null;
            return this;
        }

        /** The target as a data source the caller owns and closes. */
        public Builder target(DataSource dataSource) {
            this.targetDataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.targetSettings = null;
            return this;
        }

        /** The target by connection settings: the verifier creates and closes a connection pool for it. */
        public Builder target(ConnectionSettings settings) {
            this.targetSettings = Objects.requireNonNull(settings, "settings");
            this.targetDataSource = null;
            return this;
        }

        /**
         * Verifies only tables matching one of these globs over {@code schema.table} ({@code *} any run of characters,
         * {@code ?} one character; a glob without a dot matches the table name in any schema). Default: all tables
         * outside the system schemas.
         */
        public Builder include(String... globs) {
            includes.addAll(Arrays.asList(globs));
            return this;
        }

        /** Leaves out tables matching one of these globs; exclusion wins over inclusion. */
        public Builder exclude(String... globs) {
            excludes.addAll(Arrays.asList(globs));
            return this;
        }

        /** The checks to run (default: all). */
        public Builder checks(CheckKind... kinds) {
            return checks(Arrays.asList(kinds));
        }

        public Builder checks(java.util.Collection<CheckKind> kinds) {
            checks.clear();
            checks.addAll(kinds);
            return this;
        }

        /** How many rows with the highest keys the last-rows check compares (default {@value #DEFAULT_LAST_ROWS}). */
        public Builder lastRows(int rows) {
            this.lastRows = rows;
            return this;
        }

        /** How many tables or key ranges are compared at once; each holds one connection per side. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * At most this many concurrent queries on the source (default: {@link #threads(int)}). Every comparison reads
         * both sides, so the smaller of the two limits is how many comparisons run at once.
         */
        public Builder sourceThreads(int threads) {
            this.sourceThreads = threads;
            return this;
        }

        /** At most this many concurrent queries on the target (default: {@link #threads(int)}). */
        public Builder targetThreads(int threads) {
            this.targetThreads = threads;
            return this;
        }

        /**
         * How often work that failed transiently (connection lost, server restarted, query cancelled or timed out,
         * a standby's recovery conflict) is retried on a fresh connection, with a backoff that doubles from
         * {@code backoff}. Default {@value #DEFAULT_RETRIES} retries from 1 second. What still fails is incomplete.
         */
        public Builder retries(int retries, Duration backoff) {
            this.retries = retries;
            this.retryBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * Re-reads a key range that showed differences, up to {@code times} times after {@code delay} each, and
         * keeps only the differences that persist: with replication running, rows still in flight are not failures.
         * Default: no rechecks, the right choice for the cutover gate (writes stopped, {@link #waitForCatchup}): there
         * is nothing in flight, and a difference should cost no waiting.
         */
        public Builder recheck(int times, Duration delay) {
            this.recheck = times;
            this.recheckDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /**
         * Before comparing, waits until the target has confirmed the source's current WAL position through logical
         * replication (the source's replication slots), at most {@code timeout}; throws with
         * {@link ErrorCode#TIMEOUT} when it does not. With writes stopped this is the exact cutover gate.
         */
        public Builder waitForCatchup(Duration timeout) {
            this.waitForCatchup = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The source's logical replication slots that feed the target, for {@link #waitForCatchup(Duration)}.
         * Default: those named by the target's subscriptions, else every logical slot of the source database.
         */
        public Builder replicationSlots(String... slots) {
            replicationSlots.addAll(Arrays.asList(slots));
            return this;
        }

        /**
         * Reads all of one side from one exported snapshot, so that counts and rows of that side are from one
         * instant. Off by default: a snapshot held for hours holds back vacuum on a busy source.
         */
        public Builder snapshot(boolean snapshot) {
            this.snapshot = snapshot;
            return this;
        }

        /** With {@link #snapshot(boolean)}: warn when the snapshot has been held longer than this (default 10 minutes). */
        public Builder snapshotAgeWarning(Duration age) {
            this.snapshotAgeWarning = Objects.requireNonNull(age, "age");
            return this;
        }

        /** At most this many rows per second read from each side (0, the default, for no limit). */
        public Builder maxRowsPerSecond(long rows) {
            this.maxRowsPerSecond = rows;
            return this;
        }

        /**
         * At most this many bytes per second read from each side (0, the default, for no limit), counted as the bytes
         * of binary COPY each server sends for the rows compared. With {@link #maxRowsPerSecond(long)} both limits hold.
         */
        public Builder maxBytesPerSecond(long bytes) {
            this.maxBytesPerSecond = bytes;
            return this;
        }

        /**
         * Records verified key ranges in this file; a later run with the same file skips the ranges already
         * verified as matching (unless {@link #fresh(boolean)}).
         */
        public Builder stateFile(java.nio.file.Path file) {
            this.stateFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * How the hash check moves rows: {@link CompareMode#STREAM} (default) or {@link CompareMode#DIGEST}, where
         * only per-range digests cross the network unless a range differs.
         */
        public Builder compareMode(CompareMode mode) {
            this.compareMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** With {@link #stateFile}: verify everything again, ignoring what the file records. */
        public Builder fresh(boolean fresh) {
            this.fresh = fresh;
            return this;
        }

        /** How many differences are listed per table and check; the total is always counted. */
        public Builder maxDifferencesPerTable(int max) {
            this.maxDifferencesPerTable = max;
            return this;
        }

        /**
         * About how many rows the smallest key range holds (default {@value #DEFAULT_CHUNK_ROWS}): the hash check plans
         * each table in ranges of this size, from a sample of the source's keys, and reads as many consecutive ones at
         * once as fit in the {@linkplain #chunkTime(Duration) chunk time}.
         */
        public Builder chunkRows(long rows) {
            this.chunkRows = rows;
            return this;
        }

        /**
         * About how long one read of a key range should take (default 1 second), measured while each table is read, so
         * that wide rows get smaller ranges and narrow rows bigger ones; every query stays short, and a retry or a
         * resumed run repeats little. {@link Duration#ZERO} reads each planned range of {@link #chunkRows(long)} rows
         * on its own.
         */
        public Builder chunkTime(Duration time) {
            this.chunkTime = Objects.requireNonNull(time, "time");
            return this;
        }

        /** The longest any one query may run (default 30 minutes). */
        public Builder statementTimeout(Duration timeout) {
            this.statementTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The longest any query waits for a lock (default 10 seconds): never queue behind a migration's DDL for long. */
        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The {@code application_name} DBAs see in {@code pg_stat_activity} (default {@value #DEFAULT_APPLICATION_NAME}). */
        public Builder applicationName(String name) {
            this.applicationName = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder progressListener(ProgressListener listener) {
            this.progressListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Runs the work on the caller's executor, which the verifier never shuts down. */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Checks the configuration and creates the verifier (and its connection pools, which connect lazily).
         *
         * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION} naming the first wrong setting
         */
        public Verifier build() {
            if (sourceDataSource == null && sourceSettings == null) {
                throw invalid("No source given: call source(...) with connection settings or a DataSource.");
            }
            if (targetDataSource == null && targetSettings == null) {
                throw invalid("No target given: call target(...) with connection settings or a DataSource.");
            }
            if (checks.isEmpty()) {
                throw invalid("No checks selected: choose at least one of schema, sequences, counts, last-rows, hashes.");
            }
            requireRange("threads", threads, 1, 64);
            requireRange("lastRows", lastRows, 1, 100_000);
            requireRange("maxDifferencesPerTable", maxDifferencesPerTable, 1, 1_000_000);
            if (chunkRows < 1_000 || chunkRows > 100_000_000) {
                throw invalid("chunkRows must be between 1000 and 100000000, not " + chunkRows + ".");
            }
            if (chunkTime.isNegative() || chunkTime.compareTo(Duration.ofHours(1)) > 0) {
                throw invalid("chunkTime must be between 0 and 1 hour, not " + chunkTime.toSeconds() + " seconds.");
            }
            if (statementTimeout.isNegative() || lockTimeout.isNegative()) {
                throw invalid("Timeouts must not be negative.");
            }
            int sourceLimit = sourceThreads == 0 ? threads : sourceThreads;
            int targetLimit = targetThreads == 0 ? threads : targetThreads;
            requireRange("sourceThreads", sourceLimit, 1, 64);
            requireRange("targetThreads", targetLimit, 1, 64);
            requireRange("retries", retries, 0, 100);
            requireRange("recheck", recheck, 0, 100);
            if (maxRowsPerSecond < 0) {
                throw invalid("maxRowsPerSecond must not be negative, not " + maxRowsPerSecond + ".");
            }
            if (maxBytesPerSecond < 0) {
                throw invalid("maxBytesPerSecond must not be negative, not " + maxBytesPerSecond + ".");
            }
            if (retryBackoff.isNegative() || recheckDelay.isNegative() || (waitForCatchup != null && waitForCatchup.isNegative())) {
                throw invalid("Durations must not be negative.");
            }
            int workers = Math.min(sourceLimit, targetLimit);
            TableFilter filter = TableFilter.of(includes, excludes);
            VerificationSettings settings = new VerificationSettings(filter, EnumSet.copyOf(checks), lastRows, workers,
                    maxDifferencesPerTable, chunkRows, chunkTime, statementTimeout, lockTimeout, applicationName, progressListener,
                    retries, retryBackoff, recheck, recheckDelay, waitForCatchup, replicationSlots, snapshot,
                    snapshotAgeWarning, maxRowsPerSecond, stateFile, fresh, compareMode, maxBytesPerSecond);
            List<AutoCloseable> owned = new ArrayList<>();
            // One connection per worker, one for the catalog and the sequences, one to hold an exported snapshot.
            DataSource source = sourceDataSource != null ? sourceDataSource
                    : own(owned, ConnectionPools.create(sourceSettings, "source", workers + 2, applicationName,
                            statementTimeout));
            DataSource target = targetDataSource != null ? targetDataSource
                    : own(owned, ConnectionPools.create(targetSettings, "target", workers + 2, applicationName,
                            statementTimeout));
            return new Verifier(settings, source, target, List.copyOf(owned), executor);
        }

        private static HikariDataSource own(List<AutoCloseable> owned, HikariDataSource dataSource) {
            owned.add(dataSource);
            return dataSource;
        }

        private static void requireRange(String name, long value, long min, long max) {
            if (value < min || value > max) {
                throw invalid(name + " must be between " + min + " and " + max + ", not " + value + ".");
            }
        }

        private static VerifyException invalid(String message) {
            return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
        }
    }
}
