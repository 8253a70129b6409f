package io.pgverify.internal.read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.internal.compare.MergeListener;
import io.pgverify.internal.compare.RowMerger;
import io.pgverify.internal.plan.TablePlan;

/**
 * Describes the differences of one read while the table's budget lasts, and counts them all: past the per-table cap a
 * differing row is only counted, its key never formatted, so memory stays bounded however broken the copy is.
 */
public final class DifferenceCollector implements MergeListener {

    private final List<String> keyNames;
    private final IntFunction<String> columnNames;
    private final DifferenceBudget.Lease budget;
    private final List<Difference> kept = new ArrayList<>();
    private final Pacing pacing;
    private long count;
    private long reportedRows;
    private long reportedTargetRows;
    private long reportedSourceBytes;
    private long reportedTargetBytes;

    /** Reports rows compared as they go. */
    public interface RowsProgress {
        void rows(long delta);
    }

    /** What is done with the rows and bytes each side delivered since the last call. */
    interface Pacing {
        Pacing NONE = (sourceRows, targetRows, sourceBytes, targetBytes) -> { };

        void delivered(long sourceRows, long targetRows, long sourceBytes, long targetBytes);

        default int progressInterval() {
            return RowMerger.PROGRESS_INTERVAL;
        }
    }

    public DifferenceCollector(CheckContext context, TablePlan plan, DifferenceBudget.Lease budget, RowsProgress progress) {
        this(plan.keyNames(), plan::columnName, budget, new Pacing() {
            @Override
            public void delivered(long sourceRows, long targetRows, long sourceBytes, long targetBytes) {
                progress.rows(sourceRows);
                context.throttle(sourceRows, targetRows, sourceBytes, targetBytes);
            }

            @Override
            public int progressInterval() {
                // Both sides' rows count towards the interval: a step of the row limit per side.
                return 2 * context.throttle(io.pgverify.internal.jdbc.Side.SOURCE).rowsPerStep(RowMerger.PROGRESS_INTERVAL / 2);
            }
        });
    }

    DifferenceCollector(List<String> keyNames, IntFunction<String> columnNames, DifferenceBudget.Lease budget, Pacing pacing) {
        this.keyNames = keyNames;
        this.columnNames = columnNames;
        this.budget = budget;
        this.pacing = pacing;
    }

    @Override
    public boolean onDifferingRow(DifferenceKind kind) {
        count++;
        return budget.take();
    }

    @Override
    public void onDifference(DifferenceKind kind, List<String> key, int[] differingFields) {
        Map<String, String> keyMap = new LinkedHashMap<>();
        for (int i = 0; i < keyNames.size(); i++) {
            keyMap.put(keyNames.get(i), key.get(i));
        }
        List<String> columns = new ArrayList<>();
        for (int field : differingFields) {
            // A column that may hold large values is read as two fields, its value and its digest: name it once.
            String column = columnNames.apply(field);
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
    public int progressInterval() {
        return pacing.progressInterval();
    }

    @Override
    public void onProgress(long sourceRows, long targetRows, long sourceBytes, long targetBytes) {
        if (Thread.currentThread().isInterrupted()) {
            // The run was stopped: leave the merge; the range is reported incomplete and its sessions are closed.
            throw new java.util.concurrent.CancellationException("interrupted");
        }
        pacing.delivered(sourceRows - reportedRows, targetRows - reportedTargetRows,
                sourceBytes - reportedSourceBytes, targetBytes - reportedTargetBytes);
        reportedRows = sourceRows;
        reportedTargetRows = targetRows;
        reportedSourceBytes = sourceBytes;
        reportedTargetBytes = targetBytes;
    }

    public List<Difference> kept() {
        return kept;
    }

    public long count() {
        return count;
    }
}
