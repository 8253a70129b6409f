package io.pgverify.internal.plan;

import java.util.ArrayList;
import java.util.List;

import io.pgverify.internal.catalog.CatalogReader;
import io.pgverify.internal.catalog.ColumnInfo;
import io.pgverify.internal.catalog.PgType;
import io.pgverify.internal.catalog.TableInfo;
import io.pgverify.internal.compare.KeyCodec;
import io.pgverify.internal.compare.KeyLayout;
import io.pgverify.internal.sql.ColumnSql;
import io.pgverify.internal.sql.Sql;
import io.pgverify.internal.sql.TableSql;

/**
 * How one table is read on both sides: the columns both sides have with the same type, each read in a form that is
 * the same on both servers, and the key order, which must be the same order on both sides and the one the Java
 * comparators follow. Everything here is derived from both catalogs, so the SQL sent to the two sides is identical.
 *
 * <h2>Large values</h2>
 * pgjdbc hands over each COPY message as one array, and binary COPY sends one message per row: a 200 MB value is a
 * 200 MB array before any of our code sees a byte, and no pgjdbc API reads a message in pieces ({@code CopyOut}, and
 * {@code CopyManager.copyOut(sql, OutputStream)}, which loops over it, both take whole messages). So a large value
 * must never be sent. Every column whose values can be large (any variable-length type but the few that are bounded:
 * numeric, a {@code varchar(n)} or {@code char(n)} small enough) is read as two fields:
 * <ul>
 *   <li>in its place, the value as before, or NULL when it is larger than {@link #LARGE_VALUE_BYTES};</li>
 *   <li>appended after all columns, NULL, or for such a large value the SHA-256, computed by the server, of exactly
 *       the bytes binary COPY would have sent (its type's send function, in the session's client encoding).</li>
 * </ul>
 * A genuine NULL is NULL in both fields, a small value has no digest and a large one no value, so a digest never
 * compares equal to a value. Rows are then compared, hashed and bucketed byte for byte as before, and a row never
 * carries more than about 1 MiB per such column. A difference in a large value still names its row's key and the
 * column, without the value (reports never carry values anyway).
 *
 * <p>Both sides must decide identically for identical values, or a value digested on one side only would differ.
 * The decision is therefore made on the uncompressed size, never on {@code pg_column_size()} (the stored size, which
 * depends on the server's version and compression settings): {@code octet_length()} for bytea and the string types
 * (free: it reads the size from the value's header without detoasting it), and for every other type the size of its
 * send form. To spare computing a send form twice for every small value, values stored in at most
 * a 512th of that size are taken as small without it: compression shrinks text by at most about 255:1 (lz4;
 * pglz less), far from the 512:1 that would make such a value large. Left over, and never a false match: the string
 * types' size is counted in the server encoding, so between servers of different encodings a non-ASCII value within a
 * few bytes of the threshold could be digested on one side only and be reported as different; and a type whose send
 * form can be far larger than its stored form (a jsonb full of numbers like {@code 1e100000}) can beat the 512:1
 * bound, and be read whole or, again, reported as different.
 *
 * <p>Tables without such columns (pgbench's {@code char(84)} filler is bounded) are read with exactly the SQL as
 * before. For the others, a small value costs an {@code octet_length()} or {@code pg_column_size()} per field, a NULL
 * field of 4 bytes, and nothing else: the value itself is sent by COPY as it always was.
 */
public final class TablePlan {

    /**
     * Values larger than this (uncompressed, as sent) are compared by their digest. Values up to this size are held
     * whole by the driver, once per side and per worker.
     */
    static final int LARGE_VALUE_BYTES = 1 << 20;

    /**
     * {@link #LARGE_VALUE_BYTES}, but changeable by tests in this package that must make the driver read a large value
     * whole, to see how a failure there is reported. Never changed otherwise.
     */
    static volatile int largeValueBytes = LARGE_VALUE_BYTES;

    /** Built-in types whose values are bounded far below {@link #LARGE_VALUE_BYTES}, fixed-size or not. */
    private static final java.util.Set<String> BOUNDED_TYPES = java.util.Set.of("bool", "char", "name", "int2", "int4",
            "int8", "oid", "float4", "float8", "money", "date", "time", "timetz", "timestamp", "timestamptz", "interval",
            "uuid", "inet", "cidr", "macaddr", "macaddr8", "point", "line", "lseg", "box", "circle", "pg_lsn", "numeric",
            "int4range", "int8range", "numrange", "daterange", "tsrange", "tstzrange", "tid", "xid", "xid8", "cid");

    /** Types whose {@code octet_length()} is the size of their send form, read from the value's header. */
    private static final java.util.Set<String> STRING_TYPES = java.util.Set.of("bytea", "text", "varchar", "bpchar");

    private final TableInfo source;
    private final TableInfo target;
    private final List<ColumnInfo> columns;
    private final TableSql sql;
    private final int[] keyFields;
    private final KeyCodec[] keyCodecs;
    private final boolean rangeScannable;
    /** For each field after the columns' own, the column whose large values it digests. */
    private final int[] digestedColumns;

    private TablePlan(TableInfo source, TableInfo target, List<ColumnInfo> columns, List<String> selectExpressions,
                      List<String> sendFunctions, int[] keyFields, KeyCodec[] keyCodecs, List<String> orderExpressions, List<String> keyCasts,
                      boolean rangeScannable, int[] digestedColumns) {
        this.source = source;
        this.target = target;
        this.columns = columns;
        this.keyFields = keyFields;
        this.keyCodecs = keyCodecs;
        this.sql = new TableSql(source.schema(), source.name(), source.partitioned() || target.partitioned(),
                selectExpressions, sendFunctions, keyFields, keyed() ? source.keyColumns() : List.of(), orderExpressions,
                keyCasts);
        this.rangeScannable = rangeScannable;
        this.digestedColumns = digestedColumns;
    }

    /**
     * Plans the comparison of the columns both sides have with the same declared type (the schema check reports the
     * others), keyed by the source's key when all its columns are among them.
     */
    public static TablePlan of(TableInfo source, TableInfo target) {
        List<ColumnInfo> columns = new ArrayList<>();
        List<String> selects = new ArrayList<>();
        List<String> sends = new ArrayList<>();
        List<Boolean> binary = new ArrayList<>();
        for (ColumnInfo column : source.columns()) {
            ColumnInfo other = target.column(column.name()).orElse(null);
            if (other == null || !other.typeDisplay().equals(column.typeDisplay())) {
                continue;
            }
            boolean asIs = column.binaryStable() && other.binaryStable();
            columns.add(column);
            binary.add(asIs);
            selects.add(!asIs ? ColumnSql.asText(column.name())
                    : CatalogReader.FLOAT_TYPES.contains(column.baseType().name())
                    ? ColumnSql.canonicalNaN(column.name(), column.baseType().name())
                    : Sql.quote(column.name()));
            sends.add(asIs ? column.baseType().send() : "textsend");
        }
        List<String> keyNames = source.keyColumns();
        boolean keyed = !keyNames.isEmpty() && keyNames.stream().allMatch(k -> columns.stream().anyMatch(c -> c.name().equals(k)));
        int[] keyFields = new int[keyed ? keyNames.size() : 0];
        KeyCodec[] codecs = new KeyCodec[keyFields.length];
        List<String> order = new ArrayList<>();
        List<String> casts = new ArrayList<>();
        boolean scannable = keyed;
        for (int k = 0; k < keyFields.length; k++) {
            String name = keyNames.get(k);
            int field = indexOf(columns, name);
            keyFields[k] = field;
            ColumnInfo column = columns.get(field);
            ColumnInfo other = target.column(name).orElseThrow();
            KeyCodec codec = binary.get(field) ? KeyCodec.forType(column.baseType().name()) : null;
            if (codec == null) {
                // No comparator for this type's binary form: read and order the key by its text, byte-wise.
                selects.set(field, ColumnSql.asText(name));
                sends.set(field, "textsend");
                codecs[k] = KeyCodec.text();
                order.add(ColumnSql.collateC(ColumnSql.asText(name)));
                casts.add("text");
                scannable = false;
            } else if (codec.collatable() && !(column.byteOrdered() && other.byteOrdered())) {
                // A collation other than C on either side: order explicitly, at the price of the index.
                codecs[k] = codec;
                order.add(ColumnSql.collateC(Sql.quote(name)));
                casts.add(column.typeDisplay());
                scannable = false;
            } else {
                codecs[k] = codec;
                order.add(Sql.quote(name));
                casts.add(column.typeDisplay());
            }
        }
        // Ranges need an index in key order on the target too: without one (a restore that failed to build the key),
        // every range would scan the whole target table.
        scannable = scannable && target.keyColumns().equals(keyNames);
        List<Integer> digested = new ArrayList<>();
        int columnCount = columns.size();
        for (int i = 0; i < columnCount; i++) {
            ColumnInfo column = columns.get(i);
            ColumnInfo other = target.column(column.name()).orElseThrow();
            if (isKeyField(keyFields, i) || !mayBeLarge(column) || !mayBeLarge(other)) {
                continue; // a key is bounded by its index's entry size
            }
            String expression = selects.get(i);
            String large = largeCondition(column, expression, sends.get(i));
            selects.set(i, ColumnSql.unlessLarge(large, expression));
            selects.add(ColumnSql.digestIfLarge(large, expression, sends.get(i)));
            sends.add("byteasend");
            digested.add(i);
        }
        return new TablePlan(source, target, List.copyOf(columns), List.copyOf(selects), List.copyOf(sends), keyFields, codecs,
                List.copyOf(order), List.copyOf(casts), scannable, digested.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean isKeyField(int[] keyFields, int field) {
        for (int key : keyFields) {
            if (key == field) {
                return true;
            }
        }
        return false;
    }

    /** Whether a value of the column can be larger than {@link #LARGE_VALUE_BYTES}. */
    static boolean mayBeLarge(ColumnInfo column) {
        PgType type = column.baseType();
        if (type.typtype() == 'e' || (type.builtin() && BOUNDED_TYPES.contains(type.name()))) {
            return false;
        }
        if (type.name().equals("varchar") || type.name().equals("bpchar")) {
            // character varying(n), character(n): n characters of at most 4 bytes in UTF8.
            java.util.regex.Matcher length = DECLARED_LENGTH.matcher(column.typeDisplay());
            return !(length.matches() && Long.parseLong(length.group(1)) * 4 <= largeValueBytes);
        }
        return true;
    }

    private static final java.util.regex.Pattern DECLARED_LENGTH =
            java.util.regex.Pattern.compile("(?:character varying|character)\\((\\d+)\\)");

    /** SQL that is true when the value is larger than {@link #LARGE_VALUE_BYTES}, the same on every server. */
    private static String largeCondition(ColumnInfo column, String expression, String send) {
        int limit = largeValueBytes;
        if (column.binaryStable() && STRING_TYPES.contains(column.baseType().name()) && !column.baseType().isArray()) {
            return ColumnSql.octetLengthAbove(expression, limit);
        }
        if (column.binaryStable() && column.baseType().name().equals("json")) {
            // json is stored as its text: the cast is a relabelling, and the size is read from the header.
            return ColumnSql.octetLengthAbove(expression + "::pg_catalog.text", limit);
        }
        return ColumnSql.sendFormAbove(column.name(), expression, send, limit);
    }

    private static int indexOf(List<ColumnInfo> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("No column " + name);
    }

    public TableInfo source() {
        return source;
    }

    public TableInfo target() {
        return target;
    }

    public String displayName() {
        return source.qualifiedKey();
    }

    public boolean keyed() {
        return keyFields.length > 0;
    }

    /**
     * The source's columns that are not compared because the target lacks them or declares another type: the schema
     * check names them; the row checks must not call a table matching while they went unread.
     */
    public List<String> uncomparedColumns() {
        List<String> names = new ArrayList<>();
        for (ColumnInfo column : source.columns()) {
            if (!columns.contains(column)) {
                names.add(column.name());
            }
        }
        return names;
    }

    /** The compared columns, in the order they are selected. */
    public List<ColumnInfo> columns() {
        return columns;
    }

    public List<String> keyNames() {
        return keyed() ? source.keyColumns() : List.of();
    }

    /**
     * Whether key ranges can be read with plain comparisons on the key as declared, so that the index serves each
     * range. Otherwise the table is read as one range: many ranges would each scan the whole table.
     */
    public boolean rangeScannable() {
        return rangeScannable;
    }

    /** The SQL that reads this table, the same for both sides. */
    public TableSql sql() {
        return sql;
    }

    /** The key as the merger reads it: which fields, in which order, compared how. */
    public KeyLayout keyLayout() {
        KeyLayout.Builder layout = KeyLayout.builder();
        List<String> names = keyNames();
        for (int k = 0; k < keyFields.length; k++) {
            layout.key(names.get(k), keyFields[k], keyCodecs[k]);
        }
        return layout.build();
    }

    /** The key's fields among the selected columns, in key order. */
    public int[] keyFieldIndexes() {
        return keyFields.clone();
    }

    /** The name of the compared column read as field {@code index}: its value, or the digest of its large values. */
    public String columnName(int index) {
        return columns.get(index < columns.size() ? index : digestedColumns[index - columns.size()]).name();
    }

    /** The number of fields each row is read as: the columns, then a digest field per column that may be large. */
    public int fieldCount() {
        return columns.size() + digestedColumns.length;
    }
}
