package io.pgverify.internal.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which fields of a COPY tuple form the row's key, in ORDER BY order, with the codec that orders each and the column
 * name reports show it under.
 *
 * <pre>{@code
 * KeyLayout key = KeyLayout.builder()
 *         .key("tenant", 0, KeyCodec.forType("int4"))
 *         .key("id", 1, KeyCodec.forType("uuid"))
 *         .build();
 * }</pre>
 */
public final class KeyLayout {

    private final String[] columns;
    private final int[] fieldIndexes;
    private final KeyCodec[] codecs;
    private final int maxFieldIndex;

    private KeyLayout(String[] columns, int[] fieldIndexes, KeyCodec[] codecs) {
        this.columns = columns;
        this.fieldIndexes = fieldIndexes;
        this.codecs = codecs;
        int max = -1;
        for (int index : fieldIndexes) {
            max = Math.max(max, index);
        }
        this.maxFieldIndex = max;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The number of key columns. */
    public int size() {
        return columns.length;
    }

    public String column(int i) {
        return columns[i];
    }

    /** Where key column {@code i} is among the tuple's fields. */
    public int fieldIndex(int i) {
        return fieldIndexes[i];
    }

    public KeyCodec codec(int i) {
        return codecs[i];
    }

    public List<String> columns() {
        return List.of(columns);
    }

    int maxFieldIndex() {
        return maxFieldIndex;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("KeyLayout[");
        for (int i = 0; i < columns.length; i++) {
            text.append(i == 0 ? "" : ", ").append(columns[i]).append('#').append(fieldIndexes[i]).append(' ')
                    .append(codecs[i].typeName());
        }
        return text.append(']').toString();
    }

    public static final class Builder {
        private final List<String> columns = new ArrayList<>();
        private final List<Integer> fieldIndexes = new ArrayList<>();
        private final List<KeyCodec> codecs = new ArrayList<>();

        private Builder() {
        }

        /** Adds the next key column: its name, its position among the selected fields, its codec. */
        public Builder key(String column, int fieldIndex, KeyCodec codec) {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(codec, () -> "codec of key column " + column);
            if (fieldIndex < 0) {
                throw new IllegalArgumentException("field index of key column " + column + " is negative: " + fieldIndex);
            }
            if (fieldIndexes.contains(fieldIndex)) {
                throw new IllegalArgumentException("field " + fieldIndex + " is already a key column");
            }
            columns.add(column);
            fieldIndexes.add(fieldIndex);
            codecs.add(codec);
            return this;
        }

        public KeyLayout build() {
            if (columns.isEmpty()) {
                throw new IllegalStateException("a key needs at least one column; tables without a key use MultisetDigest");
            }
            return new KeyLayout(columns.toArray(new String[0]),
                    fieldIndexes.stream().mapToInt(Integer::intValue).toArray(),
                    codecs.toArray(new KeyCodec[0]));
        }
    }
}
