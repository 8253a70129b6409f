package io.pgverify.internal.compare;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import io.pgverify.DifferenceKind;
import io.pgverify.internal.copy.BinaryCopyReader;

/**
 * Merges a source and a target stream of the same key range, both ordered by the key, in one pass on one thread:
 * a key on one side only is missing or extra, a key on both sides has its rows compared byte for byte (exactly, not
 * by hash).
 *
 * <p>Both streams must come from the same {@code SELECT} list ordered by the layout's key columns, text-like ones
 * with {@code COLLATE "C"}, with the default NULL placement ({@code NULLS LAST} ascending, {@code NULLS FIRST}
 * descending). Each stream's order is checked as it is read: a key before the previous one, or a source key equal to
 * the previous one, throws {@link RowOrderException}, because merging out-of-order input would report wrong
 * differences, or none. A target key equal to the previous one (a target without the source's unique key) is a row
 * extra on the target.
 *
 * <pre>{@code
 * RowMerger merger = RowMerger.ascending(layout);
 * try (BinaryCopyReader source = BinaryCopyReader.open(sourceCopy);
 *      BinaryCopyReader target = BinaryCopyReader.open(targetCopy)) {
 *     MergeSummary summary = merger.merge(source, target, listener);
 * }
 * }</pre>
 *
 * <p>A merger holds no state between calls and may be shared by threads.
 */
public final class RowMerger {

    /** How many rows (both sides together) pass between two progress calls. */
    public static final int PROGRESS_INTERVAL = 10_000;

    private static final int[] NO_FIELDS = new int[0];

    private final KeyLayout layout;
    /** 1 ascending, -1 descending: multiplies every key comparison, NULL placement included. */
    private final int direction;

    private RowMerger(KeyLayout layout, int direction) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.direction = direction;
    }

    /** For streams read with {@code ORDER BY key}. */
    public static RowMerger ascending(KeyLayout layout) {
        return new RowMerger(layout, 1);
    }

    /** For streams read with {@code ORDER BY key DESC}, e.g. to check the last rows of a table. */
    public static RowMerger descending(KeyLayout layout) {
        return new RowMerger(layout, -1);
    }

    public KeyLayout layout() {
        return layout;
    }

    public boolean isDescending() {
        return direction < 0;
    }

    /**
     * Reads both streams to their end and reports every difference to the listener.
     *
     * @throws RowOrderException when a stream is not in strictly increasing key order
     * @throws IOException       when a stream is malformed or the copy fails
     */
    public MergeSummary merge(BinaryCopyReader source, BinaryCopyReader target, MergeListener listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        OrderedStream s = new OrderedStream("source", source, layout, direction, null);
        // The target may lack the source's unique key (a restore that failed to build it) and hold a key twice: each
        // repeat is a row the source does not have. The source's key is unique by its index: a repeat there stops.
        OrderedStream t = new OrderedStream("target", target, layout, direction,
                () -> differ(listener, DifferenceKind.EXTRA_ON_TARGET, target));
        long matched = 0;
        long missing = 0;
        long extra = 0;
        long different = 0;
        int interval = Math.max(1, listener.progressInterval());
        int untilProgress = interval;

        boolean hasSource = s.advance();
        boolean hasTarget = t.advance();
        if (hasSource && hasTarget && source.fieldCount() != target.fieldCount()) {
            throw new IllegalStateException("source rows have " + source.fieldCount() + " fields, target rows "
                    + target.fieldCount() + ": the two queries must select the same columns");
        }
        while (hasSource && hasTarget) {
            int order = compareKeys(source, target);
            if (order < 0) {
                missing++;
                differ(listener, DifferenceKind.MISSING_ON_TARGET, source);
                hasSource = s.advance();
                untilProgress--;
            } else if (order > 0) {
                extra++;
                differ(listener, DifferenceKind.EXTRA_ON_TARGET, target);
                hasTarget = t.advance();
                untilProgress--;
            } else {
                if (sameBytes(source, target)) {
                    matched++;
                } else {
                    different++;
                    if (listener.onDifferingRow(DifferenceKind.DIFFERENT)) {
                        listener.onDifference(DifferenceKind.DIFFERENT, formatKey(source), differingFields(source, target));
                    }
                }
                hasSource = s.advance();
                hasTarget = t.advance();
                untilProgress -= 2;
            }
            if (untilProgress <= 0) {
                untilProgress = interval;
                progress(source, target, listener);
            }
        }
        // The rest of one side (rows missing or extra): progress goes on, so a rate limit holds here too.
        while (hasSource) {
            missing++;
            differ(listener, DifferenceKind.MISSING_ON_TARGET, source);
            hasSource = s.advance();
            if (--untilProgress <= 0) {
                untilProgress = interval;
                progress(source, target, listener);
            }
        }
        while (hasTarget) {
            extra++;
            differ(listener, DifferenceKind.EXTRA_ON_TARGET, target);
            hasTarget = t.advance();
            if (--untilProgress <= 0) {
                untilProgress = interval;
                progress(source, target, listener);
            }
        }
        progress(source, target, listener);
        return new MergeSummary(s.rows, t.rows, matched, missing, extra + t.repeats, different);
    }

    /** A row on one side only: its key is formatted only when the listener wants it described. */
    private void differ(MergeListener listener, DifferenceKind kind, BinaryCopyReader row) {
        if (listener.onDifferingRow(kind)) {
            listener.onDifference(kind, formatKey(row), NO_FIELDS);
        }
    }

    private static void progress(BinaryCopyReader source, BinaryCopyReader target, MergeListener listener) {
        listener.onProgress(source.rowsRead(), target.rowsRead(), source.bytesRead(), target.bytesRead());
    }

    private int compareKeys(BinaryCopyReader a, BinaryCopyReader b) {
        byte[] aBuf = a.tupleBuffer();
        byte[] bBuf = b.tupleBuffer();
        for (int i = 0; i < layout.size(); i++) {
            int field = layout.fieldIndex(i);
            int order = compareValues(layout.codec(i), aBuf, a.fieldOffset(field), a.fieldLength(field),
                    bBuf, b.fieldOffset(field), b.fieldLength(field));
            if (order != 0) {
                return direction * order;
            }
        }
        return 0;
    }

    /** NULL sorts after every value, as in PostgreSQL's default ascending order. */
    static int compareValues(KeyCodec codec, byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        if (aLen < 0 || bLen < 0) {
            return aLen < 0 ? (bLen < 0 ? 0 : 1) : -1;
        }
        return codec.compare(a, aOff, aLen, b, bOff, bLen);
    }

    private static boolean sameBytes(BinaryCopyReader a, BinaryCopyReader b) {
        int aOff = a.tupleOffset();
        int bOff = b.tupleOffset();
        return Arrays.equals(a.tupleBuffer(), aOff, aOff + a.tupleLength(), b.tupleBuffer(), bOff, bOff + b.tupleLength());
    }

    private static int[] differingFields(BinaryCopyReader a, BinaryCopyReader b) {
        int[] fields = new int[a.fieldCount()];
        int n = 0;
        for (int i = 0; i < fields.length; i++) {
            int aOff = a.fieldOffset(i);
            int bOff = b.fieldOffset(i);
            int aLen = a.fieldLength(i);
            int bLen = b.fieldLength(i);
            if (aLen != bLen || !Arrays.equals(a.tupleBuffer(), aOff, aOff + Math.max(aLen, 0),
                    b.tupleBuffer(), bOff, bOff + Math.max(bLen, 0))) {
                fields[n++] = i;
            }
        }
        return Arrays.copyOf(fields, n);
    }

    private List<String> formatKey(BinaryCopyReader reader) {
        List<String> values = new ArrayList<>(layout.size());
        for (int i = 0; i < layout.size(); i++) {
            int field = layout.fieldIndex(i);
            int length = reader.fieldLength(field);
            values.add(length < 0 ? null : layout.codec(i).format(reader.tupleBuffer(), reader.fieldOffset(field), length));
        }
        return Collections.unmodifiableList(values);
    }

    static String keyText(KeyLayout layout, List<String> values) {
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < layout.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(layout.column(i)).append('=');
            text.append(values.get(i) == null ? "NULL" : values.get(i));
        }
        return text.append(')').toString();
    }

    /**
     * One side's reader with the previous key kept in a reused buffer, so each row's key can be checked to be
     * strictly after the one before without allocating.
     */
    private static final class OrderedStream {
        private final String side;
        private final BinaryCopyReader reader;
        private final KeyLayout layout;
        private final int direction;
        private final int[] previousOffsets;
        private final int[] previousLengths;
        private final Runnable repeatedKey;
        private byte[] previous = new byte[64];
        private long rows;
        private long repeats;

        /** @param repeatedKey told of each row whose key equals the one before, which it skips; null to refuse them */
        OrderedStream(String side, BinaryCopyReader reader, KeyLayout layout, int direction, Runnable repeatedKey) {
            this.side = side;
            this.reader = Objects.requireNonNull(reader, side);
            this.layout = layout;
            this.direction = direction;
            this.repeatedKey = repeatedKey;
            this.previousOffsets = new int[layout.size()];
            this.previousLengths = new int[layout.size()];
        }

        boolean advance() throws IOException {
            while (true) {
                if (!reader.next()) {
                    return false;
                }
                if (reader.fieldCount() <= layout.maxFieldIndex()) {
                    throw new IllegalStateException(side + " rows have " + reader.fieldCount() + " fields, fewer than the key "
                            + layout + " needs");
                }
                boolean repeated = rows > 0 && !after();
                rows++;
                if (!repeated) {
                    remember();
                    return true;
                }
                repeats++;
                repeatedKey.run();
            }
        }

        /**
         * Whether the current key is strictly after the previous one; false when it equals it and repeats are
         * accepted. Anything else out of order throws.
         */
        private boolean after() {
            byte[] buf = reader.tupleBuffer();
            for (int i = 0; i < layout.size(); i++) {
                int field = layout.fieldIndex(i);
                int order = direction * compareValues(layout.codec(i), buf, reader.fieldOffset(field),
                        reader.fieldLength(field), previous, previousOffsets[i], previousLengths[i]);
                if (order > 0) {
                    return true;
                }
                if (order < 0) {
                    throw outOfOrder("is before");
                }
            }
            if (repeatedKey == null) {
                throw outOfOrder("equals");
            }
            return false;
        }

        private RowOrderException outOfOrder(String relation) {
            List<String> current = new ArrayList<>();
            List<String> before = new ArrayList<>();
            for (int i = 0; i < layout.size(); i++) {
                int field = layout.fieldIndex(i);
                int length = reader.fieldLength(field);
                KeyCodec codec = layout.codec(i);
                current.add(length < 0 ? null : codec.format(reader.tupleBuffer(), reader.fieldOffset(field), length));
                before.add(previousLengths[i] < 0 ? null : codec.format(previous, previousOffsets[i], previousLengths[i]));
            }
            String order = direction > 0 ? "ascending" : "descending";
            String cause = relation.equals("equals")
                    ? "The key is not unique on the " + side + ", so rows cannot be matched by it."
                    : "The server's ORDER BY and the key comparator disagree (a collation other than \"C\", or a type"
                            + " compared with the wrong codec).";
            return new RowOrderException("Rows from the " + side + " are not in strictly " + order + " key order: row "
                    + (rows + 1) + " has key " + keyText(layout, current) + ", which " + relation + " the previous key "
                    + keyText(layout, before) + ". " + cause + " The comparison stops rather than give a wrong result.");
        }

        private void remember() {
            byte[] buf = reader.tupleBuffer();
            int used = 0;
            for (int i = 0; i < layout.size(); i++) {
                int field = layout.fieldIndex(i);
                int length = reader.fieldLength(field);
                previousOffsets[i] = used;
                previousLengths[i] = length;
                if (length > 0) {
                    if (used + length > previous.length) {
                        previous = Arrays.copyOf(previous, Math.max(2 * previous.length, used + length));
                    }
                    System.arraycopy(buf, reader.fieldOffset(field), previous, used, length);
                    used += length;
                }
            }
        }
    }
}
