package io.pgverify.internal.read;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many more differences one check of one table may still describe: shared by every read of the table (key ranges
 * read in parallel, retries, rechecks), so the cap holds for the table, not for each read. Past it, differences are
 * only counted. Each read draws through a {@link Lease} of its own.
 */
public final class DifferenceBudget {

    private final AtomicInteger left;

    private DifferenceBudget(int slots) {
        this.left = new AtomicInteger(Math.max(0, slots));
    }

    /** A budget of {@code slots} differences. */
    public static DifferenceBudget of(int slots) {
        return new DifferenceBudget(slots);
    }

    /** A part of this budget for one read, which can give back what it took. */
    public Lease lease() {
        return new Lease(this);
    }

    /** Gives back slots whose differences were dropped (differences a recheck did not see again). */
    void release(int slots) {
        if (slots > 0) {
            left.addAndGet(slots);
        }
    }

    public int left() {
        return left.get();
    }

    private boolean take() {
        while (true) {
            int now = left.get();
            if (now <= 0) {
                return false;
            }
            if (left.compareAndSet(now, now - 1)) {
                return true;
            }
        }
    }

    /** Takes from its budget and remembers how much, for one read on one thread. */
    public static final class Lease {
        private final DifferenceBudget budget;
        private int taken;

        private Lease(DifferenceBudget budget) {
            this.budget = budget;
        }

        /** Takes one slot; false when the table's budget has none left. */
        boolean take() {
            if (budget.take()) {
                taken++;
                return true;
            }
            return false;
        }

        /** Gives back everything this read took: its differences will never be listed (the read failed). */
        public void giveBack() {
            budget.release(taken);
            taken = 0;
        }
    }
}
