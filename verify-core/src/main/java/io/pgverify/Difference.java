package io.pgverify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One difference between source and target. Row differences carry the row's key (column name to its text form)
 * and, for {@link DifferenceKind#DIFFERENT}, the names of the columns that differ. Values other than keys are never
 * included: reports travel further than the data should.
 *
 * @param kind    what differs
 * @param key     the key of the row, column name to value as text, in key order; empty when not about one row
 * @param columns the columns concerned (differing columns, or the missing column); may be empty
 * @param detail  one human sentence, e.g. {@code "source 1000, target 999"}
 */
public record Difference(DifferenceKind kind, Map<String, String> key, List<String> columns, String detail) {

    public Difference {
        Objects.requireNonNull(kind, "kind");
        key = key == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(key));
        columns = columns == null ? List.of() : List.copyOf(columns);
        detail = detail == null ? "" : detail;
    }

    public static Difference of(DifferenceKind kind, String detail) {
        return new Difference(kind, Map.of(), List.of(), detail);
    }

    /** The key as {@code (a=1, b=x)}, or empty when the difference is not about one row. */
    public String keyText() {
        if (key.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("(");
        key.forEach((column, value) -> {
            if (text.length() > 1) {
                text.append(", ");
            }
            text.append(column).append('=').append(value == null ? "NULL" : value);
        });
        return text.append(')').toString();
    }
}
