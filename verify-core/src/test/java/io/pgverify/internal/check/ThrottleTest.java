package io.pgverify.internal.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThrottleTest {

    @Test
    void withoutLimitsNothingIsAcquired() {
        Throttle throttle = Throttle.of(0, 0);
        throttle.delivered(10_000, 1_000_000);
        assertThat(throttle.rowsAcquired()).isZero();
        assertThat(throttle.bytesAcquired()).isZero();
        assertThat(throttle.rowsPerSecond()).isZero();
        assertThat(throttle.bytesPerSecond()).isZero();
    }

    @Test
    void eachLimitIsAskedForWhatWasDelivered() {
        Throttle bytesOnly = Throttle.of(0, 5_000_000);
        assertThat(bytesOnly.bytesPerSecond()).isEqualTo(5_000_000);
        bytesOnly.delivered(10, 1234);
        bytesOnly.delivered(0, 0);
        assertThat(bytesOnly.bytesAcquired()).isEqualTo(1234);
        assertThat(bytesOnly.rowsAcquired()).isZero();

        Throttle rowsOnly = Throttle.of(2_000, 0);
        assertThat(rowsOnly.rowsPerSecond()).isEqualTo(2_000);
        rowsOnly.delivered(10, 1234);
        assertThat(rowsOnly.rowsAcquired()).isEqualTo(10);
        assertThat(rowsOnly.bytesAcquired()).isZero();
    }

    @Test
    void deliveriesBeyondTwoGigabytesAreAcquiredWhole() {
        // Guava's RateLimiter takes int permits; a rate this high never waits.
        Throttle throttle = Throttle.of(Long.MAX_VALUE, Long.MAX_VALUE);
        throttle.delivered(3L * Integer.MAX_VALUE + 5, 5_000_000_000L);
        assertThat(throttle.rowsAcquired()).isEqualTo(3L * Integer.MAX_VALUE + 5);
        assertThat(throttle.bytesAcquired()).isEqualTo(5_000_000_000L);
    }
}
