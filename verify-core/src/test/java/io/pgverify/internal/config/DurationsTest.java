package io.pgverify.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.pgverify.VerifyException;

class DurationsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"90s, PT1M30S", "30m, PT30M", "1h30m, PT1H30M", "500ms, PT0.5S", "2d, PT48H", "0, PT0S", "PT45M, PT45M",
            "' 10S ', PT10S", "1h0m5s, PT1H5S"})
    void parses(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "soon", "30", "m30", "30mm", "1.5h", "-5s", "PTfoo", "5 s"})
    void rejects(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(VerifyException.class)
                .hasMessageContaining("is not a duration");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PT0S, 0s", "PT0.25S, 250ms", "PT45S, 45s", "PT1H30M, 1h30m", "PT2H, 2h", "PT1H0M5S, 1h5s", "PT1.5S, 1s500ms"})
    void formatsTheWayItParses(String iso, String text) {
        assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @Test
    void formatsANegativeDurationWithASign() {
        // Negative durations are refused by parse, but validation messages must still print one readably.
        assertThat(Durations.format(Duration.ofSeconds(-5))).isEqualTo("-5s");
    }
}
