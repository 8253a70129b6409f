package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Outcome;
import io.pgverify.TableReport;

class GateTest {

    @Test
    void onlyAMatchOpensTheGate() {
        assertThat(Gate.exitCode(Outcome.MATCH)).isZero();
        assertThat(Gate.exitCode(Outcome.MISMATCH)).isEqualTo(1);
        assertThat(Gate.exitCode(Outcome.INCOMPLETE)).isEqualTo(3);
        assertThat(Gate.exitCode(Outcome.SKIPPED)).isEqualTo(3);
    }

    @Test
    void progressLineCountsTablesRowsAndEstimatesTheRest() {
        StringWriter err = new StringWriter();
        try (ProgressDisplay progress = ProgressDisplay.on(new PrintWriter(err), false)) {
            assertThat(progress.line()).isEqualTo("reading the catalogs...");
            progress.started(4, 2_000_000);
            progress.rowsCompared("public.orders", 500_000);
            progress.tableFinished(new TableReport("public", "orders", List.of("id"), 1L, 1L,
                    List.of(new CheckResult(CheckKind.COUNTS, Outcome.MATCH, List.of(), 0, 0, "", Duration.ZERO))));

            assertThat(progress.line()).startsWith("1/4 tables, 500.0k rows, ").contains(" rows/s, ETA ");
            assertThat(progress.line().length()).isLessThan(70);
        }
        assertThat(err.toString()).as("nothing drawn before the first interval").isEmpty();
    }

    @Test
    void countsReadably() {
        assertThat(ProgressDisplay.count(9_999)).isEqualTo("9999");
        assertThat(ProgressDisplay.count(12_345)).isEqualTo("12.3k");
        assertThat(ProgressDisplay.count(12_345_678)).isEqualTo("12.3M");
        assertThat(ProgressDisplay.count(12_345_678_901L)).isEqualTo("12.3G");
    }
}
