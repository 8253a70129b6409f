package io.pgverify;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Preflight} found. Immutable.
 *
 * <p>A check that could not be carried out (the connecting role may not read a catalog, a query failed or timed out)
 * is listed in {@link #notChecked()}, never silently counted as clean: a report with entries there is not a clean
 * bill of health, whatever its findings say. Checks that need a target and were run without one are listed in
 * {@link #skipped()}.
 *
 * @param source     the source server
 * @param target     the target server, or null when none was given
 * @param method     the migration method the findings were judged for
 * @param findings   the findings, blockers first
 * @param notChecked what could not be checked, and why
 * @param skipped    checks not run because they do not apply (no target given), and why
 */
public record PreflightReport(ServerInfo source, ServerInfo target, MigrationMethod method,
                              List<PreflightFinding> findings, List<NotChecked> notChecked, List<NotChecked> skipped) {

    /**
     * A check the preflight could not run, or did not run.
     *
     * @param check  the finding code the check would have produced, e.g. {@code md5_passwords}
     * @param reason why, and what would let it run (a privilege, a target)
     */
    public record NotChecked(String check, String reason) {
        public NotChecked {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public PreflightReport {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(method, "method");
        findings = List.copyOf(findings);
        notChecked = List.copyOf(notChecked);
        skipped = List.copyOf(skipped);
    }

    /** How many findings have this severity. */
    public long count(PreflightFinding.Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }

    /** True when at least one finding is a {@link PreflightFinding.Severity#BLOCKER}. */
    public boolean hasBlockers() {
        return count(PreflightFinding.Severity.BLOCKER) > 0;
    }

    /** True when every check that applies was carried out: nothing in {@link #notChecked()}. */
    public boolean complete() {
        return notChecked.isEmpty();
    }

    /** The findings with this code (empty when there are none). */
    public List<PreflightFinding> findings(String code) {
        return findings.stream().filter(f -> f.code().equals(code)).toList();
    }
}
