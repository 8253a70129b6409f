package io.pgverify.internal.run;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.ErrorCode;
import io.pgverify.Outcome;
import io.pgverify.ProgressListener;
import io.pgverify.ReplicationLag;
import io.pgverify.SequenceReport;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;
import io.pgverify.VerifyException;
import io.pgverify.internal.catalog.Catalog;
import io.pgverify.internal.catalog.CatalogReader;
import io.pgverify.internal.catalog.DatabaseIdentity;
import io.pgverify.internal.catalog.TableInfo;
import io.pgverify.internal.check.CountBatches;
import io.pgverify.internal.check.CountCheck;
import io.pgverify.internal.check.LastRowsBatches;
import io.pgverify.internal.check.LastRowsCheck;
import io.pgverify.internal.check.RowCheck;
import io.pgverify.internal.check.SchemaCheck;
import io.pgverify.internal.check.SequenceCheck;
import io.pgverify.internal.config.Durations;
import io.pgverify.internal.config.VerificationSettings;
import io.pgverify.internal.jdbc.Cancellation;
import io.pgverify.internal.jdbc.Session;
import io.pgverify.internal.jdbc.SessionSettings;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.jdbc.SqlErrors;
import io.pgverify.internal.plan.TablePlan;
import io.pgverify.internal.read.CheckContext;
import io.pgverify.internal.read.KeyRangePlanner;
import io.pgverify.internal.replication.CatchupGate;
import io.pgverify.internal.resume.StateFile;
import io.pgverify.internal.shard.ShardWork;

/**
 * One verification: reads both catalogs, plans each table, runs the checks on a bounded pool (each worker holds at
 * most one connection per side) and assembles the report. Differences and unreadable parts become data in the report;
 * only a side that cannot be reached at all, or whose catalog cannot be read, ends the run with an exception.
 */
public final class VerificationRun {

    private static final Logger LOG = LoggerFactory.getLogger(VerificationRun.class);

    private final VerificationSettings settings;
    private final DataSource source;
    private final DataSource target;
    private final ExecutorService callerExecutor;
    private final Cancellation cancellation;
    /** Per table, the report of what is finished so far: for a run interrupted before the table was. */
    private final java.util.Map<String, java.util.function.Supplier<TableReport>> sofar =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The shard of a plan this run verifies, or null for everything. */
    private ShardWork shardWork;

    public VerificationRun(VerificationSettings settings, DataSource source, DataSource target, ExecutorService callerExecutor) {
        this(settings, source, target, callerExecutor, new Cancellation());
    }

    /** @param cancellation stops the run's queries when cancelled from outside ({@code Verification.cancel()}) */
    public VerificationRun(VerificationSettings settings, DataSource source, DataSource target, ExecutorService callerExecutor,
                           Cancellation cancellation) {
        this.cancellation = cancellation;
        this.settings = settings;
        this.source = source;
        this.target = target;
        this.callerExecutor = callerExecutor;
    }

    /**
     * Verifies one shard of a plan only (see {@link ShardWork} for what each shard checks), after refusing databases
     * or tables other than those planned.
     */
    public VerificationRun useShard(ShardWork work) {
        this.shardWork = work;
        return this;
    }

    public VerificationReport run() {
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        SessionSettings sessionSettings = SessionSettings.of(settings.applicationName(), settings.statementTimeout(),
                settings.lockTimeout());
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (WorkerPool workers = callerExecutor == null ? WorkerPool.create("worker", settings.threads())
                     : WorkerPool.wrap(callerExecutor);
             WorkerPool sides = WorkerPool.create("side", settings.threads());
             ExportedSnapshots snapshots = new ExportedSnapshots();
             StateFile state = settings.stateFile() == null ? null : StateFile.open(settings.stateFile(), settings.fresh())) {
            CheckContext context = new CheckContext(source, target, sessionSettings, settings, sides.executor());
            context.useStateFile(state);
            context.useCancellation(cancellation);
            context.useShardWork(shardWork);
            DatabaseIdentity sourceIdentity = identify(context, Side.SOURCE);
            DatabaseIdentity targetIdentity = identify(context, Side.TARGET);
            if (!settings.allowSameDatabase() && sourceIdentity.sameDatabaseAs(targetIdentity)) {
                throw sameDatabase(sourceIdentity);
            }
            if (state != null) {
                state.bind(StateFile.Binding.of(sourceIdentity, targetIdentity, settings), warnings);
            }
            if (shardWork != null) {
                shardWork.bindDatabases(sourceIdentity.key(), sourceIdentity.describe(), targetIdentity.key(),
                        targetIdentity.describe());
            }
            ReplicationLag replication = settings.waitForCatchup() == null ? null
                    : CatchupGate.await(context, settings.waitForCatchup(), settings.replicationSlots());
            if (settings.snapshot()) {
                snapshots.export(context, sessionSettings, settings.snapshotAgeWarning(), warnings);
            }
            CompletableFuture<Catalog> sourceRead = CompletableFuture.supplyAsync(() -> readCatalog(context, settings, Side.SOURCE), sides.executor());
            Catalog targetCatalog = readCatalog(context, settings, Side.TARGET);
            Catalog sourceCatalog = join(sourceRead);
            if (state != null) {
                state.bindTables(definitions(sourceCatalog, targetCatalog), warnings);
            }
            boolean whole = shardWork == null || shardWork.first();
            if (shardWork != null) {
                shardWork.bindTables(ShardPlanner.definitions(sourceCatalog, targetCatalog));
            }
            List<TableInfo> selected = new ArrayList<>();
            List<java.util.Set<CheckKind>> checksOf = new ArrayList<>();
            for (TableInfo table : sourceCatalog.tables()) {
                java.util.Set<CheckKind> checks = shardWork == null ? settings.checks()
                        : shardWork.checks(table.qualifiedKey(), settings.checks());
                if (!checks.isEmpty()) {
                    selected.add(table);
                    checksOf.add(checks);
                }
            }
            LOG.info("Verifying {} tables and {} sequences of {} (PostgreSQL {}) against {} (PostgreSQL {})",
                    sourceCatalog.tables().size(), sourceCatalog.sequences().size(), sourceCatalog.server().database(),
                    sourceCatalog.server().version(), targetCatalog.server().database(), targetCatalog.server().version());
            settings.progressListener().started(selected.size(),
                    selected.stream().mapToLong(t -> Math.max(0, t.estimatedRows())).sum());

            CompletableFuture<List<SequenceReport>> sequences = settings.checks().contains(CheckKind.SEQUENCES) && whole
                    ? CompletableFuture.supplyAsync(() -> SequenceCheck.run(context, sourceCatalog, targetCatalog), workers.executor())
                    : CompletableFuture.completedFuture(List.of());
            List<CompletableFuture<TableReport>> tables = new ArrayList<>();
            CountBatches counts = new CountBatches(context, workers.executor());
            LastRowsBatches lastRows = new LastRowsBatches(context, workers.executor());
            for (int i = 0; i < selected.size(); i++) {
                tables.add(verifyTable(context, workers.executor(), selected.get(i), targetCatalog, checksOf.get(i),
                        counts, lastRows));
            }
            counts.flush();
            lastRows.flush();
            TableReport[] atStop = new TableReport[tables.size()];
            String stopped = awaitAll(tables, sequences, started, selected, atStop);
            boolean interrupted = stopped != null;
            List<TableReport> tableReports = new ArrayList<>();
            for (int i = 0; i < tables.size(); i++) {
                tableReports.add(atStop[i] != null ? atStop[i] : resultOrInterrupted(tables.get(i), selected.get(i)));
            }
            tableReports.sort(Comparator.comparing(TableReport::schema).thenComparing(TableReport::name));
            List<SequenceReport> sequenceReports = sequences.isDone() && !sequences.isCompletedExceptionally()
                    ? sequences.join() : whole ? interruptedSequences(sourceCatalog) : List.<SequenceReport>of();
            List<String> extraTables = new ArrayList<>();
            for (TableInfo table : whole ? targetCatalog.tables() : List.<TableInfo>of()) {
                if (sourceCatalog.table(table.schema(), table.name()).isEmpty()) {
                    extraTables.add(table.qualifiedKey());
                }
            }
            if (sourceCatalog.tables().isEmpty()) {
                warnings.add("No tables on the source match the selection: nothing was compared.");
            }
            if (settings.checks().contains(CheckKind.SEQUENCES) && whole && sourceCatalog.sequences().isEmpty()) {
                // Otherwise a sequences-only run of a database without sequences ends incomplete with no reason given.
                warnings.add("No sequences on the source match the selection: the sequences check compared nothing.");
            }
            long sourceObjects = sourceCatalog.largeObjects();
            long targetObjects = targetCatalog.largeObjects();
            if (sourceObjects > 0 && whole) {
                // Logical replication does not copy large objects; their contents are outside pgverify's checks.
                warnings.add("Large objects: the source holds " + sourceObjects + ", the target " + targetObjects
                        + (targetObjects < sourceObjects ? " (some are missing: logical replication does not copy them)" : "")
                        + "; pgverify does not compare their contents.");
            }
            if (interrupted) {
                warnings.add("The verification was " + stopped + ": checks not finished are incomplete, those finished"
                        + " keep their outcome.");
            } else if (state != null) {
                state.recordFinished();
            }
            // A deadline is not an interruption (exit 130 in the CLI): it leaves the report incomplete (exit 3).
            boolean interruptedFromOutside = interrupted && !stopped.startsWith(DEADLINE);
            return new VerificationReport(sourceCatalog.server(), targetCatalog.server(), settings.checks(), tableReports,
                    sequenceReports, extraTables, List.copyOf(warnings), startedAt,
                    Duration.ofNanos(System.nanoTime() - started), replication, interruptedFromOutside);
        }
    }

    private static final String DEADLINE = "stopped at its deadline";
    /** How long a stopped run waits for its cancelled statements to end before it returns. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(15);

    /**
     * Waits for every table until the deadline, if any. Returns null when all finished, else why the run stopped
     * (this thread was interrupted, as by Ctrl-C in the CLI or {@code Verification.cancel()}, or the deadline passed).
     * A stopped run cancels the statements running on both servers and waits, a bounded time, for its work to end:
     * when {@code verify()} returns, nothing of it runs on the servers or on a caller's executor.
     */
    private String awaitAll(List<CompletableFuture<TableReport>> tables, CompletableFuture<List<SequenceReport>> sequences,
                            long started, List<TableInfo> tableInfos, TableReport[] atStop) {
        List<CompletableFuture<?>> all = new ArrayList<>(tables);
        all.add(sequences);
        CompletableFuture<Void> done = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        String stopped;
        try {
            if (settings.deadline() == null) {
                done.get();
            } else {
                long left = settings.deadline().toNanos() - (System.nanoTime() - started);
                done.get(Math.max(0, left), java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            return cancellation.cancelled() ? cancellation.reason() : null;
        } catch (InterruptedException e) {
            stopped = cancellation.cancelled() ? cancellation.reason() : "interrupted";
        } catch (java.util.concurrent.TimeoutException e) {
            stopped = DEADLINE + " of " + Durations.format(settings.deadline());
        } catch (java.util.concurrent.ExecutionException e) {
            return null; // each future's own failure is rethrown by join() below
        }
        // What each unfinished table had finished when the run stopped: the checks its cancelled statements end
        // afterwards are reported as interrupted, not as failures of the servers.
        for (int i = 0; i < tables.size(); i++) {
            if (!tables.get(i).isDone()) {
                atStop[i] = resultOrInterrupted(tables.get(i), tableInfos.get(i));
            }
        }
        cancellation.cancel(stopped);
        boolean interrupted = Thread.interrupted();
        try {
            done.get(CANCEL_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warn("Work of the {} verification still ran {} s after its statements were cancelled", stopped,
                    CANCEL_GRACE.toSeconds());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return stopped;
    }

    private TableReport resultOrInterrupted(CompletableFuture<TableReport> future, TableInfo table) {
        if (future.isDone() && !future.isCompletedExceptionally()) {
            return join(future);
        }
        java.util.function.Supplier<TableReport> finished = sofar.get(table.qualifiedKey());
        if (finished != null) {
            return finished.get();
        }
        List<CheckResult> checks = new ArrayList<>();
        for (CheckKind kind : CheckKind.values()) {
            if (kind != CheckKind.SEQUENCES && settings.checks().contains(kind)) {
                checks.add(CheckResult.incomplete(kind, "interrupted before this check finished", Duration.ZERO));
            }
        }
        return new TableReport(table.schema(), table.name(), table.keyColumns(), null, null, checks);
    }

    private static List<SequenceReport> interruptedSequences(Catalog sourceCatalog) {
        List<SequenceReport> reports = new ArrayList<>();
        for (var sequence : sourceCatalog.sequences()) {
            reports.add(new SequenceReport(sequence.schema(), sequence.name(), sequence.ownedBy(), null, null, null,
                    io.pgverify.Outcome.INCOMPLETE, List.of(), "interrupted before the sequences were compared"));
        }
        return reports;
    }

    static Catalog readCatalog(CheckContext context, VerificationSettings settings, Side side) {
        try (Session session = context.open(side)) {
            return CatalogReader.read(session.connection(), settings.filter(), session.endpoint());
        } catch (SQLException e) {
            throw SqlErrors.toException(side.label(), e);
        }
    }

    static DatabaseIdentity identify(CheckContext context, Side side) {
        try (Session session = context.open(side)) {
            return DatabaseIdentity.read(session.connection());
        } catch (SQLException e) {
            throw SqlErrors.toException(side.label(), e);
        }
    }

    /**
     * Verifying a database against itself always matches: a runbook with the source's URL pasted as the target's would
     * pass without proving anything. A standby and its primary share the system identifier, and their data.
     */
    private static VerifyException sameDatabase(DatabaseIdentity identity) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, "Source and target are the same database, "
                + identity.describe() + " (or a primary and its physical standby, which hold the same data by construction),"
                + " so comparing them proves nothing: point the target at the migrated database, or pass"
                + " --allow-same-database (allowSameDatabase(true)) if this is meant.");
    }

    /** What the state file's verdicts about each table depend on: the tables on both sides, by name. */
    private static Map<String, String> definitions(Catalog sourceCatalog, Catalog targetCatalog) {
        Map<String, String> definitions = new LinkedHashMap<>();
        for (TableInfo table : sourceCatalog.tables()) {
            targetCatalog.table(table.schema(), table.name()).ifPresent(
                    target -> definitions.put(table.qualifiedKey(), StateFile.definition(table, target)));
        }
        return definitions;
    }

    /** Schedules the checks of one table; the report is assembled when they are all done. */
    private CompletableFuture<TableReport> verifyTable(CheckContext context, ExecutorService executor, TableInfo table,
                                                       Catalog targetCatalog, java.util.Set<CheckKind> checks,
                                                       CountBatches batches, LastRowsBatches lastRowsBatches) {
        TableInfo targetTable = targetCatalog.table(table.schema(), table.name()).orElse(null);
        List<CheckResult> fixed = new ArrayList<>();
        if (targetTable == null) {
            // Reported whichever checks were asked for: nothing else about the table can be compared.
            fixed.add(SchemaCheck.missingTable(table));
            for (CheckKind kind : List.of(CheckKind.COUNTS, CheckKind.LAST_ROWS, CheckKind.HASHES)) {
                if (checks.contains(kind)) {
                    fixed.add(CheckResult.skipped(kind, "the table does not exist on the target"));
                }
            }
            TableReport report = new TableReport(table.schema(), table.name(), table.keyColumns(), null, null, fixed);
            settings.progressListener().tableFinished(report);
            return CompletableFuture.completedFuture(report);
        }
        if (checks.contains(CheckKind.SCHEMA)) {
            fixed.add(SchemaCheck.compare(table, targetTable));
        }
        TablePlan plan = TablePlan.of(table, targetTable);
        CompletableFuture<CountCheck.Counted> counts;
        CompletableFuture<CheckResult> hashes;
        if (!plan.keyed() && checks.contains(CheckKind.COUNTS) && checks.contains(CheckKind.HASHES)) {
            // No key: the hashes check's one scan per side counts the rows (see RowCheck.keylessWithCounts).
            RowCheck.CountsAndHashes both = RowCheck.keylessWithCounts(context, plan, executor);
            counts = both.counts();
            hashes = both.hashes();
        } else {
            // A table split over shards counts only its own ranges; a whole table is counted, in a batch when small.
            counts = !checks.contains(CheckKind.COUNTS)
                    ? CompletableFuture.completedFuture(null)
                    : shardWork != null && shardWork.split(table.qualifiedKey())
                    ? CompletableFuture.supplyAsync(() -> ShardPlanner.countRanges(context, plan, shardWork), executor)
                    : batches.count(plan);
            hashes = checks.contains(CheckKind.HASHES)
                    ? RowCheck.run(context, plan, executor)
                    : CompletableFuture.completedFuture(null);
        }
        CompletableFuture<CheckResult> lastRows;
        if (!checks.contains(CheckKind.LAST_ROWS)) {
            lastRows = CompletableFuture.completedFuture(null);
        } else if (checks.contains(CheckKind.HASHES) && hashesReadItWhole(context, plan)) {
            lastRows = hashes.thenCompose(result -> coveredByHashes(context, plan, result, executor));
        } else {
            lastRows = lastRowsBatches.lastRows(plan);
        }
        String name = table.qualifiedKey();
        ProgressListener listener = settings.progressListener();
        fixed.forEach(result -> listener.checkFinished(name, result));
        counts.thenAccept(counted -> {
            if (counted != null) {
                listener.checkFinished(name, counted.result());
            }
        });
        lastRows.thenAccept(result -> {
            if (result != null) {
                listener.checkFinished(name, partial(result, plan));
            }
        });
        hashes.thenAccept(result -> {
            if (result != null) {
                listener.checkFinished(name, partial(result, plan));
            }
        });
        // If the run is interrupted first, the checks already done keep their results; only the others are incomplete.
        sofar.put(name, () -> assemble(table, plan, checks, fixed, counts, lastRows, hashes, true));
        return CompletableFuture.allOf(counts, lastRows, hashes).thenApply(ignored -> {
            TableReport report = assemble(table, plan, checks, fixed, counts, lastRows, hashes, false);
            listener.tableFinished(report);
            return report;
        });
    }

    /**
     * True when the hashes check reads this table in one read without bounds, every row of both sides through one merge.
     * Its last rows are then a subset of what that read compares with the same merge, so a second read of them would
     * cross-check nothing: no key ranges are tiled whose seams it could test (as it does for a table read in ranges,
     * where it stays independent). Not for a shard of a plan or a resumed run, whose ranges come from a file.
     */
    private boolean hashesReadItWhole(CheckContext context, TablePlan plan) {
        return plan.keyed() && plan.rangeScannable() && shardWork == null && context.stateFile() == null
                && KeyRangePlanner.readsWhole(context, plan);
    }

    /**
     * The last-rows verdict of a table the hashes check read whole: a match when every row matched; otherwise the
     * last rows are read and compared as always, so their own differences (or why they could not be read) are reported.
     */
    private CompletableFuture<CheckResult> coveredByHashes(CheckContext context, TablePlan plan, CheckResult hashes,
                                                           ExecutorService executor) {
        if (hashes != null && hashes.outcome() == Outcome.MATCH) {
            long rows = Math.min(settings.lastRows(), hashes.rowsCompared());
            // No message: a note on each of thousands of small tables would bury the report's real findings.
            return CompletableFuture.completedFuture(new CheckResult(CheckKind.LAST_ROWS, Outcome.MATCH, List.of(), 0,
                    rows, "", Duration.ZERO));
        }
        return CompletableFuture.supplyAsync(() -> LastRowsCheck.run(context, plan), executor);
    }

    /**
     * The table's report from its checks' results; with {@code interrupted}, a check not done is reported incomplete
     * (all of them are done otherwise).
     */
    private TableReport assemble(TableInfo table, TablePlan plan, java.util.Set<CheckKind> checks, List<CheckResult> fixed,
                                 CompletableFuture<CountCheck.Counted> counts, CompletableFuture<CheckResult> lastRows,
                                 CompletableFuture<CheckResult> hashes, boolean interrupted) {
        List<CheckResult> results = new ArrayList<>(fixed);
        CountCheck.Counted counted = null;
        if (checks.contains(CheckKind.COUNTS)) {
            counted = finished(counts, interrupted);
            results.add(counted == null ? interruptedCheck(CheckKind.COUNTS) : counted.result());
        }
        if (checks.contains(CheckKind.LAST_ROWS)) {
            CheckResult result = finished(lastRows, interrupted);
            results.add(result == null ? interruptedCheck(CheckKind.LAST_ROWS) : partial(result, plan));
        }
        if (checks.contains(CheckKind.HASHES)) {
            CheckResult result = finished(hashes, interrupted);
            results.add(result == null ? interruptedCheck(CheckKind.HASHES) : partial(result, plan));
        }
        return new TableReport(table.schema(), table.name(), plan.keyNames(),
                counted == null ? null : counted.sourceRows(), counted == null ? null : counted.targetRows(), results);
    }

    /** The check's result; null when the run was interrupted before it finished (or it failed then). */
    private static <T> T finished(CompletableFuture<T> check, boolean interrupted) {
        if (!interrupted) {
            return join(check);
        }
        return check.isDone() && !check.isCompletedExceptionally() ? check.join() : null;
    }

    private static CheckResult interruptedCheck(CheckKind kind) {
        return CheckResult.incomplete(kind, "interrupted before this check finished", Duration.ZERO);
    }

    /**
     * A row check of a table whose source columns were not all compared (missing on the target, or of another type):
     * what it found stands, but it cannot be a match.
     */
    private static CheckResult partial(CheckResult result, TablePlan plan) {
        List<String> uncompared = plan.uncomparedColumns();
        if (uncompared.isEmpty() || result.outcome() == Outcome.SKIPPED) {
            return result;
        }
        String note = "column" + (uncompared.size() == 1 ? " " : "s ") + String.join(", ", uncompared)
                + " not compared: missing on the target or of another type there";
        Outcome outcome = result.outcome() == Outcome.MATCH ? Outcome.INCOMPLETE : result.outcome();
        return new CheckResult(result.kind(), outcome, result.differences(), result.differenceCount(), result.rowsCompared(),
                result.message().isEmpty() ? note : result.message() + "; " + note, result.duration(), result.resolvedByRecheck());
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof VerifyException verifyException) {
                throw verifyException;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new VerifyException(ErrorCode.QUERY_FAILED, "Verification failed: " + e.getCause(), null, e.getCause());
        } catch (java.util.concurrent.CancellationException e) {
            throw new VerifyException(ErrorCode.INTERRUPTED, "The verification was cancelled.");
        }
    }
}
