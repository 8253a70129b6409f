package io.pgverify.internal.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.internal.compare.MergeListener;

/**
 * Keeps the first differences of one key range, up to the per-table cap, and counts them all: memory stays bounded
 * however broken the copy is.
 */
final class DifferenceCollector implements MergeListener {

    private final TablePlan plan;
    private final int limit;
    private final List<Difference> kept = new ArrayList<>();
    private final RowsProgress progress;
    private final CheckContext context;
    private long count;
    private long reportedRows;
    private long reportedTargetRows;
    private long reportedSourceBytes;
    private long reportedTargetBytes;

    /** Reports rows compared as they go. */
    interface RowsProgress {
        void rows(long delta);
    }

    DifferenceCollector(CheckContext context, TablePlan plan, int limit, RowsProgress progress) {
        this.context = context;
        this.plan = plan;
        this.limit = limit;
        this.progress = progress;
    }

    @Override
    public void onDifference(DifferenceKind kind, List<String> key, int[] differingFields) {
        count++;
        if (kept.size() >= limit) {
            return;
        }
        Map<String, String> keyMap = new LinkedHashMap<>();
        List<String> names = plan.keyNames();
        for (int i = 0; i < names.size(); i++) {
            keyMap.put(names.get(i), key.get(i));
        }
        List<String> columns = new ArrayList<>();
        for (int field : differingFields) {
            // A column that may hold large values is read as two fields, its value and its digest: name it once.
            String column = plan.columnName(field);
            if (!columns.contains(column)) {
                columns.add(column);
            }
        }
        String detail = switch (kind) {
            case MISSING_ON_TARGET -> "row missing on the target";
            case EXTRA_ON_TARGET -> "row on the target only";
            case DIFFERENT -> "values differ";
            default -> kind.name();
        };
        kept.add(new Difference(kind, keyMap, columns, detail));
    }

    @Override
    public void onProgress(long sourceRows, long targetRows, long sourceBytes, long targetBytes) {
        if (Thread.currentThread().isInterrupted()) {
            // The run was stopped: leave the merge; the range is reported incomplete and its sessions are closed.
            throw new java.util.concurrent.CancellationException("interrupted");
        }
        progress.rows(sourceRows - reportedRows);
        context.throttle(sourceRows - reportedRows, targetRows - reportedTargetRows,
                sourceBytes - reportedSourceBytes, targetBytes - reportedTargetBytes);
        reportedRows = sourceRows;
        reportedTargetRows = targetRows;
        reportedSourceBytes = sourceBytes;
        reportedTargetBytes = targetBytes;
    }

    List<Difference> kept() {
        return kept;
    }

    long count() {
        return count;
    }
}
