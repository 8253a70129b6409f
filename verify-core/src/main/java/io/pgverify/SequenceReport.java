package io.pgverify;

import java.util.List;
import java.util.Objects;

/**
 * What was found for one sequence.
 *
 * @param schema           the sequence's schema
 * @param name             the sequence's name
 * @param ownedBy          the {@code schema.table.column} the sequence feeds, or empty
 * @param sourceNextValue  the value the source would hand out next, or null when not read
 * @param targetNextValue  the value the target would hand out next, or null when missing or not read
 * @param targetColumnMax  max() of the owning column on the target, or null when none or not read
 * @param outcome          the verdict
 * @param differences      what is wrong, if anything
 * @param message          why the outcome is incomplete, a note on how it was decided (a source read on a hot
 *                         standby), or empty
 */
public record SequenceReport(String schema, String name, String ownedBy, Long sourceNextValue, Long targetNextValue,
                             Long targetColumnMax, Outcome outcome, List<Difference> differences, String message) {

    public SequenceReport {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
        ownedBy = ownedBy == null ? "" : ownedBy;
        differences = differences == null ? List.of() : List.copyOf(differences);
        message = message == null ? "" : message;
    }

    public String qualifiedName() {
        return QualifiedNames.display(schema, name);
    }
}
