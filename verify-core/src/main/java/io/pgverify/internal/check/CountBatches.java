package io.pgverify.internal.check;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Outcome;
import io.pgverify.internal.jdbc.SideFailure;
import io.pgverify.internal.plan.TablePlan;
import io.pgverify.internal.read.CheckContext;

/**
 * The {@code counts} check of small tables, many tables in one statement per side
 * ({@code SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b), …}): on thousands of small tables the round trip
 * and the statement per table and side cost more than the counting. Tables larger than a key range by the planner's
 * estimate, or of no estimate, are counted alone, as {@link CountCheck} does.
 *
 * <p>A batch only ever settles matching counts. A table whose counts differ is counted again alone, with the
 * rechecks that tell rows in flight from missing ones; and when the batch's statement fails on either side (one
 * table this user cannot read fails them all), every table of the batch is counted alone, so that only the
 * unreadable one is incomplete and none of its neighbours is taken for matching.
 *
 * <p>Not thread-safe: the run's scheduling thread adds the tables, then calls {@link #flush()}.
 */
public final class CountBatches {

    /** Tables per statement at most: the statement's size and planning grow with it. */
    static final int MAX_TABLES = 100;

    private final CheckContext context;
    private final ExecutorService executor;
    /** Estimated rows per batch at most, and the largest table a batch takes: about one key range's worth. */
    private final long maxRows;
    private List<Entry> pending = new ArrayList<>();
    private long pendingRows;

    private record Entry(TablePlan plan, CompletableFuture<CountCheck.Counted> result) {
    }

    public CountBatches(CheckContext context, ExecutorService executor) {
        this.context = context;
        this.executor = executor;
        this.maxRows = context.settings().chunkRows();
    }

    /** The table's counts: in a batch if it is small, else read alone at once. */
    public CompletableFuture<CountCheck.Counted> count(TablePlan plan) {
        long rows = estimatedRows(plan);
        if (rows < 0 || rows >= maxRows) {
            return CompletableFuture.supplyAsync(() -> CountCheck.run(context, plan), executor);
        }
        Entry entry = new Entry(plan, new CompletableFuture<>());
        pending.add(entry);
        pendingRows += rows;
        if (pending.size() >= MAX_TABLES || pendingRows >= maxRows) {
            flush();
        }
        return entry.result();
    }

    /** Schedules the tables added since the last batch. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Entry> batch = pending;
        pending = new ArrayList<>();
        pendingRows = 0;
        try {
            executor.execute(() -> run(batch));
        } catch (RuntimeException e) {
            batch.forEach(entry -> entry.result().completeExceptionally(e));
        }
    }

    /** The larger of both sides' estimates; -1 when either is unknown. */
    private static long estimatedRows(TablePlan plan) {
        long source = plan.source().estimatedRows();
        long target = plan.target().estimatedRows();
        return source < 0 || target < 0 ? -1 : Math.max(source, target);
    }

    private void run(List<Entry> batch) {
        if (batch.size() == 1) {
            alone(batch.get(0));
            return;
        }
        long started = System.nanoTime();
        String sql = sql(batch);
        CheckContext.Pair<long[]> counts;
        try {
            counts = context.onBothSidesInOneStatement(session -> {
                long[] values = new long[batch.size()];
                try (Statement statement = session.connection().createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                    rs.next();
                    for (int i = 0; i < values.length; i++) {
                        values[i] = rs.getLong(i + 1);
                    }
                }
                return values;
            });
        } catch (SideFailure | RuntimeException e) {
            batch.forEach(this::alone);
            return;
        }
        Duration share = Duration.ofNanos((System.nanoTime() - started) / batch.size());
        for (int i = 0; i < batch.size(); i++) {
            long source = counts.source()[i];
            long target = counts.target()[i];
            if (source == target) {
                CheckResult match = new CheckResult(CheckKind.COUNTS, Outcome.MATCH, List.of(), 0, 0, "", share, 0);
                batch.get(i).result().complete(new CountCheck.Counted(match, source, target));
            } else {
                alone(batch.get(i));
            }
        }
    }

    private void alone(Entry entry) {
        try {
            entry.result().complete(CountCheck.run(context, entry.plan()));
        } catch (RuntimeException | Error e) {
            entry.result().completeExceptionally(e);
        }
    }

    static String sql(List<Entry> batch) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < batch.size(); i++) {
            sql.append(i == 0 ? "(" : ", (").append(batch.get(i).plan().sql().count()).append(')');
        }
        return sql.toString();
    }
}
