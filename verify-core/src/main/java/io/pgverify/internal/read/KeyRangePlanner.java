package io.pgverify.internal.read;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.jdbc.SideFailure;
import io.pgverify.internal.plan.KeyRange;
import io.pgverify.internal.plan.TablePlan;

/**
 * Splits a table into key ranges of about {@code chunkRows} rows, from a sample of the source's keys
 * ({@code TABLESAMPLE SYSTEM}: a few pages, not a scan). A sampled page holds a run of neighbouring keys, so only one
 * random key per page is kept: quantiles of clustered keys would cut a few tiny ranges and one giant one. Boundaries
 * need not be exact: both sides read the same ranges, so a skewed sample costs balance, never correctness.
 */
public final class KeyRangePlanner {

    /** Ranges per table at most: each costs a query per side. */
    static final int MAX_RANGES = 4096;
    /** Sampled pages (one key each) per range wanted, so that quantiles are roughly even. */
    private static final int SAMPLES_PER_RANGE = 16;

    private KeyRangePlanner() {
    }

    public static List<KeyRange> plan(CheckContext context, TablePlan plan) throws SideFailure {
        if (readsWhole(context, plan)) {
            return List.of(KeyRange.all());
        }
        long estimated = plan.source().estimatedRows();
        long chunkRows = context.settings().chunkRows();
        int wanted = (int) Math.min(MAX_RANGES, (estimated + chunkRows - 1) / chunkRows);
        double percent = Math.min(100.0, Math.max(0.0001, 100.0 * wanted * SAMPLES_PER_RANGE / estimated));
        List<List<String>> sample = sample(context, plan, percent);
        // SYSTEM sampling picks pages by chance, and the first guess assumed one row per page: widen until enough pages.
        while (sample.size() < wanted * SAMPLES_PER_RANGE && percent < 100.0) {
            percent = Math.min(100.0, percent * 4);
            sample = sample(context, plan, percent);
        }
        return ranges(sample, wanted);
    }

    /**
     * True when the table is planned as one range without bounds: too small to split (or its size unknown), or its key
     * cannot be scanned in key ranges. Decided from the catalog's estimate alone, so it is known before any read.
     */
    public static boolean readsWhole(CheckContext context, TablePlan plan) {
        long estimated = plan.source().estimatedRows();
        long chunkRows = context.settings().chunkRows();
        return !plan.rangeScannable() || estimated < chunkRows + chunkRows / 2;
    }

    private static List<List<String>> sample(CheckContext context, TablePlan plan, double percent) throws SideFailure {
        String sql = plan.sql().keySample(percent);
        return context.runOn(Side.SOURCE, session -> {
            List<List<String>> keys = new ArrayList<>();
            int width = plan.keyNames().size();
            try (Statement statement = session.connection().createStatement()) {
                statement.setFetchSize(10_000);
                try (ResultSet rs = statement.executeQuery(sql)) {
                    while (rs.next()) {
                        List<String> key = new ArrayList<>(width);
                        for (int i = 1; i <= width; i++) {
                            key.add(rs.getString(i));
                        }
                        keys.add(key);
                    }
                }
            }
            return keys;
        });
    }

    /** Cuts the sorted sample into {@code wanted} ranges, the first and last open-ended. */
    static List<KeyRange> ranges(List<List<String>> sortedSample, int wanted) {
        List<List<String>> boundaries = new ArrayList<>();
        for (int i = 1; i < wanted && sortedSample.size() > 1; i++) {
            List<String> boundary = sortedSample.get((int) ((long) i * sortedSample.size() / wanted));
            if (boundaries.isEmpty() || !boundaries.get(boundaries.size() - 1).equals(boundary)) {
                boundaries.add(boundary);
            }
        }
        List<KeyRange> ranges = new ArrayList<>();
        List<String> lower = null;
        for (List<String> boundary : boundaries) {
            ranges.add(new KeyRange(ranges.size(), lower, boundary));
            lower = boundary;
        }
        ranges.add(new KeyRange(ranges.size(), lower, null));
        return ranges;
    }
}
