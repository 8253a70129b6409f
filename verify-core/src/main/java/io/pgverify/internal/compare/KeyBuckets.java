package io.pgverify.internal.compare;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import io.pgverify.internal.copy.BinaryCopyReader;

/**
 * The rows of one side of a keyed table read in no particular order, spread over buckets by a hash of the key, each
 * bucket a multiset digest of its rows (see {@link MultisetDigest}). Two sides whose buckets all agree hold the same
 * rows; a bucket that differs names the only keys worth reading again in key order.
 *
 * <p>A row's bucket is the first four bytes of the MD5 of its key fields as binary COPY sends them, each with its
 * 4-byte length prefix, as a big-endian int, masked to the bucket count. The server computes the same number with
 * {@code md5} over the same bytes, so a bucket can be read again with a WHERE clause. Memory is a few longs per bucket,
 * whatever the table's size. Not thread-safe: one per side.
 */
public final class KeyBuckets {

    /** Buckets at most: three longs each. */
    public static final int MAX_BUCKETS = 1 << 16;

    private final int[] keyFields;
    private final int mask;
    private final long[] rows;
    private final long[] low;
    private final long[] high;
    private final RowHasher hasher = new RowHasher();
    private final MessageDigest md5;
    private long total;

    /**
     * @param keyFields the fields of the key, in key order
     * @param buckets   a power of two, at most {@link #MAX_BUCKETS}
     */
    public KeyBuckets(int[] keyFields, int buckets) {
        if (buckets < 1 || buckets > MAX_BUCKETS || Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets must be a power of two up to " + MAX_BUCKETS + ", not " + buckets);
        }
        this.keyFields = keyFields.clone();
        this.mask = buckets - 1;
        this.rows = new long[buckets];
        this.low = new long[buckets];
        this.high = new long[buckets];
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has MD5", e);
        }
    }

    /** The smallest power of two of buckets that gives each about {@code rowsPerBucket} of {@code estimatedRows}. */
    public static int bucketsFor(long estimatedRows, long rowsPerBucket) {
        long wanted = Math.max(1, (estimatedRows + rowsPerBucket - 1) / rowsPerBucket);
        int buckets = 1;
        while (buckets < wanted && buckets < MAX_BUCKETS) {
            buckets <<= 1;
        }
        return buckets;
    }

    public int buckets() {
        return mask + 1;
    }

    /** Adds the reader's current row to its key's bucket. */
    public void add(BinaryCopyReader reader) {
        byte[] tuple = reader.tupleBuffer();
        for (int field : keyFields) {
            int length = reader.fieldLength(field);
            // The length prefix sits just before the field's bytes; a NULL (-1) has the prefix alone.
            md5.update(tuple, reader.fieldOffset(field) - 4, 4 + Math.max(0, length));
        }
        byte[] digest = md5.digest();
        int bucket = ((digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff)) & mask;
        hasher.hash(tuple, reader.tupleOffset(), reader.tupleLength());
        rows[bucket]++;
        low[bucket] += hasher.low();
        high[bucket] += hasher.high();
        total++;
    }

    /** Rows added so far. */
    public long rows() {
        return total;
    }

    /** How many rows the given buckets hold. */
    public long rowsIn(List<Integer> ids) {
        long sum = 0;
        for (int id : ids) {
            sum += rows[id];
        }
        return sum;
    }

    /** The buckets whose rows differ from the other side's, in ascending order. */
    public List<Integer> differingBuckets(KeyBuckets other) {
        if (other.buckets() != buckets()) {
            throw new IllegalArgumentException("both sides need the same buckets");
        }
        List<Integer> differing = new ArrayList<>();
        for (int b = 0; b <= mask; b++) {
            if (rows[b] != other.rows[b] || low[b] != other.low[b] || high[b] != other.high[b]) {
                differing.add(b);
            }
        }
        return differing;
    }
}
