package io.pgverify.internal.compare;

/**
 * Orders and prints one key column's binary COPY form exactly as PostgreSQL orders and prints that type, so that a
 * stream read with {@code ORDER BY key} can be merged without asking the server to compare anything.
 *
 * <p>Text-like codecs ({@link #collatable()}) match {@code COLLATE "C"}: the caller must order those columns with it,
 * whatever the database's collation. For a type without a codec ({@link #forType} returns null) the caller selects and
 * orders by {@code col::text COLLATE "C"} and uses {@link #text()}.
 *
 * <pre>{@code
 * KeyCodec codec = KeyCodec.forType("int8");
 * int order = codec.compare(a, aOff, aLen, b, bOff, bLen);
 * String shown = codec.format(a, aOff, aLen); // "-42"
 * }</pre>
 *
 * <p>Values are never NULL here: callers handle NULL themselves. A value whose length cannot be that type's throws
 * {@link IllegalArgumentException}, which means the stream does not hold the type the caller thought.
 */
public interface KeyCodec {

    /** Negative, zero or positive as PostgreSQL's btree order puts {@code a} before, level with or after {@code b}. */
    int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen);

    /** The value as {@code value::text} prints it with {@code DateStyle ISO} and {@code TimeZone UTC}. */
    String format(byte[] buf, int off, int len);

    /** True when the caller must add {@code COLLATE "C"} to the ORDER BY of this column. */
    boolean collatable();

    /** The pg_type name this codec reads. */
    String typeName();

    /**
     * The codec for a base type's pg_type name (resolve domains first), e.g. {@code int4}, {@code timestamptz}; null
     * when the type has none and must be compared as text.
     */
    static KeyCodec forType(String typeName) {
        return KeyCodecs.forType(typeName);
    }

    /** The codec for {@code text}: also for keys the caller casts {@code ::text}. */
    static KeyCodec text() {
        return KeyCodecs.TEXT;
    }
}
