package io.pgverify.internal.resume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ThrottleTest {

    /** Time that passes only when the throttle sleeps. */
    private static final class FakeClock implements Throttle.Clock {
        long now = 1_000_000_000L;
        long slept;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            now += nanos;
            slept += nanos;
        }

        double seconds() {
            return (now - 1_000_000_000L) / 1e9;
        }
    }

    @Test
    void withoutLimitsNothingIsAcquired() {
        Throttle throttle = Throttle.of(0, 0);
        throttle.delivered(10_000, 1_000_000);
        assertThat(throttle.rowsAcquired()).isZero();
        assertThat(throttle.bytesAcquired()).isZero();
        assertThat(throttle.rowsPerSecond()).isZero();
        assertThat(throttle.bytesPerSecond()).isZero();
        assertThat(throttle.rowsPerStep(10_000)).isEqualTo(10_000);
    }

    @Test
    void eachLimitIsAskedForWhatWasDelivered() {
        Throttle bytesOnly = Throttle.of(0, 5_000_000, new FakeClock());
        assertThat(bytesOnly.bytesPerSecond()).isEqualTo(5_000_000);
        bytesOnly.delivered(10, 1234);
        bytesOnly.delivered(0, 0);
        assertThat(bytesOnly.bytesAcquired()).isEqualTo(1234);
        assertThat(bytesOnly.rowsAcquired()).isZero();

        Throttle rowsOnly = Throttle.of(2_000, 0, new FakeClock());
        assertThat(rowsOnly.rowsPerSecond()).isEqualTo(2_000);
        rowsOnly.delivered(10, 1234);
        assertThat(rowsOnly.rowsAcquired()).isEqualTo(10);
        assertThat(rowsOnly.bytesAcquired()).isZero();
    }

    @Test
    void theFirstBatchIsPacedToo() {
        FakeClock clock = new FakeClock();
        Throttle throttle = Throttle.of(20, 0, clock);
        // A table of 1,000 rows read in one batch, before the limit is first asked: 50 s at 20 rows a second.
        throttle.delivered(1_000, 0);
        assertThat(clock.seconds()).isEqualTo(50.0);
        assertThat(throttle.waitedNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(50));
    }

    @Test
    void afterEverySecondAtMostTheRateAndOneSecondsWorthWereDelivered() {
        FakeClock clock = new FakeClock();
        Throttle throttle = Throttle.of(20, 0, clock);
        assertThat(throttle.rowsPerStep(10_000)).isEqualTo(2);
        long delivered = 0;
        // Small batches, as a reader under a low limit delivers them, with reading time between them.
        for (int batch = 0; batch < 500; batch++) {
            clock.now += TimeUnit.MILLISECONDS.toNanos(5);
            throttle.delivered(2, 0);
            delivered += 2;
            assertThat(delivered).as("rows delivered after %s s", clock.seconds())
                    .isLessThanOrEqualTo((long) Math.floor(20 * clock.seconds()) + 20);
        }
        assertThat(clock.seconds()).isBetween(49.0, 50.0);
    }

    @Test
    void idleTimeEarnsAtMostOneSecondsWorth() {
        FakeClock clock = new FakeClock();
        Throttle throttle = Throttle.of(100, 0, clock);
        clock.now += TimeUnit.MINUTES.toNanos(10);
        throttle.delivered(100, 0);
        assertThat(clock.slept).isZero();
        throttle.delivered(100, 0);
        assertThat(clock.slept).isEqualTo(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aByteLimitPacesWhatARowLimitLetThrough() {
        FakeClock clock = new FakeClock();
        Throttle throttle = Throttle.of(1_000, 1_000_000, clock);
        throttle.delivered(100, 4_000_000);
        // 0.1 s for the rows, then the bytes' debt: 4 s from the start.
        assertThat(clock.seconds()).isEqualTo(4.0);
    }

    @Test
    void anInterruptEndsTheWaitWithTheFlagSet() {
        Throttle throttle = Throttle.of(1, 0, new Throttle.Clock() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                throw new InterruptedException();
            }
        });
        try {
            throttle.delivered(1_000_000, 0);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void deliveriesBeyondTwoGigabytesAreAcquiredWhole() {
        Throttle throttle = Throttle.of(Long.MAX_VALUE, Long.MAX_VALUE, new FakeClock());
        throttle.delivered(3L * Integer.MAX_VALUE + 5, 5_000_000_000L);
        assertThat(throttle.rowsAcquired()).isEqualTo(3L * Integer.MAX_VALUE + 5);
        assertThat(throttle.bytesAcquired()).isEqualTo(5_000_000_000L);
    }
}
