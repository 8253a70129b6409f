package io.pgverify.internal.preflight;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import io.pgverify.ErrorCode;
import io.pgverify.PreflightReport;
import io.pgverify.ServerInfo;
import io.pgverify.VerifyException;
import io.pgverify.internal.jdbc.Session;
import io.pgverify.internal.jdbc.SessionSettings;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.jdbc.SqlErrors;

/**
 * Runs the preflight's checks one after another, each in its own short read-only transaction on each side, so that one
 * check's failure (a catalog the role may not read, a timeout) aborts only that check, which is then reported as not
 * checked. Only a side that cannot be reached at all stops the run.
 */
public final class PreflightRun {

    /** Whether a check reads the target. */
    private enum TargetUse { NONE, IF_GIVEN, REQUIRED }

    /** One check: the finding codes it answers for (all marked not checked when it fails) and its body. */
    private record Check(List<String> codes, TargetUse target, Body body) {
        Check(List<String> codes, boolean needsTarget, Body body) {
            this(codes, needsTarget ? TargetUse.REQUIRED : TargetUse.NONE, body);
        }

        boolean needsTarget() {
            return target == TargetUse.REQUIRED;
        }
    }

    @FunctionalInterface
    private interface Body {
        void run(Probe probe) throws SQLException;
    }

    private static final List<Check> CHECKS = List.of(
            new Check(List.of(TableChecks.NO_REPLICA_IDENTITY, TableChecks.REPLICA_IDENTITY_FULL), false, TableChecks::replicaIdentity),
            new Check(List.of(TableChecks.DEFERRABLE), false, TableChecks::deferrableConstraints),
            new Check(List.of(TableChecks.SEQUENCES), false, TableChecks::sequences),
            new Check(List.of(TableChecks.UNLOGGED), false, TableChecks::unloggedTables),
            new Check(List.of(TableChecks.LARGE_OBJECTS), false, TableChecks::largeObjects),
            new Check(List.of(TableChecks.NOT_REPLICATED), false, TableChecks::objectsNotReplicated),
            new Check(List.of(SourceReadiness.WAL_LEVEL, SourceReadiness.SLOTS, SourceReadiness.SENDERS), false,
                    SourceReadiness::capacity),
            new Check(List.of(SourceReadiness.ROLE), false, SourceReadiness::replicationRole),
            new Check(List.of(SourceReadiness.PUBLICATIONS), false, SourceReadiness::publications),
            new Check(List.of(SourceReadiness.PGLOGICAL), false, SourceReadiness::pglogical),
            new Check(List.of(IndexSizeCheck.CODE), TargetUse.IF_GIVEN, IndexSizeCheck::run),
            new Check(List.of(TypeOids.CODE), TargetUse.IF_GIVEN, TypeOids::run),
            new Check(List.of(Passwords.CODE), TargetUse.IF_GIVEN, Passwords::run),
            new Check(List.of(TargetComparison.EXTENSION_MISSING, TargetComparison.EXTENSION_VERSION), true,
                    TargetComparison::extensions),
            new Check(List.of(TargetComparison.SETTING), true, TargetComparison::settings),
            new Check(List.of(TargetComparison.COLLATION_VERSION, TargetComparison.COLLATION_MISSING), true,
                    TargetComparison::collations),
            new Check(List.of(Horizon.XMIN), false, Horizon::xmin),
            new Check(List.of(Horizon.DEAD_ROWS), false, Horizon::deadRows));

    private final PreflightSettings settings;
    private final DataSource source;
    private final DataSource target;
    private final SessionSettings sessionSettings;

    public PreflightRun(PreflightSettings settings, DataSource source, DataSource target) {
        this.settings = settings;
        this.source = source;
        this.target = target;
        // Catalog reads wait for no one: a lock held by a migration's DDL makes the check not checked, not stuck.
        this.sessionSettings = SessionSettings.of(settings.applicationName(), settings.statementTimeout(), Duration.ofSeconds(5));
    }

    /** Every finding code, in the order the checks run. */
    public static List<String> codes() {
        java.util.LinkedHashSet<String> codes = new java.util.LinkedHashSet<>();
        CHECKS.forEach(check -> codes.addAll(check.codes()));
        return List.copyOf(codes);
    }

    public PreflightReport run() {
        ServerInfo sourceInfo = serverInfo(Side.SOURCE, source);
        ServerInfo targetInfo = target == null ? null : serverInfo(Side.TARGET, target);
        Findings findings = new Findings();
        for (Check check : CHECKS) {
            if (Thread.currentThread().isInterrupted()) {
                throw new VerifyException(ErrorCode.INTERRUPTED, "The preflight was interrupted.");
            }
            if (check.needsTarget() && target == null) {
                check.codes().forEach(code -> findings.skipped(code, "needs a target: give --target to compare with it"));
                continue;
            }
            run(check, sourceInfo, targetInfo, findings);
        }
        return new PreflightReport(sourceInfo, targetInfo, settings.method(), findings.findings(), findings.notChecked(),
                findings.skipped());
    }

    private void run(Check check, ServerInfo sourceInfo, ServerInfo targetInfo, Findings findings) {
        Side side = Side.SOURCE;
        try (Session sourceSession = Session.open(Side.SOURCE, source, sessionSettings)) {
            Session targetSession = null;
            try {
                if (check.target() != TargetUse.NONE && target != null) {
                    side = Side.TARGET;
                    targetSession = Session.open(Side.TARGET, target, sessionSettings);
                }
                side = Side.SOURCE;
                check.body().run(new Probe(sourceSession.connection(), targetSession == null ? null : targetSession.connection(),
                        sourceInfo.versionNumber(), targetInfo == null ? 0 : targetInfo.versionNumber(), settings, findings));
            } finally {
                if (targetSession != null) {
                    targetSession.close();
                }
            }
        } catch (SQLException e) {
            ErrorCode code = SqlErrors.classify(e);
            if (code == ErrorCode.CONNECTION_FAILED || code == ErrorCode.AUTHENTICATION_FAILED
                    || code == ErrorCode.DATABASE_NOT_FOUND) {
                throw SqlErrors.toException(side.label(), e);
            }
            // The failing query may have been on either side; the driver's sentence says which object it concerns.
            String reason = (code == ErrorCode.PERMISSION_DENIED ? "the connecting role may not read what this check needs: "
                    : code == ErrorCode.TIMEOUT ? "the check's query timed out: " : "the check failed: ")
                    + SqlErrors.describe("query", e);
            check.codes().forEach(c -> findings.notChecked(c, reason));
        }
    }

    private ServerInfo serverInfo(Side side, DataSource dataSource) {
        try (Session session = Session.open(side, dataSource, sessionSettings);
             Statement statement = session.connection().createStatement();
             ResultSet rs = statement.executeQuery(
                     "SELECT current_setting('server_version'), current_setting('server_version_num')::int, current_database()")) {
            rs.next();
            return new ServerInfo(rs.getString(1), rs.getInt(2), rs.getString(3), session.endpoint());
        } catch (SQLException e) {
            throw SqlErrors.toException(side.label(), e);
        }
    }
}
