package io.pgverify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.pgverify.internal.config.VerificationSettings;
import io.pgverify.internal.jdbc.Cancellation;
import io.pgverify.internal.jdbc.ConnectionPools;
import io.pgverify.internal.run.GuardedListener;
import io.pgverify.internal.run.VerificationRun;

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
    private final Redactor redactor;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The shard of a plan this verifier verifies, or null for everything. */
    private io.pgverify.internal.shard.ShardWork shardWork;

    private Verifier(VerificationSettings settings, DataSource source, DataSource target, List<AutoCloseable> owned,
                     ExecutorService executor, Redactor redactor) {
        this.redactor = redactor;
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
     * <p>Interrupting the calling thread cancels the verification as {@link Verification#cancel()} does: its
     * statements are cancelled on both servers and this returns the partial report, marked interrupted, once
     * nothing of it runs any more. {@link Builder#deadline(Duration)} bounds the whole run.
     *
     * @throws VerifyException when the verification could not be carried out
     */
    public VerificationReport verify() {
        return run(new Cancellation());
    }

    /**
     * Starts a verification on a thread of its own and returns at once: {@link Verification#cancel()} stops it,
     * {@link Verification#report()} waits for its report. See {@link Verification} for what cancelling guarantees.
     *
     * @throws VerifyException when this verifier is closed
     */
    public Verification start() {
        requireOpen();
        Cancellation cancellation = new Cancellation();
        CompletableFuture<VerificationReport> report = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                report.complete(run(cancellation));
            } catch (Throwable e) {
                report.completeExceptionally(e);
            }
        }, "pgverify-verification");
        thread.setDaemon(true);
        thread.start();
        return new Verification(report, cancellation, thread);
    }

    private VerificationReport run(Cancellation cancellation) {
        requireOpen();
        try {
            return new VerificationRun(settings, source, target, executor, cancellation).useShard(shardWork).run();
        } catch (VerifyException | java.util.concurrent.CancellationException e) {
            if (cancellation.cancelled()) {
                throw new VerifyException(ErrorCode.INTERRUPTED, "The verification was " + cancellation.reason()
                        + " before it compared anything (while it read the catalogs or waited for replication).", null, e);
            }
            throw e instanceof VerifyException verifyException ? redactor.redact(verifyException) : e;
        }
    }

    /**
     * Plans the verification once for {@code shards} processes: reads both catalogs and cuts each keyed table into
     * key ranges from a sample of the source (nothing is compared), then assigns the ranges to shards balanced by
     * estimated rows. Each process then verifies its shard with {@link Builder#shard(ShardPlan, Shard)}.
     *
     * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION} when there are fewer ranges than shards,
     *                         or as {@link #verify()} when a side cannot be read
     */
    public ShardPlan plan(int shards) {
        requireOpen();
        if (shards < 1) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "A plan needs at least 1 shard, not " + shards + ".");
        }
        try {
            return ShardPlan.of(io.pgverify.internal.run.ShardPlanner.plan(settings, source, target, shards));
        } catch (VerifyException e) {
            throw redactor.redact(e);
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION,
                    "This verifier is closed: build a new one with Verifier.builder().");
        }
    }

    /**
     * The redactor of this verifier: it masks the passwords of the connection settings it was built with (data
     * sources handed in keep theirs to themselves), and whatever looks like a password. Everything this verifier
     * throws has passed through it; use it for text of your own that might echo a password.
     */
    public Redactor redactor() {
        return redactor;
    }

    /**
     * Like {@link #verify()}, but throws unless the target matches.
     *
     * @throws VerificationFailedException carrying the report, when the outcome is not {@link Outcome#MATCH}; its
     *                                     message names the first differing tables and keys
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
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        OwnedResources.closeAll(owned);
    }

    /**
     * Configures a {@link Verifier}; {@link #build()} checks every setting. The typed methods ({@code threads(4)}) and
     * {@link #set(Setting, String)} ({@code set(Setting.THREADS, "4")}) write the same {@link Setting} rows, so the
     * library, the environment and the command line share one default, one parser and one check per setting.
     */
    public static final class Builder {
        private ShardPlan shardPlan;
        private Shard shard;
        private DataSource sourceDataSource;
        private DataSource targetDataSource;
        private ConnectionSettings sourceSettings;
        private ConnectionSettings targetSettings;
        private ProgressListener progressListener = ProgressListener.NONE;
        private ExecutorService executor;
        private final Map<Setting, Object> values = new EnumMap<>(Setting.class);
        // How the caller named each setting it gave (method, option or variable), so that a message names it that way.
        private final Map<Setting, String> names = new EnumMap<>(Setting.class);

        private Builder() {
            for (Setting setting : Setting.values()) {
                values.put(setting, setting.defaultValue());
            }
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
         * Verifies only tables matching one of these patterns, read as psql reads {@code \d} patterns:
         * {@code schema.table} or {@code table} (in any schema); {@code *} and {@code ?} are wildcards; unquoted names
         * fold to lower case; double quotes keep case and make every character literal, as reports print names
         * ({@code sales."Mixed Case"}); commas outside quotes separate patterns ({@code "public.orders,sales.items"}).
         * Default: all tables outside the system schemas.
         */
        public Builder include(String... patterns) {
            return append(Setting.INCLUDE, patterns);
        }

        /** Leaves out tables matching one of these patterns (as {@link #include}); exclusion wins over inclusion. */
        public Builder exclude(String... patterns) {
            return append(Setting.EXCLUDE, patterns);
        }

        /** The checks to run (default: all). */
        public Builder checks(CheckKind... kinds) {
            return checks(Arrays.asList(kinds));
        }

        public Builder checks(java.util.Collection<CheckKind> kinds) {
            Set<CheckKind> selected = EnumSet.noneOf(CheckKind.class);
            selected.addAll(kinds);
            return put(Setting.CHECKS, Collections.unmodifiableSet(selected));
        }

        /** How many rows with the highest keys the last-rows check compares (default {@value #DEFAULT_LAST_ROWS}). */
        public Builder lastRows(int rows) {
            return put(Setting.LAST_ROWS, rows);
        }

        /** How many tables or key ranges are compared at once; each holds one connection per side. */
        public Builder threads(int threads) {
            return put(Setting.THREADS, threads);
        }

        /**
         * At most this many concurrent queries on the source (default, or 0: {@link #threads(int)}). Every comparison reads
         * both sides, so the smaller of the two limits is how many comparisons run at once.
         */
        public Builder sourceThreads(int threads) {
            return put(Setting.SOURCE_THREADS, threads);
        }

        /** At most this many concurrent queries on the target (default, or 0: {@link #threads(int)}). */
        public Builder targetThreads(int threads) {
            return put(Setting.TARGET_THREADS, threads);
        }

        /**
         * How often work that failed transiently (connection lost, server restarted, query cancelled or timed out,
         * a standby's recovery conflict) is retried on a fresh connection, with a backoff that doubles from
         * {@code backoff}. Default {@value #DEFAULT_RETRIES} retries from 1 second. What still fails is incomplete.
         */
        public Builder retries(int retries, Duration backoff) {
            put(Setting.RETRIES, retries);
            return retryBackoff(backoff);
        }

        /** How long a transiently failed piece of work waits before its first retry; each further retry doubles it. */
        public Builder retryBackoff(Duration backoff) {
            return put(Setting.RETRY_BACKOFF, Objects.requireNonNull(backoff, "backoff"));
        }

        /** How long to wait before each recheck (default 2 seconds); see {@link #recheck(int, Duration)}. */
        public Builder recheckDelay(Duration delay) {
            return put(Setting.RECHECK_DELAY, Objects.requireNonNull(delay, "delay"));
        }

        /**
         * Re-reads a key range that showed differences, up to {@code times} times after {@code delay} each, and
         * keeps only the differences that persist: with replication running, rows still in flight are not failures.
         * Default: no rechecks, the right choice for the cutover gate (writes stopped, {@link #waitForCatchup}): there
         * is nothing in flight, and a difference should cost no waiting.
         */
        public Builder recheck(int times, Duration delay) {
            put(Setting.RECHECK, times);
            return recheckDelay(delay);
        }

        /**
         * Stops the whole verification after {@code deadline}: its statements are cancelled on both servers, and
         * what was not finished is reported incomplete (the report is not {@linkplain VerificationReport#interrupted()
         * interrupted}: the run ended as configured). Default: none.
         */
        public Builder deadline(Duration deadline) {
            return put(Setting.DEADLINE, Objects.requireNonNull(deadline, "deadline"));
        }

        /**
         * Before comparing, waits until the target has confirmed the source's current WAL position through logical
         * replication (the source's replication slots), at most {@code timeout}; throws with
         * {@link ErrorCode#TIMEOUT} when it does not. With writes stopped this is the exact cutover gate.
         */
        public Builder waitForCatchup(Duration timeout) {
            return put(Setting.WAIT_FOR_CATCHUP, Objects.requireNonNull(timeout, "timeout"));
        }

        /**
         * The source's logical replication slots that feed the target, for {@link #waitForCatchup(Duration)}.
         * Default: those named by the target's subscriptions, else every logical slot of the source database.
         */
        public Builder replicationSlots(String... slots) {
            return append(Setting.SLOT, slots);
        }

        /**
         * Reads all of one side from one exported snapshot, so that counts and rows of that side are from one
         * instant. Off by default: a snapshot held for hours holds back vacuum on a busy source.
         */
        public Builder snapshot(boolean snapshot) {
            return put(Setting.SNAPSHOT, snapshot);
        }

        /** With {@link #snapshot(boolean)}: warn when the snapshot has been held longer than this (default 10 minutes). */
        public Builder snapshotAgeWarning(Duration age) {
            return put(Setting.SNAPSHOT_AGE_WARNING, Objects.requireNonNull(age, "age"));
        }

        /** At most this many rows per second read from each side (0, the default, for no limit). */
        public Builder maxRowsPerSecond(long rows) {
            return put(Setting.MAX_ROWS_PER_SECOND, rows);
        }

        /**
         * At most this many bytes per second read from each side (0, the default, for no limit), counted as the bytes
         * of binary COPY each server sends for the rows compared. With {@link #maxRowsPerSecond(long)} both limits hold.
         */
        public Builder maxBytesPerSecond(long bytes) {
            return put(Setting.MAX_BYTES_PER_SECOND, bytes);
        }

        /**
         * Records verified key ranges in this file; a later run of the same verification with the same file skips the
         * ranges already verified as matching (unless {@link #fresh(boolean)}). The file records what its verdicts
         * are about: the source and target databases, the {@linkplain #compareMode compare mode} and
         * {@linkplain #chunkRows chunk rows}, and each table's definition. {@link #verify()} refuses a file of other
         * databases or options with {@link ErrorCode#INVALID_CONFIGURATION}, and verifies a table whose definition
         * changed again in full, with a warning in the report. The file holds key values: it is created readable by
         * its owner only.
         */
        public Builder stateFile(java.nio.file.Path file) {
            return put(Setting.STATE, Objects.requireNonNull(file, "file"));
        }

        /**
         * How the hash check moves rows: {@link CompareMode#STREAM} (default) or {@link CompareMode#DIGEST}, where
         * only per-range digests cross the network unless a range differs.
         */
        public Builder compareMode(CompareMode mode) {
            return put(Setting.MODE, Objects.requireNonNull(mode, "mode"));
        }

        /**
         * With {@link #stateFile}: verify everything again, ignoring what the file records; a file of another
         * verification is then started anew, with a warning in the report, instead of refused.
         */
        public Builder fresh(boolean fresh) {
            return put(Setting.FRESH, fresh);
        }

        /**
         * Verifies even when the source and the target are the same database of the same server, which is otherwise
         * refused: a database always matches itself, so such a verification proves nothing unless that is the point.
         * A physical standby counts as the same server as its primary: it holds the same data by construction.
         */
        public Builder allowSameDatabase(boolean allow) {
            return put(Setting.ALLOW_SAME_DATABASE, allow);
        }

        /** How many differences are listed per table and check; the total is always counted. */
        public Builder maxDifferencesPerTable(int max) {
            return put(Setting.MAX_DIFFERENCES, max);
        }

        /**
         * About how many rows the smallest key range holds (default {@value #DEFAULT_CHUNK_ROWS}): the hash check plans
         * each table in ranges of this size, from a sample of the source's keys, and reads as many consecutive ones at
         * once as fit in the {@linkplain #chunkTime(Duration) chunk time}.
         */
        public Builder chunkRows(long rows) {
            return put(Setting.CHUNK_ROWS, rows);
        }

        /**
         * About how long one read of a key range should take (default 1 second), measured while each table is read, so
         * that wide rows get smaller ranges and narrow rows bigger ones; every query stays short, and a retry or a
         * resumed run repeats little. {@link Duration#ZERO} reads each planned range of {@link #chunkRows(long)} rows
         * on its own.
         */
        public Builder chunkTime(Duration time) {
            return put(Setting.CHUNK_TIME, Objects.requireNonNull(time, "time"));
        }

        /** The longest any one query may run (default 30 minutes). */
        public Builder statementTimeout(Duration timeout) {
            return put(Setting.STATEMENT_TIMEOUT, Objects.requireNonNull(timeout, "timeout"));
        }

        /** The longest any query waits for a lock (default 10 seconds): never queue behind a migration's DDL for long. */
        public Builder lockTimeout(Duration timeout) {
            return put(Setting.LOCK_TIMEOUT, Objects.requireNonNull(timeout, "timeout"));
        }

        /** The {@code application_name} DBAs see in {@code pg_stat_activity} (default {@value #DEFAULT_APPLICATION_NAME}). */
        public Builder applicationName(String name) {
            return put(Setting.APPLICATION_NAME, Objects.requireNonNull(name, "name"));
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
         * Sets a setting from text as people write it ({@code "90s"}, {@code "50MB"}, {@code "schema,counts"}),
         * parsed as the command line parses it; a list setting ({@link Setting#INCLUDE}, ...) is replaced, not added
         * to. Errors name the setting by its {@linkplain Setting#key() key}.
         *
         * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION} when the text is not a value of it
         */
        public Builder set(Setting setting, String text) {
            return set(setting, text, setting.key());
        }

        /**
         * As {@link #set(Setting, String)}, naming the setting in errors as the person gave it, e.g.
         * {@code --threads} or {@code PGVERIFY_THREADS}.
         */
        public Builder set(Setting setting, String text, String givenAs) {
            Objects.requireNonNull(text, "text");
            try {
                values.put(setting, setting.parse(text));
            } catch (VerifyException e) {
                throw invalid(givenAs + ": " + e.getMessage());
            }
            names.put(setting, Objects.requireNonNull(givenAs, "givenAs"));
            return this;
        }

        /**
         * Sets every setting whose {@linkplain Setting#environmentVariable() variable} ({@code PGVERIFY_THREADS}, ...)
         * is set and not empty, e.g. {@code fromEnvironment(System.getenv())}; errors name the variable. Call it
         * before the methods whose values should win over the environment.
         */
        public Builder fromEnvironment(Map<String, String> variables) {
            for (Setting setting : Setting.values()) {
                String text = variables.get(setting.environmentVariable());
                if (text != null && !text.isEmpty()) {
                    set(setting, text, setting.environmentVariable());
                }
            }
            return this;
        }

        /**
         * Verifies one shard of a plan made by {@link Verifier#plan(int)}: only the key ranges the plan assigns to it
         * (see {@link ShardPlan} for what each shard checks). {@link #verify()} refuses other databases than those
         * planned, and tables whose definition changed since, with {@link ErrorCode#INVALID_CONFIGURATION}.
         */
        public Builder shard(ShardPlan plan, Shard shard) {
            this.shardPlan = Objects.requireNonNull(plan, "plan");
            this.shard = Objects.requireNonNull(shard, "shard");
            return this;
        }

        /** Checks every setting as {@link #build()} does, without opening anything: for {@link Fleet}, up front. */
        void validate() {
            if (sourceDataSource == null && sourceSettings == null) {
                throw invalid("No source given: call source(...) with connection settings or a DataSource.");
            }
            if (targetDataSource == null && targetSettings == null) {
                throw invalid("No target given: call target(...) with connection settings or a DataSource.");
            }
            for (Setting setting : Setting.values()) {
                String problem = setting.problem(values.get(setting), nameOf(setting));
                if (problem != null) {
                    throw invalid(problem);
                }
            }
            if (Boolean.TRUE.equals(values.get(Setting.FRESH)) && values.get(Setting.STATE) == null) {
                String state = nameLike(Setting.STATE, Setting.FRESH);
                throw invalid(nameOf(Setting.FRESH) + " only makes sense with " + state + ": set " + state
                        + " or drop " + nameOf(Setting.FRESH) + ".");
            }
            if (shardPlan != null && shardPlan.shards() != shard.count()) {
                throw invalid("The plan is split into " + shardPlan.shards() + " shards, not " + shard.count()
                        + ": give the shard as I/" + shardPlan.shards() + ".");
            }
            if (shardPlan != null && values.get(Setting.STATE) != null) {
                throw invalid("A shard of a plan cannot keep a state file (" + nameOf(Setting.STATE) + "): its ranges come"
                        + " from the plan; run the shard again instead.");
            }
        }

        /**
         * The most connections the verifier opens to each side: a pool of one per worker, one for the catalog and the
         * sequences and one to hold an exported snapshot (as {@link #build()} sizes it).
         */
        int connectionsPerSide() {
            return (Integer) values.get(Setting.THREADS) + 2;
        }

        /** The source's settings, or null when it is a data source the caller owns. */
        ConnectionSettings sourceSettings() {
            return sourceSettings;
        }

        /** The target's settings, or null when it is a data source the caller owns. */
        ConnectionSettings targetSettings() {
            return targetSettings;
        }

        /**
         * Checks the configuration and creates the verifier (and its connection pools, which connect lazily).
         *
         * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION} naming the first wrong setting
         */
        public Verifier build() {
            validate();
            VerificationSettings settings = VerificationSettings.of(values, GuardedListener.guard(progressListener));
            int workers = settings.threads();
            List<AutoCloseable> owned = new ArrayList<>();
            // One connection per worker, one for the catalog and the sequences, one to hold an exported snapshot.
            DataSource source = sourceDataSource != null ? sourceDataSource
                    : own(owned, ConnectionPools.create(sourceSettings, "source", workers + 2, settings.applicationName(),
                            settings.statementTimeout()));
            DataSource target = targetDataSource != null ? targetDataSource
                    : own(owned, ConnectionPools.create(targetSettings, "target", workers + 2, settings.applicationName(),
                            settings.statementTimeout()));
            Verifier verifier = new Verifier(settings, source, target, List.copyOf(owned), executor,
                    Redactor.of(sourceSettings, targetSettings));
            verifier.shardWork = shardPlan == null ? null
                    : new io.pgverify.internal.shard.ShardWork(shardPlan.file(), shard.index());
            return verifier;
        }

        private Builder put(Setting setting, Object value) {
            values.put(setting, value);
            names.put(setting, setting.builderMethod());
            return this;
        }

        @SuppressWarnings("unchecked")
        private Builder append(Setting setting, String... more) {
            List<String> list = new ArrayList<>((List<String>) values.get(setting));
            list.addAll(Arrays.asList(more));
            return put(setting, List.copyOf(list));
        }

        private String nameOf(Setting setting) {
            return names.getOrDefault(setting, setting.builderMethod());
        }

        /** {@code other} named the way {@code named} was given: {@code --state} beside {@code --fresh}. */
        private String nameLike(Setting other, Setting named) {
            String name = nameOf(named);
            if (name.equals(named.option())) {
                return other.option();
            }
            if (name.equals(named.environmentVariable())) {
                return other.environmentVariable();
            }
            return name.equals(named.builderMethod()) ? other.builderMethod() : other.key();
        }

        private static HikariDataSource own(List<AutoCloseable> owned, HikariDataSource dataSource) {
            owned.add(dataSource);
            return dataSource;
        }

        private static VerifyException invalid(String message) {
            return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
        }
    }
}
