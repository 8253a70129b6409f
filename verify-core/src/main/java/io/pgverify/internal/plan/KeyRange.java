package io.pgverify.internal.plan;

import java.util.List;

/**
 * A range of keys {@code [lower, upper)} in the key order; a null bound is open. The first and last ranges of a table
 * are always open, so rows the target has below the source's lowest key or above its highest are read too.
 *
 * @param lower the key values (as text) of the inclusive lower bound, or null
 * @param upper the key values (as text) of the exclusive upper bound, or null
 */
public record KeyRange(int index, List<String> lower, List<String> upper) {

    public static KeyRange all() {
        return new KeyRange(0, null, null);
    }

    /** The WHERE clause for this range in the plan's key order, or empty for the whole table. */
    public String predicate(TablePlan plan) {
        return plan.sql().keyRange(lower, upper);
    }

    @Override
    public String toString() {
        return "range " + index + " [" + (lower == null ? "-∞" : String.join(",", lower)) + ", "
                + (upper == null ? "+∞" : String.join(",", upper)) + ")";
    }
}
