package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgressDisplayTest {

    @ParameterizedTest(name = "{0} held, warn after {1}")
    @CsvSource({"PT0S, PT10M, snapshot 0s", "PT0.9S, PT10M, snapshot 0s", "PT4M10S, PT10M, snapshot 4m10s",
            "PT9M59.9S, PT10M, snapshot 9m59s", "PT10M, PT10M, snapshot 10m > 10m", "PT1H2M3S, PT10M, snapshot 1h2m3s > 10m",
            "PT2S, PT0.5S, snapshot 2s > 500ms"})
    void formatsTheSnapshotsAge(String age, String warnAfter, String text) {
        assertThat(ProgressDisplay.snapshot(Duration.parse(age), Duration.parse(warnAfter))).isEqualTo(text);
    }

    @Test
    void periodicLinesShowTheSnapshotsAge() {
        StringWriter out = new StringWriter();
        try (ProgressDisplay display = ProgressDisplay.on(new PrintWriter(out), false)) {
            display.started(3, 0);
            display.draw();
            display.snapshotHeld(Duration.ofSeconds(250), Duration.ofMinutes(10));
            display.draw();
            display.snapshotHeld(Duration.ofSeconds(750), Duration.ofMinutes(10));
            display.draw();
        }
        assertThat(out.toString().lines()).containsExactly(
                "pgverify: 0/3 tables",
                "pgverify: 0/3 tables, snapshot 4m10s",
                "pgverify: 0/3 tables, snapshot 12m30s > 10m");
    }

    @Test
    void theTerminalLineShowsTheSnapshotsAgeBeforeTheEstimate() {
        StringWriter out = new StringWriter();
        try (ProgressDisplay display = ProgressDisplay.on(new PrintWriter(out), true)) {
            display.started(2, 1_000_000);
            display.snapshotHeld(Duration.ofSeconds(65), Duration.ofMinutes(10));
            display.rowsCompared("public.t", 500_000);
            display.draw();
            assertThat(display.line()).matches("0/2 tables, 500\\.0k rows, \\S+ rows/s, snapshot 1m5s, ETA \\S+");
        }
        assertThat(out.toString()).startsWith("\rpgverify: 0/2 tables, 500.0k rows, ").contains(", snapshot 1m5s, ETA ")
                .endsWith("\r\u001b[K");
    }
}
