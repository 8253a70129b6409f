package io.pgverify.internal.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.Outcome;
import io.pgverify.internal.catalog.ColumnInfo;
import io.pgverify.internal.catalog.SchemaObject;
import io.pgverify.internal.catalog.TableInfo;

/** Compares one table's definition on both sides, from the catalogs already read. */
public final class SchemaCheck {

    private SchemaCheck() {
    }

    /** The result for a table the target does not have. */
    public static CheckResult missingTable(TableInfo source) {
        Difference missing = new Difference(DifferenceKind.MISSING_TABLE, Map.of(), List.of(),
                "table " + source.qualifiedKey() + " does not exist on the target");
        return new CheckResult(CheckKind.SCHEMA, Outcome.MISMATCH, List.of(missing), 1, 0, "", Duration.ZERO);
    }

    public static CheckResult compare(TableInfo source, TableInfo target) {
        List<Difference> differences = new ArrayList<>();
        boolean keyMissing = !source.keyColumns().isEmpty() && !hasKeyOn(target, source.keyColumns());
        for (ColumnInfo column : source.columns()) {
            ColumnInfo other = target.column(column.name()).orElse(null);
            if (other == null) {
                differences.add(new Difference(DifferenceKind.MISSING_COLUMN, Map.of(), List.of(column.name()),
                        "column " + column.name() + " (" + column.typeDisplay() + ") does not exist on the target"));
            } else if (!other.typeDisplay().equals(column.typeDisplay())) {
                differences.add(new Difference(DifferenceKind.TYPE_MISMATCH, Map.of(), List.of(column.name()),
                        "column " + column.name() + " is " + column.typeDisplay() + " on the source but "
                                + other.typeDisplay() + " on the target"));
            } else if (column.notNull() && !other.notNull() && !(keyMissing && source.keyColumns().contains(column.name()))) {
                // A key column's lost NOT NULL goes with the missing key, said once below.
                differences.add(new Difference(DifferenceKind.NOT_NULL_MISSING, Map.of(), List.of(column.name()),
                        "column " + column.name() + " is NOT NULL on the source but accepts NULL on the target"));
            }
        }
        if (keyMissing) {
            differences.add(new Difference(DifferenceKind.MISSING_KEY, Map.of(), source.keyColumns(),
                    "the source's " + source.keySource() + " on (" + String.join(", ", source.keyColumns())
                            + ") has no primary key or unique index counterpart on the target"));
        }
        for (SchemaObject object : source.objects()) {
            if (keyMissing && object.definition().startsWith("PRIMARY KEY")) {
                continue; // said once, as the missing key
            }
            compareObject(object, target).ifPresent(differences::add);
        }
        List<String> notes = new ArrayList<>();
        for (ColumnInfo column : target.columns()) {
            if (source.column(column.name()).isEmpty()) {
                notes.add(column.name());
            }
        }
        String message = notes.isEmpty() ? "" : "the target has columns the source does not: " + String.join(", ", notes);
        Outcome outcome = differences.isEmpty() ? Outcome.MATCH : Outcome.MISMATCH;
        return new CheckResult(CheckKind.SCHEMA, outcome, differences, differences.size(), 0, message, Duration.ZERO);
    }

    /**
     * An index or constraint is there when the target has one of the same name and definition, or, since names are
     * not always carried over (a schema created by another tool), one of the same definition under another name.
     */
    private static Optional<Difference> compareObject(SchemaObject object, TableInfo target) {
        String what = object.kind().label() + " " + object.name();
        SchemaObject sameName = target.objects().stream()
                .filter(o -> o.kind() == object.kind() && o.name().equals(object.name())).findFirst().orElse(null);
        SchemaObject counterpart = sameName != null && sameName.definition().equals(object.definition()) ? sameName
                : target.objects().stream().filter(o -> o.kind() == object.kind() && o.definition().equals(object.definition()))
                        .findFirst().orElse(null);
        DifferenceKind missing = object.kind() == SchemaObject.Kind.INDEX ? DifferenceKind.MISSING_INDEX
                : DifferenceKind.MISSING_CONSTRAINT;
        if (counterpart != null) {
            return counterpart.valid() || !object.valid() ? Optional.empty() : Optional.of(new Difference(missing, Map.of(),
                    List.of(), what + " is invalid on the target (a failed concurrent build?): " + object.definition()));
        }
        if (sameName != null) {
            return Optional.of(new Difference(DifferenceKind.DEFINITION_MISMATCH, Map.of(), List.of(), what
                    + " is " + object.definition() + " on the source but " + sameName.definition() + " on the target"));
        }
        return Optional.of(new Difference(missing, Map.of(), List.of(), what + " does not exist on the target: "
                + object.definition()));
    }

    /** A key on the target with the same columns, in any order: any unique index on them keeps rows unique. */
    private static boolean hasKeyOn(TableInfo target, List<String> columns) {
        return !target.keyColumns().isEmpty()
                && target.keyColumns().size() == columns.size()
                && target.keyColumns().containsAll(columns);
    }
}
