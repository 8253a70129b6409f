package io.pgverify.internal.check;

import java.util.concurrent.atomic.LongAdder;

import com.google.common.util.concurrent.RateLimiter;

/**
 * One side's rate limits, in rows and in bytes of binary COPY per second, each optional. Fed with what that side's
 * stream delivered: acquiring blocks the merge, and with it both servers, whose sockets fill. Shared by the workers
 * of the run, so the limits hold for the side as a whole.
 */
final class Throttle {

    private final RateLimiter rows;
    private final RateLimiter bytes;
    private final LongAdder rowsAcquired = new LongAdder();
    private final LongAdder bytesAcquired = new LongAdder();

    private Throttle(RateLimiter rows, RateLimiter bytes) {
        this.rows = rows;
        this.bytes = bytes;
    }

    /** Limits of rows and bytes per second; 0 for no limit. */
    static Throttle of(long rowsPerSecond, long bytesPerSecond) {
        return new Throttle(rowsPerSecond > 0 ? RateLimiter.create(rowsPerSecond) : null,
                bytesPerSecond > 0 ? RateLimiter.create(bytesPerSecond) : null);
    }

    /** Waits until the limits allow this many more rows and bytes to have been read. */
    void delivered(long rowCount, long byteCount) {
        if (rows != null && rowCount > 0) {
            acquire(rows, rowCount);
            rowsAcquired.add(rowCount);
        }
        if (bytes != null && byteCount > 0) {
            acquire(bytes, byteCount);
            bytesAcquired.add(byteCount);
        }
    }

    /** Rows the row limit was asked for so far; 0 without a row limit. */
    long rowsAcquired() {
        return rowsAcquired.sum();
    }

    /** Bytes the byte limit was asked for so far; 0 without a byte limit. */
    long bytesAcquired() {
        return bytesAcquired.sum();
    }

    /** The byte limit's rate, 0 without one. */
    double bytesPerSecond() {
        return bytes == null ? 0 : bytes.getRate();
    }

    /** The row limit's rate, 0 without one. */
    double rowsPerSecond() {
        return rows == null ? 0 : rows.getRate();
    }

    private static void acquire(RateLimiter limiter, long permits) {
        // RateLimiter counts permits in ints: a larger delivery is acquired in parts.
        for (long left = permits; left > 0; left -= Integer.MAX_VALUE) {
            limiter.acquire((int) Math.min(Integer.MAX_VALUE, left));
        }
    }
}
