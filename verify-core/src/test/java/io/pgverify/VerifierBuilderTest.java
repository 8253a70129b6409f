package io.pgverify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

/** build() names the first wrong setting in one sentence, the way it was given; nothing is connected to. */
class VerifierBuilderTest {

    private static Verifier.Builder builder() {
        return Verifier.builder().source(new PGSimpleDataSource()).target(new PGSimpleDataSource());
    }

    /** One way to get a setting wrong, and the exact sentence build() (or set()) answers with. */
    record Case(Setting setting, String given, UnaryOperator<Verifier.Builder> configure, String message) {
        @Override
        public String toString() {
            return given;
        }
    }

    private static Case wrong(Setting setting, String given, UnaryOperator<Verifier.Builder> configure, String message) {
        return new Case(setting, given, configure, message);
    }

    static final List<Case> CASES = List.of(
            wrong(Setting.LAST_ROWS, "lastRows(0)", b -> b.lastRows(0), "lastRows must be between 1 and 100000, not 0."),
            wrong(Setting.LAST_ROWS, "lastRows(100001)", b -> b.lastRows(100_001),
                    "lastRows must be between 1 and 100000, not 100001."),
            wrong(Setting.THREADS, "threads(0)", b -> b.threads(0), "threads must be between 1 and 64, not 0."),
            wrong(Setting.THREADS, "threads(65)", b -> b.threads(65), "threads must be between 1 and 64, not 65."),
            wrong(Setting.CHUNK_ROWS, "chunkRows(999)", b -> b.chunkRows(999),
                    "chunkRows must be between 1000 and 100000000, not 999."),
            wrong(Setting.CHUNK_ROWS, "chunkRows(100000001)", b -> b.chunkRows(100_000_001),
                    "chunkRows must be between 1000 and 100000000, not 100000001."),
            wrong(Setting.CHUNK_TIME, "chunkTime(2h)", b -> b.chunkTime(Duration.ofHours(2)),
                    "chunkTime must be between 0s and 1h, not 2h."),
            wrong(Setting.CHUNK_TIME, "chunkTime(-1s)", b -> b.chunkTime(Duration.ofSeconds(-1)),
                    "chunkTime must be between 0s and 1h, not -1s."),
            wrong(Setting.STATEMENT_TIMEOUT, "statementTimeout(-1s)", b -> b.statementTimeout(Duration.ofSeconds(-1)),
                    "statementTimeout must not be negative, not -1s."),
            wrong(Setting.LOCK_TIMEOUT, "lockTimeout(-500ms)", b -> b.lockTimeout(Duration.ofMillis(-500)),
                    "lockTimeout must not be negative, not -500ms."),
            wrong(Setting.MAX_DIFFERENCES, "maxDifferencesPerTable(0)", b -> b.maxDifferencesPerTable(0),
                    "maxDifferencesPerTable must be between 1 and 1000000, not 0."),
            wrong(Setting.SOURCE_THREADS, "sourceThreads(65)", b -> b.sourceThreads(65),
                    "sourceThreads must be between 0 and 64, not 65."),
            wrong(Setting.SOURCE_THREADS, "sourceThreads(-1)", b -> b.sourceThreads(-1),
                    "sourceThreads must be between 0 and 64, not -1."),
            wrong(Setting.TARGET_THREADS, "targetThreads(65)", b -> b.targetThreads(65),
                    "targetThreads must be between 0 and 64, not 65."),
            wrong(Setting.MAX_ROWS_PER_SECOND, "maxRowsPerSecond(-1)", b -> b.maxRowsPerSecond(-1),
                    "maxRowsPerSecond must not be negative, not -1."),
            wrong(Setting.MAX_BYTES_PER_SECOND, "maxBytesPerSecond(-1)", b -> b.maxBytesPerSecond(-1),
                    "maxBytesPerSecond must not be negative, not -1."),
            wrong(Setting.RECHECK, "recheck(101, 2s)", b -> b.recheck(101, Duration.ofSeconds(2)),
                    "recheck must be between 0 and 100, not 101."),
            wrong(Setting.RECHECK_DELAY, "recheck(1, -2s)", b -> b.recheck(1, Duration.ofSeconds(-2)),
                    "recheckDelay must not be negative, not -2s."),
            wrong(Setting.WAIT_FOR_CATCHUP, "waitForCatchup(-1m)", b -> b.waitForCatchup(Duration.ofMinutes(-1)),
                    "waitForCatchup must not be negative, not -1m."),
            wrong(Setting.DEADLINE, "deadline(-1m)", b -> b.deadline(Duration.ofMinutes(-1)),
                    "deadline must not be negative, not -1m."),
            wrong(Setting.SNAPSHOT_AGE_WARNING, "snapshotAgeWarning(-1s)",
                    b -> b.snapshotAgeWarning(Duration.ofSeconds(-1)),
                    "snapshotAgeWarning must not be negative, not -1s."),
            wrong(Setting.RETRIES, "retries(-1, 1s)", b -> b.retries(-1, Duration.ofSeconds(1)),
                    "retries must be between 0 and 100, not -1."),
            wrong(Setting.RETRY_BACKOFF, "retries(3, -1s)", b -> b.retries(3, Duration.ofSeconds(-1)),
                    "retryBackoff must not be negative, not -1s."),
            wrong(Setting.CHECKS, "checks()", b -> b.checks(),
                    "checks must name at least one check: schema, sequences, counts, last-rows or hashes."),
            wrong(Setting.FRESH, "fresh(true) without stateFile", b -> b.fresh(true),
                    "fresh only makes sense with stateFile: set stateFile or drop fresh."),
            // The same rows reached through text, as the command line and the environment reach them.
            wrong(Setting.THREADS, "set(THREADS, \"100\")", b -> b.set(Setting.THREADS, "100"),
                    "threads must be between 1 and 64, not 100."),
            wrong(Setting.THREADS, "set(THREADS, \"100\", \"--threads\")", b -> b.set(Setting.THREADS, "100", "--threads"),
                    "--threads must be between 1 and 64, not 100."),
            wrong(Setting.CHUNK_TIME, "PGVERIFY_CHUNK_TIME=2h",
                    b -> b.fromEnvironment(Map.of("PGVERIFY_CHUNK_TIME", "2h")),
                    "PGVERIFY_CHUNK_TIME must be between 0s and 1h, not 2h."),
            wrong(Setting.FRESH, "--fresh without --state", b -> b.set(Setting.FRESH, "true", "--fresh"),
                    "--fresh only makes sense with --state: set --state or drop --fresh."),
            wrong(Setting.FRESH, "PGVERIFY_FRESH=on without PGVERIFY_STATE",
                    b -> b.fromEnvironment(Map.of("PGVERIFY_FRESH", "on")),
                    "PGVERIFY_FRESH only makes sense with PGVERIFY_STATE: set PGVERIFY_STATE or drop PGVERIFY_FRESH."));

    static final List<Case> UNREADABLE = List.of(
            wrong(Setting.THREADS, "set(THREADS, \"many\")", b -> b.set(Setting.THREADS, "many"),
                    "threads: 'many' is not a whole number."),
            wrong(Setting.THREADS, "PGVERIFY_THREADS=4.5", b -> b.fromEnvironment(Map.of("PGVERIFY_THREADS", "4.5")),
                    "PGVERIFY_THREADS: '4.5' is not a whole number."),
            wrong(Setting.STATEMENT_TIMEOUT, "set(STATEMENT_TIMEOUT, \"soon\")",
                    b -> b.set(Setting.STATEMENT_TIMEOUT, "soon"),
                    "statement-timeout: 'soon' is not a duration; write e.g. 90s, 30m, 1h30m or 500ms."),
            wrong(Setting.MAX_BYTES_PER_SECOND, "set(MAX_BYTES_PER_SECOND, \"10XB\")",
                    b -> b.set(Setting.MAX_BYTES_PER_SECOND, "10XB"),
                    "max-bytes-per-second: '10XB' is not a size in bytes; write e.g. 5000000, 500kB, 10MB or 64MiB."),
            wrong(Setting.SNAPSHOT, "set(SNAPSHOT, \"maybe\")", b -> b.set(Setting.SNAPSHOT, "maybe"),
                    "snapshot: 'maybe' is not true or false."),
            wrong(Setting.MODE, "set(MODE, \"fast\")", b -> b.set(Setting.MODE, "fast"),
                    "mode: 'fast' is not a mode; use stream or digest."),
            wrong(Setting.CHECKS, "set(CHECKS, \"counts,bogus\")", b -> b.set(Setting.CHECKS, "counts,bogus"),
                    "checks: Unknown check 'bogus': use schema, sequences, counts, last-rows or hashes."));

    static Stream<Case> cases() {
        return CASES.stream();
    }

    static Stream<Case> unreadable() {
        return UNREADABLE.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void buildNamesTheWrongSettingInOneSentence(Case wrong) {
        Verifier.Builder builder = wrong.configure().apply(builder());

        assertThatThrownBy(builder::build)
                .isInstanceOfSatisfying(VerifyException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessage(wrong.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void setNamesTextItCannotRead(Case wrong) {
        assertThatThrownBy(() -> wrong.configure().apply(builder()))
                .isInstanceOfSatisfying(VerifyException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessage(wrong.message());
    }

    @Test
    void everyBoundedSettingHasACase() {
        Set<Setting> bounded = EnumSet.noneOf(Setting.class);
        for (Setting setting : Setting.values()) {
            switch (setting.type()) {
                case INTEGER, LONG, SIZE, DURATION, CHECKS -> bounded.add(setting);
                default -> {
                    // no bounds to check
                }
            }
        }
        bounded.add(Setting.FRESH);

        assertThat(CASES.stream().map(Case::setting).collect(Collectors.toSet())).containsAll(bounded);
    }

    @Test
    void noSourceOrTargetIsNamed() {
        assertThatThrownBy(() -> Verifier.builder().target(new PGSimpleDataSource()).build())
                .hasMessage("No source given: call source(...) with connection settings or a DataSource.");
        assertThatThrownBy(() -> Verifier.builder().source(new PGSimpleDataSource()).build())
                .hasMessage("No target given: call target(...) with connection settings or a DataSource.");
    }

    @Test
    void acceptsTheBoundsThemselves() {
        Verifier.Builder lowest = builder().lastRows(1).threads(1).chunkRows(1_000).chunkTime(Duration.ZERO)
                .statementTimeout(Duration.ZERO).lockTimeout(Duration.ZERO).maxDifferencesPerTable(1).sourceThreads(0)
                .targetThreads(0).maxRowsPerSecond(0).maxBytesPerSecond(0).recheck(0, Duration.ZERO)
                .retries(0, Duration.ZERO).waitForCatchup(Duration.ZERO).snapshotAgeWarning(Duration.ZERO);
        Verifier.Builder highest = builder().lastRows(100_000).threads(64).chunkRows(100_000_000)
                .chunkTime(Duration.ofHours(1)).maxDifferencesPerTable(1_000_000).sourceThreads(64).targetThreads(64)
                .recheck(100, Duration.ofDays(1)).retries(100, Duration.ofMinutes(5))
                .stateFile(Path.of("state.json")).fresh(true);
        for (Verifier.Builder builder : List.of(lowest, highest)) {
            try (Verifier verifier = builder.build()) {
                assertThat(verifier).isNotNull();
            }
        }
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

    @Test
    void whatIsSetLastWinsSoTheCommandLineCanOverrideTheEnvironment() {
        // PGVERIFY_THREADS=0 would fail; the flag given after it replaces it, and its name is the one checked.
        Verifier.Builder builder = builder().fromEnvironment(Map.of("PGVERIFY_THREADS", "0", "PGVERIFY_UNKNOWN", "x"))
                .set(Setting.THREADS, "8", "--threads");

        try (Verifier verifier = builder.build()) {
            assertThat(verifier).isNotNull();
        }
    }
}
