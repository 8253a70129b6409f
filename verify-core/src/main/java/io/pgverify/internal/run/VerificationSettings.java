package io.pgverify.internal.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.pgverify.CheckKind;
import io.pgverify.CompareMode;
import io.pgverify.ProgressListener;
import io.pgverify.internal.catalog.TableFilter;

/**
 * The validated, immutable settings of a verifier.
 *
 * @param threads           comparisons at once: each holds one connection per side
 * @param chunkRows         rows of the smallest key range planned
 * @param chunkTime         about how long one read of consecutive planned key ranges should take; zero reads each alone
 * @param retries           attempts after the first for work that failed transiently (connection lost, cancelled)
 * @param recheck           how many times differences are re-read, after {@code recheckDelay}, before they count
 * @param waitForCatchup    how long to wait for the target to confirm the source's WAL position, or null not to wait
 * @param snapshot          read each side from one exported snapshot
 * @param maxRowsPerSecond  rows per second and side at most, 0 for no limit
 * @param stateFile         where verified key ranges are recorded for a resumed run, or null
 * @param fresh             ignore what the state file says was verified
 * @param compareMode       stream every range, or compare digests computed by the servers first
 * @param maxBytesPerSecond bytes of binary COPY per second and side at most, 0 for no limit
 * @param allowSameDatabase verify even when source and target are the same database (a mistake unless meant)
 */
public record VerificationSettings(TableFilter filter, Set<CheckKind> checks, int lastRows, int threads,
                                   int maxDifferencesPerTable, long chunkRows, Duration chunkTime,
                                   Duration statementTimeout,
                                   Duration lockTimeout, String applicationName, ProgressListener progressListener,
                                   int retries, Duration retryBackoff, int recheck, Duration recheckDelay,
                                   Duration waitForCatchup, List<String> replicationSlots, boolean snapshot,
                                   Duration snapshotAgeWarning, long maxRowsPerSecond, Path stateFile, boolean fresh,
                                   CompareMode compareMode, long maxBytesPerSecond,
                                   boolean allowSameDatabase) {

    public VerificationSettings {
        checks = Set.copyOf(checks);
        replicationSlots = List.copyOf(replicationSlots);
    }
}
