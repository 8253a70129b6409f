package io.pgverify.internal.resume;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

import io.pgverify.Outcome;
import io.pgverify.internal.plan.KeyRange;

/**
 * Hands a table's planned key ranges out to the lanes that read them, one read at a time, so that a read takes about
 * the chunk time whatever the width of the rows (pt-table-checksum's chunk-time): the time a planned range takes is
 * measured while the table is read, and a read covers as many consecutive planned ranges as fit in the chunk time at
 * that pace. Bounded reads keep each query's snapshot short, make a retry cheap and a resumed run lose little.
 *
 * <p>Near the end reads shrink so that the lanes finish together rather than one lane reading a last long range alone
 * (guided scheduling): no read takes more than a share of what is left. A read never spans a planned range that a
 * previous run already verified as matching; such ranges are handed out on their own, marked as resumed.
 */
public final class RangeSchedule {

    /** One read: the planned ranges {@code first} to {@code last}, as one key range, or their earlier verdict. */
    public record Read(int first, int last, KeyRange range, StateFile.Verdict resumed) {

        int plannedRanges() {
            return last - first + 1;
        }
    }

    private final List<KeyRange> planned;
    private final long chunkNanos;
    private final int lanes;
    private final IntFunction<Optional<StateFile.Verdict>> verdicts;
    /** The planned ranges this schedule hands out: all of them, or one shard's share of a plan. */
    private final IntPredicate assigned;
    private final int assignedCount;
    // Guarded by this.
    private int next;
    private long measuredNanos;
    private long measuredRanges;
    private int handedOut;

    /**
     * @param planned  the table's planned ranges, in key order, together covering every key
     * @param verdicts what a previous run recorded for a read beginning at a planned range
     */
    public RangeSchedule(List<KeyRange> planned, Duration chunkTime, int lanes,
                  IntFunction<Optional<StateFile.Verdict>> verdicts) {
        this(planned, chunkTime, lanes, verdicts, index -> true);
    }

    /**
     * A schedule of the planned ranges {@code assigned} accepts (by index), for one shard of a plan: a read never spans
     * a range that is not assigned, which another shard reads.
     */
    public RangeSchedule(List<KeyRange> planned, Duration chunkTime, int lanes,
                  IntFunction<Optional<StateFile.Verdict>> verdicts, IntPredicate assigned) {
        if (planned.isEmpty() || lanes < 1) {
            throw new IllegalArgumentException("a schedule needs ranges and lanes");
        }
        this.planned = List.copyOf(planned);
        this.chunkNanos = chunkTime.toNanos();
        this.lanes = lanes;
        this.verdicts = verdicts;
        this.assigned = assigned;
        int count = 0;
        for (int i = 0; i < planned.size(); i++) {
            count += assigned.test(i) ? 1 : 0;
        }
        this.assignedCount = count;
        skipUnassigned();
    }

    private void skipUnassigned() {
        while (next < planned.size() && !assigned.test(next)) {
            next++;
        }
    }

    /** How many lanes are worth starting: never more than there are planned ranges. */
    public int lanes() {
        return Math.max(1, Math.min(lanes, assignedCount));
    }

    /** The next read, or empty when every planned range has been handed out. */
    public synchronized Optional<Read> next() {
        if (next >= planned.size()) {
            return Optional.empty();
        }
        StateFile.Verdict verified = verifiedAt(next);
        if (verified != null) {
            Read read = new Read(next, verified.last(), span(next, verified.last()), verified);
            handOut(next, verified.last());
            next = verified.last() + 1;
            skipUnassigned();
            return Optional.of(read);
        }
        int count = Math.min(fitting(), Math.max(1, unreadAssigned() / (2 * lanes)));
        int last = next;
        while (last - next + 1 < count && last + 1 < planned.size() && assigned.test(last + 1)
                && verifiedAt(last + 1) == null) {
            last++;
        }
        Read read = new Read(next, last, span(next, last), null);
        handOut(next, last);
        next = last + 1;
        skipUnassigned();
        return Optional.of(read);
    }

    /** Records how long a read took, which sizes the reads after it. */
    public synchronized void finished(Read read, long nanos) {
        if (read.resumed() == null) {
            measuredNanos += Math.max(1, nanos);
            measuredRanges += read.plannedRanges();
        }
    }

    /** The planned ranges this schedule hands out. */
    public int planned() {
        return assignedCount;
    }

    /** The planned ranges not handed out yet: more than none after the lanes stopped means the table was not covered. */
    public synchronized int unread() {
        return unreadAssigned();
    }

    private int unreadAssigned() {
        return assignedCount - handedOut;
    }

    /** Counts the assigned ranges of a read just handed out. */
    private void handOut(int first, int last) {
        for (int i = first; i <= last; i++) {
            handedOut += assigned.test(i) ? 1 : 0;
        }
    }

    /** How many planned ranges fit in the chunk time at the pace measured so far: one until there is a measure. */
    private int fitting() {
        if (chunkNanos <= 0 || measuredRanges == 0) {
            return 1;
        }
        double perRange = (double) measuredNanos / measuredRanges;
        return (int) Math.max(1, Math.min(planned.size(), chunkNanos / perRange));
    }

    private StateFile.Verdict verifiedAt(int index) {
        StateFile.Verdict verdict = verdicts.apply(index).orElse(null);
        boolean usable = verdict != null && verdict.outcome() == Outcome.MATCH && verdict.first() == index
                && verdict.last() < planned.size();
        return usable ? verdict : null;
    }

    /** One key range from the lower bound of {@code first} to the upper bound of {@code last}. */
    private KeyRange span(int first, int last) {
        return new KeyRange(first, planned.get(first).lower(), planned.get(last).upper());
    }
}
