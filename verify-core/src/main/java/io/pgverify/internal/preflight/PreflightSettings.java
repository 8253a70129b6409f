package io.pgverify.internal.preflight;

import java.time.Duration;

import io.pgverify.MigrationMethod;
import io.pgverify.internal.catalog.TableFilter;

/**
 * A preflight's configuration, checked by {@link io.pgverify.Preflight.Builder}.
 *
 * @param replicationUser the role replication will use, or null for the connecting role
 */
public record PreflightSettings(MigrationMethod method, TableFilter filter, boolean exactIndexSizes, long indexSampleRows,
                                Duration longTransaction, Duration statementTimeout, String replicationUser,
                                String applicationName) {
}
