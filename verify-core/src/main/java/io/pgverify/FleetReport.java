package io.pgverify;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of verifying many source/target pairs: one {@link PairReport} per pair, in the order they were listed.
 *
 * @param pairs      one report per pair this process verified
 * @param shard      which share of the pairs this is ({@code "2/8"}), or null when it is all of them
 * @param startedAt  when the first pair started
 * @param duration   how long the whole run took
 */
public record FleetReport(List<PairReport> pairs, String shard, Instant startedAt, Duration duration) {

    public FleetReport {
        pairs = pairs == null ? List.of() : List.copyOf(pairs);
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
    }

    /**
     * The fleet's verdict, by the rule tables follow within one verification: {@link Outcome#MISMATCH} when any pair
     * differs, else {@link Outcome#INCOMPLETE} when any pair could not be completed (an unreachable pair never hides
     * behind the others), else {@link Outcome#MATCH}. A fleet with no pairs is incomplete: it proves nothing.
     */
    public Outcome outcome() {
        if (pairs.isEmpty()) {
            return Outcome.INCOMPLETE;
        }
        Outcome outcome = Outcome.SKIPPED;
        for (PairReport pair : pairs) {
            outcome = outcome.and(pair.outcome());
        }
        return outcome == Outcome.SKIPPED ? Outcome.INCOMPLETE : outcome;
    }

    /** How many pairs ended with each verdict. */
    public Map<Outcome, Integer> countsByOutcome() {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (PairReport pair : pairs) {
            counts.merge(pair.outcome(), 1, Integer::sum);
        }
        return counts;
    }

    public boolean matches() {
        return outcome() == Outcome.MATCH;
    }
}
