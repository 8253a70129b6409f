package io.pgverify.internal.check;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import io.pgverify.CheckResult;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.jdbc.SideFailure;
import io.pgverify.internal.plan.TablePlan;
import io.pgverify.internal.read.CheckContext;

/**
 * The {@code last_rows} check of small keyed tables, their source's N-th highest keys read for many tables in one
 * statement ({@code SELECT (SELECT ARRAY[key::text] FROM a ORDER BY … OFFSET N-1 LIMIT 1), …}) instead of one each:
 * on thousands of small tables that statement was a third of the source's. Each table's rows are then compared as
 * {@link LastRowsCheck} always does; only its first read takes the key from the batch.
 *
 * <p>When the batch's statement fails (one table this user cannot read fails them all), each table reads its key
 * itself, so only the unreadable one is incomplete. Not thread-safe: the run's scheduling thread adds the tables, then
 * calls {@link #flush()}.
 */
public final class LastRowsBatches {

    /** A key read by a batch: null values for a table of fewer than N rows on the source. */
    record Key(List<String> values) {
    }

    private final CheckContext context;
    private final ExecutorService executor;
    private final long maxRows;
    private List<TablePlan> pending = new ArrayList<>();
    private List<CompletableFuture<CheckResult>> results = new ArrayList<>();
    private long pendingRows;

    public LastRowsBatches(CheckContext context, ExecutorService executor) {
        this.context = context;
        this.executor = executor;
        this.maxRows = context.settings().chunkRows();
    }

    /** The table's last-rows check: its key read in a batch if the table is small and keyed, else all alone. */
    public CompletableFuture<CheckResult> lastRows(TablePlan plan) {
        long rows = plan.source().estimatedRows();
        if (!plan.keyed() || rows < 0 || rows >= maxRows) {
            return CompletableFuture.supplyAsync(() -> LastRowsCheck.run(context, plan), executor);
        }
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        pending.add(plan);
        results.add(result);
        pendingRows += rows;
        if (pending.size() >= CountBatches.MAX_TABLES || pendingRows >= maxRows) {
            flush();
        }
        return result;
    }

    /** Schedules the tables added since the last batch. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<TablePlan> plans = pending;
        List<CompletableFuture<CheckResult>> futures = results;
        pending = new ArrayList<>();
        results = new ArrayList<>();
        pendingRows = 0;
        try {
            executor.execute(() -> run(plans, futures));
        } catch (RuntimeException e) {
            futures.forEach(future -> future.completeExceptionally(e));
        }
    }

    private void run(List<TablePlan> plans, List<CompletableFuture<CheckResult>> futures) {
        Key[] keys = plans.size() == 1 ? new Key[1] : keys(plans);
        for (int i = 0; i < plans.size(); i++) {
            try {
                futures.get(i).complete(LastRowsCheck.run(context, plans.get(i), keys[i]));
            } catch (RuntimeException | Error e) {
                futures.get(i).completeExceptionally(e);
            }
        }
    }

    /** Each table's key; all null (each reads its own) when the batch's statement fails. */
    private Key[] keys(List<TablePlan> plans) {
        int n = context.settings().lastRows();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < plans.size(); i++) {
            sql.append(i == 0 ? "(" : ", (").append(plans.get(i).sql().nthHighestKeyArray(n)).append(')');
        }
        try {
            return context.runOneStatementOn(Side.SOURCE, session -> {
                Key[] keys = new Key[plans.size()];
                try (Statement statement = session.connection().createStatement();
                     ResultSet rs = statement.executeQuery(sql.toString())) {
                    rs.next();
                    for (int i = 0; i < keys.length; i++) {
                        Array array = rs.getArray(i + 1);
                        keys[i] = new Key(array == null ? null : Arrays.asList((String[]) array.getArray()));
                    }
                }
                return keys;
            });
        } catch (SideFailure | RuntimeException e) {
            return new Key[plans.size()];
        }
    }
}
