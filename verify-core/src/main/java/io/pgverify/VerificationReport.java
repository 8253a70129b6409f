package io.pgverify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The immutable result of {@link Verifier#verify()}.
 *
 * <pre>{@code
 * VerificationReport report = verifier.verify();
 * if (report.outcome() != Outcome.MATCH) {
 *     report.tables().stream()
 *           .filter(t -> t.outcome() != Outcome.MATCH)
 *           .forEach(t -> System.out.println(t.qualifiedName() + ": " + t.outcome()));
 * }
 * }</pre>
 *
 * @param source        the source server
 * @param target        the target server
 * @param checks        the checks that were asked for
 * @param tables        one report per table selected on the source, sorted by schema and name
 * @param sequences     one report per sequence selected on the source, when sequences were checked
 * @param extraTables   tables selected on the target that the source does not have (a note, not a difference)
 * @param warnings      things a person should know that do not change the verdict
 * @param startedAt     when the verification started
 * @param duration      how long it took
 * @param replication   the replication lag measured before comparing, or null when not measured
 * @param interrupted   true when the verification was stopped before it finished: what is missing is incomplete
 */
public record VerificationReport(ServerInfo source, ServerInfo target, Set<CheckKind> checks, List<TableReport> tables,
                                 List<SequenceReport> sequences, List<String> extraTables, List<String> warnings,
                                 Instant startedAt, Duration duration, ReplicationLag replication, boolean interrupted) {

    public VerificationReport(ServerInfo source, ServerInfo target, Set<CheckKind> checks, List<TableReport> tables,
                              List<SequenceReport> sequences, List<String> extraTables, List<String> warnings,
                              Instant startedAt, Duration duration) {
        this(source, target, checks, tables, sequences, extraTables, warnings, startedAt, duration, null, false);
    }

    public VerificationReport {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        checks = checks == null ? Set.of() : Set.copyOf(checks);
        tables = tables == null ? List.of() : List.copyOf(tables);
        sequences = sequences == null ? List.of() : List.copyOf(sequences);
        extraTables = extraTables == null ? List.of() : List.copyOf(extraTables);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
    }

    /**
     * The overall verdict: {@link Outcome#MISMATCH} when any difference was found, else {@link Outcome#INCOMPLETE}
     * when anything could not be read or compared, else {@link Outcome#MATCH}. A verification that selected nothing
     * to compare is incomplete: an empty comparison proves nothing.
     */
    public Outcome outcome() {
        Outcome outcome = Outcome.SKIPPED;
        for (TableReport table : tables) {
            outcome = outcome.and(table.outcome());
        }
        for (SequenceReport sequence : sequences) {
            outcome = outcome.and(sequence.outcome());
        }
        if (interrupted && outcome != Outcome.MISMATCH) {
            return Outcome.INCOMPLETE;
        }
        return outcome == Outcome.SKIPPED ? Outcome.INCOMPLETE : outcome;
    }

    /** Differences found over all tables and sequences, counting those beyond the per-table cap. */
    public long differenceCount() {
        long count = 0;
        for (TableReport table : tables) {
            for (CheckResult check : table.checks()) {
                count += check.differenceCount();
            }
        }
        for (SequenceReport sequence : sequences) {
            count += sequence.differences().size();
        }
        return count;
    }

    /** Differences that went away when rechecked (rows in flight), over all tables. */
    public long resolvedByRecheck() {
        long count = 0;
        for (TableReport table : tables) {
            for (CheckResult check : table.checks()) {
                count += check.resolvedByRecheck();
            }
        }
        return count;
    }

    /** Rows compared over all tables, on the source side. */
    public long rowsCompared() {
        long rows = 0;
        for (TableReport table : tables) {
            rows += table.rowsCompared();
        }
        return rows;
    }

    /**
     * A few lines of plain text: the verdict with its counts, then the first differences (table, check, kind and key),
     * what could not be compared and why, and the warnings. For a log line or a test's failure message:
     * {@code assertThat(report.matches()).as(report.summary()).isTrue()}.
     */
    public String summary() {
        return ReportSummary.of(this, 10);
    }

    /** True when the target holds the same data as the source, as far as the checks asked for can tell. */
    public boolean matches() {
        return outcome() == Outcome.MATCH;
    }
}
