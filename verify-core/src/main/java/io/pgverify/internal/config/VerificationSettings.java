package io.pgverify.internal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pgverify.CheckKind;
import io.pgverify.CompareMode;
import io.pgverify.ProgressListener;
import io.pgverify.Setting;
import io.pgverify.internal.catalog.TableFilter;

/**
 * The validated, immutable settings of a verifier: one value per {@link Setting} row, read through typed accessors.
 * Held by setting rather than as positional components so that a new setting is a row in {@link Setting}, not a new
 * argument in every constructor call.
 */
public final class VerificationSettings {

    private final Map<Setting, Object> values;
    private final TableFilter filter;
    private final ProgressListener progressListener;

    private VerificationSettings(Map<Setting, Object> values, ProgressListener progressListener) {
        this.values = values;
        this.filter = TableFilter.of(patterns(Setting.INCLUDE, values), patterns(Setting.EXCLUDE, values));
        this.progressListener = progressListener;
    }

    /**
     * The defaults of {@link Setting} overlaid with {@code values}. Each value must be of its row's
     * {@link Setting.Type#javaType() type}; its bounds are {@code Verifier.Builder}'s to check, which calls this after.
     */
    public static VerificationSettings of(Map<Setting, ?> values, ProgressListener progressListener) {
        Map<Setting, Object> all = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            all.put(setting, values.containsKey(setting) ? copy(setting, values.get(setting)) : setting.defaultValue());
        }
        return new VerificationSettings(Collections.unmodifiableMap(all), progressListener);
    }

    private static Object copy(Setting setting, Object value) {
        if (value == null) {
            return null;
        }
        if (!setting.type().javaType().isInstance(value)) {
            throw new IllegalArgumentException(setting + " holds a " + setting.type().javaType().getSimpleName()
                    + ", not " + value.getClass().getSimpleName());
        }
        if (value instanceof Set<?> kinds) {
            Set<CheckKind> copy = EnumSet.noneOf(CheckKind.class);
            kinds.forEach(kind -> copy.add((CheckKind) kind));
            return Collections.unmodifiableSet(copy);
        }
        if (value instanceof List<?> list) {
            return List.copyOf(list);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> patterns(Setting setting, Map<Setting, Object> values) {
        return (List<String>) values.get(setting);
    }

    /** The value of any setting, as its row's type; null when unset means off. */
    public Object value(Setting setting) {
        return values.get(setting);
    }

    public TableFilter filter() {
        return filter;
    }

    public ProgressListener progressListener() {
        return progressListener;
    }

    @SuppressWarnings("unchecked")
    public Set<CheckKind> checks() {
        return (Set<CheckKind>) values.get(Setting.CHECKS);
    }

    public int lastRows() {
        return (Integer) values.get(Setting.LAST_ROWS);
    }

    /** Comparisons at once: each holds one connection per side, so no more than either side allows. */
    public int threads() {
        return Math.min(sourceThreads(), targetThreads());
    }

    /** Concurrent queries on the source at most: {@link Setting#SOURCE_THREADS}, else (0) {@link Setting#THREADS}. */
    public int sourceThreads() {
        return orThreads((Integer) values.get(Setting.SOURCE_THREADS));
    }

    public int targetThreads() {
        return orThreads((Integer) values.get(Setting.TARGET_THREADS));
    }

    private int orThreads(int limit) {
        return limit == 0 ? (Integer) values.get(Setting.THREADS) : limit;
    }

    public int maxDifferencesPerTable() {
        return (Integer) values.get(Setting.MAX_DIFFERENCES);
    }

    /** Rows of the smallest key range planned. */
    public long chunkRows() {
        return (Long) values.get(Setting.CHUNK_ROWS);
    }

    /** About how long one read of consecutive planned key ranges should take; zero reads each alone. */
    public Duration chunkTime() {
        return (Duration) values.get(Setting.CHUNK_TIME);
    }

    public Duration statementTimeout() {
        return (Duration) values.get(Setting.STATEMENT_TIMEOUT);
    }

    public Duration lockTimeout() {
        return (Duration) values.get(Setting.LOCK_TIMEOUT);
    }

    public String applicationName() {
        return (String) values.get(Setting.APPLICATION_NAME);
    }

    /** Attempts after the first for work that failed transiently (connection lost, cancelled). */
    public int retries() {
        return (Integer) values.get(Setting.RETRIES);
    }

    public Duration retryBackoff() {
        return (Duration) values.get(Setting.RETRY_BACKOFF);
    }

    /** How many times differences are re-read, after {@link #recheckDelay()}, before they count. */
    public int recheck() {
        return (Integer) values.get(Setting.RECHECK);
    }

    public Duration recheckDelay() {
        return (Duration) values.get(Setting.RECHECK_DELAY);
    }

    /** How long the whole run may take, or null for no limit. */
    public Duration deadline() {
        return (Duration) values.get(Setting.DEADLINE);
    }

    /** How long to wait for the target to confirm the source's WAL position, or null not to wait. */
    public Duration waitForCatchup() {
        return (Duration) values.get(Setting.WAIT_FOR_CATCHUP);
    }

    @SuppressWarnings("unchecked")
    public List<String> replicationSlots() {
        return (List<String>) values.get(Setting.SLOT);
    }

    /** Read each side from one exported snapshot. */
    public boolean snapshot() {
        return (Boolean) values.get(Setting.SNAPSHOT);
    }

    public Duration snapshotAgeWarning() {
        return (Duration) values.get(Setting.SNAPSHOT_AGE_WARNING);
    }

    /** Rows per second and side at most, 0 for no limit. */
    public long maxRowsPerSecond() {
        return (Long) values.get(Setting.MAX_ROWS_PER_SECOND);
    }

    /** Bytes of binary COPY per second and side at most, 0 for no limit. */
    public long maxBytesPerSecond() {
        return (Long) values.get(Setting.MAX_BYTES_PER_SECOND);
    }

    /** Where verified key ranges are recorded for a resumed run, or null. */
    public Path stateFile() {
        return (Path) values.get(Setting.STATE);
    }

    /** Ignore what the state file says was verified. */
    public boolean fresh() {
        return (Boolean) values.get(Setting.FRESH);
    }

    /** Verify even when source and target are the same database (a mistake unless meant). */
    public boolean allowSameDatabase() {
        return (Boolean) values.get(Setting.ALLOW_SAME_DATABASE);
    }

    /** Stream every range, or compare digests computed by the servers first. */
    public CompareMode compareMode() {
        return (CompareMode) values.get(Setting.MODE);
    }

    @Override
    public String toString() {
        return "VerificationSettings" + values;
    }
}
