package io.pgverify.internal.run;

import java.time.Duration;
import java.util.Set;

import io.pgverify.CheckKind;
import io.pgverify.ProgressListener;
import io.pgverify.internal.catalog.TableFilter;

/** The validated, immutable settings of a verifier. */
public record VerificationSettings(TableFilter filter, Set<CheckKind> checks, int lastRows, int threads,
                                   int maxDifferencesPerTable, long chunkRows, Duration statementTimeout,
                                   Duration lockTimeout, String applicationName, ProgressListener progressListener) {

    public VerificationSettings {
        checks = Set.copyOf(checks);
    }
}
