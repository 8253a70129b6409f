package io.pgverify.internal.read;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.Outcome;
import io.pgverify.internal.jdbc.SideFailure;

/**
 * Retries and rechecks: what makes a verification survive a dropped connection and tell rows in flight from rows
 * that are really different.
 */
public final class Attempts {

    private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private Attempts() {
    }

    /** Work on both sides that may fail. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SideFailure;
    }

    /**
     * Runs the work, and again after a doubling backoff while it fails transiently, at most {@code retries} more
     * times. Each attempt opens fresh sessions; a broken connection is evicted by the pool.
     */
    public static <T> T withRetries(CheckContext context, String what, Work<T> work) throws SideFailure {
        int retries = context.settings().retries();
        Duration backoff = context.settings().retryBackoff();
        for (int attempt = 0; ; attempt++) {
            try {
                return work.run();
            } catch (SideFailure e) {
                // A cancelled run's statements fail as cancelled ones do: transient, but not to be read again.
                if (!e.isTransient() || attempt >= retries || context.cancellation().cancelled()) {
                    throw e;
                }
                LOG.warn("{}: {}; retrying ({} of {}) in {} ms", what, e.describe(), attempt + 1, retries, backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * What one read of a range found.
     *
     * @param byDigest whether equal digests settled the range without streaming its rows
     */
    public record Found(List<Difference> differences, long count, long rows, boolean byDigest) {
        public Found(List<Difference> differences, long count, long rows) {
            this(differences, count, rows, false);
        }
    }

    /** What persisted over the rechecks, and how many differences went away. */
    public record Rechecked(Found found, long resolved) {

        /** The check's result: a mismatch when any difference persisted. */
        public CheckResult result(CheckKind kind, String message, Duration duration) {
            Outcome outcome = found.count() == 0 ? Outcome.MATCH : Outcome.MISMATCH;
            return new CheckResult(kind, outcome, found.differences(), found.count(), found.rows(), message, duration,
                    resolved);
        }
    }

    /** A read that describes its differences as far as the budget allows, and counts them all. */
    @FunctionalInterface
    public interface Read {
        Found run(DifferenceBudget.Lease budget) throws SideFailure;
    }

    /** Reads with retries, then rechecks what differs: how a check whose reads describe nothing settles a read. */
    public static Rechecked settle(CheckContext context, String what, Work<Found> read) throws SideFailure {
        return settle(context, what, DifferenceBudget.of(context.settings().maxDifferencesPerTable()), budget -> read.run());
    }

    /**
     * Reads with retries, then rechecks what differs: how every row check settles a read. The differences listed
     * are drawn from the table's budget, which the other reads of the table share.
     */
    public static Rechecked settle(CheckContext context, String what, DifferenceBudget budget, Read read) throws SideFailure {
        Found first = withRetries(context, what, () -> attempt(budget, read));
        return recheck(context, what, first, budget, read);
    }

    /** One read; what a failed read took from the budget is given back, as its differences are never listed. */
    private static Found attempt(DifferenceBudget budget, Read read) throws SideFailure {
        DifferenceBudget.Lease lease = budget.lease();
        try {
            return read.run(lease);
        } catch (SideFailure | RuntimeException e) {
            lease.giveBack();
            throw e;
        }
    }

    /**
     * Reads again, after the recheck delay, while differences remain, at most the configured number of times. A
     * difference counts only when its key differs in every read: one that goes away was a row in flight, and one
     * that appears only later is a row in flight too. Beyond the listed differences (the cap), the count of the
     * last read stands, which can only overstate.
     *
     * <p>A recheck may describe up to the per-table cap on its own (the keys it must find may come after new ones),
     * but keeps only keys listed before, so what it lists never grows past what the first read took from the budget;
     * what it no longer lists goes back to the budget.
     */
    static Rechecked recheck(CheckContext context, String what, Found first, DifferenceBudget budget, Read read)
            throws SideFailure {
        Found current = first;
        int limit = context.settings().maxDifferencesPerTable();
        for (int round = 0; round < context.settings().recheck() && current.count() > 0; round++) {
            LOG.info("{}: {} differences; rechecking in {} ms ({} of {})", what, current.count(),
                    context.settings().recheckDelay().toMillis(), round + 1, context.settings().recheck());
            sleep(context.settings().recheckDelay());
            Found again = withRetries(context, what, () -> read.run(DifferenceBudget.of(limit).lease()));
            current = persisting(current, again);
        }
        budget.release(first.differences().size() - current.differences().size());
        return new Rechecked(current, Math.max(0, first.count() - current.count()));
    }

    private static Found persisting(Found before, Found again) {
        Map<Map<String, String>, Difference> now = new LinkedHashMap<>();
        for (Difference difference : again.differences()) {
            now.put(difference.key(), difference);
        }
        List<Difference> persisting = before.differences().stream()
                .filter(d -> now.containsKey(d.key()))
                .map(d -> now.get(d.key()))
                .toList();
        // When either read listed fewer than it counted, the keys of one cannot all be looked up in the other: the
        // persisting ones are at most as many as the smaller count.
        boolean truncated = before.count() > before.differences().size() || again.count() > again.differences().size();
        long count = truncated ? Math.min(before.count(), again.count()) : persisting.size();
        return new Found(persisting, Math.max(count, persisting.size()), again.rows());
    }

    static void sleep(Duration duration) throws SideFailure {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SideFailure(io.pgverify.internal.jdbc.Side.SOURCE, e);
        }
    }
}
