package io.pgverify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.pgverify.internal.catalog.TableFilter;
import io.pgverify.internal.jdbc.ConnectionPools;
import io.pgverify.internal.preflight.PreflightRun;
import io.pgverify.internal.preflight.PreflightSettings;

/**
 * Reads the catalogs of a source (and, optionally, a target) before a migration and reports what will break it: tables
 * logical replication cannot update, deferrable keys, sequences and large objects no replication carries, index
 * entries too large for the target's btree, user types whose OIDs will change, md5 passwords facing a SCRAM-only
 * target, missing extensions, differing settings and collation versions, and what holds back vacuum on the source.
 *
 * <pre>{@code
 * try (Preflight preflight = Preflight.builder()
 *         .source(ConnectionSettings.parse(System.getenv("SOURCE_URL")))
 *         .target(ConnectionSettings.parse(System.getenv("TARGET_URL")))
 *         .method(MigrationMethod.LOGICAL)
 *         .build()) {
 *     PreflightReport report = preflight.run();
 *     report.findings().forEach(f -> System.out.println(f.severity() + " " + f.code() + " " + f.objects()));
 *     if (report.hasBlockers() || !report.complete()) {
 *         throw new IllegalStateException("Not ready to migrate");
 *     }
 * }
 * }</pre>
 *
 * <p>Every query is a read of the catalogs or statistics, or a bounded sample, in a read-only transaction with a
 * statement timeout, under {@code application_name} {@value Verifier#DEFAULT_APPLICATION_NAME}. What the connecting role
 * may not read is reported as not checked, never as clean.
 */
public final class Preflight implements AutoCloseable {

    public static final long DEFAULT_INDEX_SAMPLE_ROWS = 10_000;
    public static final Duration DEFAULT_LONG_TRANSACTION = Duration.ofMinutes(5);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofMinutes(2);

    private final PreflightSettings settings;
    private final DataSource source;
    private final DataSource target;
    private final List<AutoCloseable> owned;

    private Preflight(PreflightSettings settings, DataSource source, DataSource target, List<AutoCloseable> owned) {
        this.settings = settings;
        this.source = source;
        this.target = target;
        this.owned = owned;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every finding code the preflight can report, in the order the checks run: stable, documented in docs/preflight.md. */
    public static List<String> findingCodes() {
        return PreflightRun.codes();
    }

    /**
     * Runs every check that applies to the method and returns the findings. Throws only when a side cannot be reached
     * at all; a check that fails is reported as not checked.
     *
     * @throws VerifyException when a side cannot be reached or read
     */
    public PreflightReport run() {
        return new PreflightRun(settings, source, target).run();
    }

    /** Closes the connection pools this preflight created; data sources handed in stay open. */
    @Override
    public void close() {
        OwnedResources.closeAll(owned);
    }

    /** Configures a {@link Preflight}; {@link #build()} checks every setting. */
    public static final class Builder {
        private DataSource sourceDataSource;
        private DataSource targetDataSource;
        private ConnectionSettings sourceSettings;
        private ConnectionSettings targetSettings;
        private MigrationMethod method = MigrationMethod.DUMP_RESTORE;
        private final List<String> includes = new ArrayList<>();
        private final List<String> excludes = new ArrayList<>();
        private boolean exactIndexSizes;
        private long indexSampleRows = DEFAULT_INDEX_SAMPLE_ROWS;
        private Duration longTransaction = DEFAULT_LONG_TRANSACTION;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private String replicationUser;
        private String applicationName = Verifier.DEFAULT_APPLICATION_NAME;

        private Builder() {
        }

        /** The source as a data source the caller owns and closes. */
        public Builder source(DataSource dataSource) {
            this.sourceDataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.sourceSettings = null;
            return this;
        }

        /** The source by connection settings: the preflight creates and closes a small pool for it. */
        public Builder source(ConnectionSettings settings) {
            this.sourceSettings = Objects.requireNonNull(settings, "settings");
            this.sourceDataSource = null;
            return this;
        }

        /** The target (optional): extensions, settings, collations and type OIDs are compared only with one. */
        public Builder target(DataSource dataSource) {
            this.targetDataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.targetSettings = null;
            return this;
        }

        /** The target by connection settings (optional). */
        public Builder target(ConnectionSettings settings) {
            this.targetSettings = Objects.requireNonNull(settings, "settings");
            this.targetDataSource = null;
            return this;
        }

        /** How the data will be moved (default {@link MigrationMethod#DUMP_RESTORE}). */
        public Builder method(MigrationMethod method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /** Checks only tables matching these {@code schema.table} patterns, as {@link Verifier.Builder#include}. */
        public Builder include(String... patterns) {
            includes.addAll(Arrays.asList(patterns));
            return this;
        }

        /** Leaves out tables matching these patterns, as {@link Verifier.Builder#exclude}. */
        public Builder exclude(String... patterns) {
            excludes.addAll(Arrays.asList(patterns));
            return this;
        }

        /**
         * Reads every row of every btree index's table for the index-entry size check instead of a bounded sample.
         * Exact, and as expensive as a full scan of those tables: for a maintenance window, not for production hours.
         */
        public Builder exactIndexSizes(boolean exact) {
            this.exactIndexSizes = exact;
            return this;
        }

        /** At most this many rows sampled per index for the index-entry size check (default 10,000). */
        public Builder indexSampleRows(long rows) {
            this.indexSampleRows = rows;
            return this;
        }

        /** A transaction open longer than this on the source is reported as holding back vacuum (default 5 minutes). */
        public Builder longTransaction(Duration age) {
            this.longTransaction = Objects.requireNonNull(age, "age");
            return this;
        }

        /** The longest any one query may run (default 2 minutes); a check whose query times out is not checked. */
        public Builder statementTimeout(Duration timeout) {
            this.statementTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The role the replication will connect as, for the privilege checks of the logical methods (default: the
         * role this preflight connects as).
         */
        public Builder replicationUser(String role) {
            this.replicationUser = Objects.requireNonNull(role, "role");
            return this;
        }

        /** The {@code application_name} DBAs see in {@code pg_stat_activity} (default {@value Verifier#DEFAULT_APPLICATION_NAME}). */
        public Builder applicationName(String name) {
            this.applicationName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Checks the configuration and creates the preflight (and its connection pools, which connect lazily).
         *
         * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION} naming the first wrong setting
         */
        public Preflight build() {
            if (sourceDataSource == null && sourceSettings == null) {
                throw invalid("No source given: call source(...) with connection settings or a DataSource.");
            }
            if (indexSampleRows < 100 || indexSampleRows > 100_000_000) {
                throw invalid("indexSampleRows must be between 100 and 100000000, not " + indexSampleRows + ".");
            }
            if (longTransaction.isNegative() || statementTimeout.isNegative()) {
                throw invalid("Durations must not be negative.");
            }
            TableFilter filter = TableFilter.of(includes, excludes);
            PreflightSettings settings = new PreflightSettings(method, filter, exactIndexSizes, indexSampleRows,
                    longTransaction, statementTimeout, replicationUser, applicationName);
            List<AutoCloseable> owned = new ArrayList<>();
            // Checks run one after another: one connection a side is all they need.
            DataSource source = sourceDataSource != null ? sourceDataSource
                    : own(owned, ConnectionPools.create(sourceSettings, "source", 1, applicationName));
            DataSource target = targetDataSource;
            if (target == null && targetSettings != null) {
                target = own(owned, ConnectionPools.create(targetSettings, "target", 1, applicationName));
            }
            return new Preflight(settings, source, target, List.copyOf(owned));
        }

        private static HikariDataSource own(List<AutoCloseable> owned, HikariDataSource dataSource) {
            owned.add(dataSource);
            return dataSource;
        }

        private static VerifyException invalid(String message) {
            return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
        }
    }
}
