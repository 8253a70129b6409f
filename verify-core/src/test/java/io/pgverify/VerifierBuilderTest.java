package io.pgverify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** build() names the first wrong setting in one sentence; nothing is connected to. */
class VerifierBuilderTest {

    private static Verifier.Builder builder() {
        return Verifier.builder().source(new PGSimpleDataSource()).target(new PGSimpleDataSource());
    }

    @Test
    void rejectsNegativeRateLimits() {
        assertThatThrownBy(() -> builder().maxRowsPerSecond(-1).build())
                .isInstanceOfSatisfying(VerifyException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessage("maxRowsPerSecond must not be negative, not -1.");
        assertThatThrownBy(() -> builder().maxBytesPerSecond(-1).build())
                .isInstanceOfSatisfying(VerifyException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessage("maxBytesPerSecond must not be negative, not -1.");
    }

    @Test
    void acceptsRowAndByteLimitsTogetherAndNone() {
        try (Verifier verifier = builder().maxRowsPerSecond(100_000).maxBytesPerSecond(64L << 20).build()) {
            assertThat(verifier).isNotNull();
        }
        try (Verifier verifier = builder().maxRowsPerSecond(0).maxBytesPerSecond(0).build()) {
            assertThat(verifier).isNotNull();
        }
    }
}
