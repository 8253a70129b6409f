package io.pgverify.internal.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.Outcome;
import io.pgverify.internal.catalog.ColumnInfo;
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
        for (ColumnInfo column : source.columns()) {
            ColumnInfo other = target.column(column.name()).orElse(null);
            if (other == null) {
                differences.add(new Difference(DifferenceKind.MISSING_COLUMN, Map.of(), List.of(column.name()),
                        "column " + column.name() + " (" + column.typeDisplay() + ") does not exist on the target"));
            } else if (!other.typeDisplay().equals(column.typeDisplay())) {
                differences.add(new Difference(DifferenceKind.TYPE_MISMATCH, Map.of(), List.of(column.name()),
                        "column " + column.name() + " is " + column.typeDisplay() + " on the source but "
                                + other.typeDisplay() + " on the target"));
            }
        }
        if (!source.keyColumns().isEmpty() && !hasKeyOn(target, source.keyColumns())) {
            differences.add(new Difference(DifferenceKind.MISSING_KEY, Map.of(), source.keyColumns(),
                    "the source's " + source.keySource() + " on (" + String.join(", ", source.keyColumns())
                            + ") has no primary key or unique index counterpart on the target"));
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

    /** A key on the target with the same columns, in any order: any unique index on them keeps rows unique. */
    private static boolean hasKeyOn(TableInfo target, List<String> columns) {
        return !target.keyColumns().isEmpty()
                && target.keyColumns().size() == columns.size()
                && target.keyColumns().containsAll(columns);
    }
}
