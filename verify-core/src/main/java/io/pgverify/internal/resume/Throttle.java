package io.pgverify.internal.resume;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One side's rate limits, in rows and in bytes of binary COPY per second, each optional. Fed with what that side's
 * stream delivered: acquiring blocks the merge, and with it both servers, whose sockets fill. Shared by the workers
 * of the run, so the limits hold for the side as a whole.
 *
 * <p>Each limit is a token bucket that starts empty and holds at most one second's worth: a delivery is paid for
 * before the next one is let through, the first one included, so after {@code t} seconds at most {@code rate * (t + 1)}
 * have been delivered, plus the batch being accounted. (Guava's RateLimiter, used before, lets the first acquisition
 * through at once and charges it to the next: a table read in one batch was never slowed at all.)
 */
public final class Throttle {

    /** Time, and waiting for it; replaced in tests so that no test waits for real. */
    interface Clock {
        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };

        long nanoTime();

        void sleep(long nanos) throws InterruptedException;
    }

    private final Clock clock;
    private final Bucket rows;
    private final Bucket bytes;
    private final LongAdder rowsAcquired = new LongAdder();
    private final LongAdder bytesAcquired = new LongAdder();
    private final LongAdder waitedNanos = new LongAdder();

    private Throttle(Clock clock, Bucket rows, Bucket bytes) {
        this.clock = clock;
        this.rows = rows;
        this.bytes = bytes;
    }

    /** Limits of rows and bytes per second; 0 for no limit. */
    public static Throttle of(long rowsPerSecond, long bytesPerSecond) {
        return of(rowsPerSecond, bytesPerSecond, Clock.SYSTEM);
    }

    static Throttle of(long rowsPerSecond, long bytesPerSecond, Clock clock) {
        long now = clock.nanoTime();
        return new Throttle(clock, rowsPerSecond > 0 ? new Bucket(rowsPerSecond, now) : null,
                bytesPerSecond > 0 ? new Bucket(bytesPerSecond, now) : null);
    }

    /**
     * Waits until the limits allow this many more rows and bytes to have been read. An interrupt ends the wait early
     * with the thread's flag set: the caller sees it and stops reading.
     */
    public void delivered(long rowCount, long byteCount) {
        if (rows != null && rowCount > 0) {
            rowsAcquired.add(rowCount);
            if (!pay(rows, rowCount)) {
                return;
            }
        }
        if (bytes != null && byteCount > 0) {
            bytesAcquired.add(byteCount);
            pay(bytes, byteCount);
        }
    }

    /** False when interrupted while waiting. */
    private boolean pay(Bucket bucket, long amount) {
        long wait = bucket.take(amount, clock.nanoTime());
        if (wait <= 0) {
            return true;
        }
        waitedNanos.add(wait);
        try {
            clock.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Rows the row limit was asked for so far; 0 without a row limit. */
    public long rowsAcquired() {
        return rowsAcquired.sum();
    }

    /** Bytes the byte limit was asked for so far; 0 without a byte limit. */
    public long bytesAcquired() {
        return bytesAcquired.sum();
    }

    /** How long the limits made readers wait in all (as asked of the clock, not measured). */
    public long waitedNanos() {
        return waitedNanos.sum();
    }

    /** The byte limit's rate, 0 without one. */
    public double bytesPerSecond() {
        return bytes == null ? 0 : bytes.perSecond;
    }

    /** The row limit's rate, 0 without one. */
    double rowsPerSecond() {
        return rows == null ? 0 : rows.perSecond;
    }

    /**
     * How many rows a reader may deliver between two calls, so that a low row limit is applied in small steps rather
     * than after a whole range: about a tenth of a second's worth, never more than {@code usual}.
     */
    public int rowsPerStep(int usual) {
        if (rows == null) {
            return usual;
        }
        return (int) Math.max(1, Math.min(usual, rows.perSecond / 10));
    }

    /** Tokens earned at a fixed rate up to a second's worth, spent by deliveries; a debt is waited off. */
    private static final class Bucket {
        private final double perSecond;
        private double available;
        private long updated;

        Bucket(double perSecond, long now) {
            this.perSecond = perSecond;
            this.updated = now;
        }

        /** Spends {@code amount}; returns how long to wait, in nanoseconds, until the debt it leaves is paid. */
        synchronized long take(long amount, long now) {
            if (now > updated) {
                available = Math.min(perSecond, available + (now - updated) * perSecond / 1e9);
                updated = now;
            }
            available -= amount;
            // Concurrent callers each wait for the debt up to and including their own delivery.
            return available >= 0 ? 0 : (long) Math.ceil(-available * 1e9 / perSecond);
        }
    }
}
