package io.pgverify;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What was found for one table.
 *
 * @param schema      the table's schema
 * @param name        the table's name
 * @param keyColumns  the columns rows are identified by (primary key, or a unique not-null index); empty when none
 * @param sourceRows  exact row count on the source, or null when not counted
 * @param targetRows  exact row count on the target, or null when not counted
 * @param checks      one result per check run, in the order of {@link CheckKind}
 */
public record TableReport(String schema, String name, List<String> keyColumns, Long sourceRows, Long targetRows,
                          List<CheckResult> checks) {

    public TableReport {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        keyColumns = keyColumns == null ? List.of() : List.copyOf(keyColumns);
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** {@code schema.name}, each part quoted only where SQL would need it. */
    public String qualifiedName() {
        return QualifiedNames.display(schema, name);
    }

    public Outcome outcome() {
        Outcome outcome = Outcome.SKIPPED;
        for (CheckResult check : checks) {
            outcome = outcome.and(check.outcome());
        }
        return outcome;
    }

    public Optional<CheckResult> check(CheckKind kind) {
        return checks.stream().filter(c -> c.kind() == kind).findFirst();
    }

    /** Rows compared by the most thorough row check that ran. */
    public long rowsCompared() {
        long rows = 0;
        for (CheckResult check : checks) {
            rows = Math.max(rows, check.rowsCompared());
        }
        return rows;
    }
}
