package io.pgverify.internal.compare;

import java.io.IOException;

import io.pgverify.internal.copy.BinaryCopyReader;

/**
 * A digest of a table without a key: the multiset of its rows, in any order. Each row's whole binary COPY encoding
 * (length prefixes included, so NULL, '' and shifted field boundaries all hash apart) is hashed to 128 bits and the
 * two 64-bit halves are added up with wrap-around. Addition, unlike XOR, keeps duplicates: two copies of a row do
 * not cancel out. The row count is kept beside the sums.
 *
 * <pre>{@code
 * MultisetDigest source = new MultisetDigest();
 * source.addAll(sourceReader);
 * MultisetDigest target = new MultisetDigest();
 * target.addAll(targetReader);
 * boolean same = source.equals(target);
 * }</pre>
 *
 * <p>Digests of parts (key-less tables read in ranges or in parallel) combine with {@link #add(MultisetDigest)}.
 * Not thread-safe: give each thread its own and combine them.
 */
public final class MultisetDigest {

    private final RowHasher hasher = new RowHasher();
    private long rows;
    private long low;
    private long high;

    /** Adds the reader's current row. */
    public void add(BinaryCopyReader reader) {
        add(reader.tupleBuffer(), reader.tupleOffset(), reader.tupleLength());
    }

    /** Adds one row given as its whole tuple encoding. */
    public void add(byte[] tuple, int offset, int length) {
        hasher.hash(tuple, offset, length);
        low += hasher.low();
        high += hasher.high();
        rows++;
    }

    /** Adds every remaining row of the reader; returns how many. */
    public long addAll(BinaryCopyReader reader) throws IOException {
        long before = rows;
        while (reader.next()) {
            add(reader.tupleBuffer(), reader.tupleOffset(), reader.tupleLength());
        }
        return rows - before;
    }

    /** Adds the rows of another digest, e.g. of another range of the same table. */
    public void add(MultisetDigest other) {
        low += other.low;
        high += other.high;
        rows += other.rows;
    }

    public long rows() {
        return rows;
    }

    /** The 128-bit sum as 32 hex digits, high half first. */
    public String hex() {
        return String.format("%016x%016x", high, low);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultisetDigest other && rows == other.rows && low == other.low && high == other.high;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(low) * 31 + Long.hashCode(rows);
    }

    @Override
    public String toString() {
        return rows + " rows, digest " + hex();
    }
}
