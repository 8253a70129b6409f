package io.pgverify.internal.compare;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * MurmurHash3 x64 128 (seed 0) of a byte range, bit for bit what Guava's {@code Hashing.murmur3_128()} returns, but
 * without allocating a hasher, a buffer and a HashCode per row: see {@code RowHasherBenchmark} for what that saves.
 * Not thread-safe: the result of the last {@link #hash} is kept in this object.
 */
final class RowHasher {

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private long h1;
    private long h2;

    /** Hashes {@code len} bytes from {@code off}; read the result with {@link #low()} and {@link #high()}. */
    void hash(byte[] b, int off, int len) {
        long h1 = 0;
        long h2 = 0;
        int end = off + len;
        int p = off;
        for (; p + 16 <= end; p += 16) {
            long k1 = (long) LONG_LE.get(b, p);
            long k2 = (long) LONG_LE.get(b, p + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int rest = end - p;
        if (rest > 0) {
            long k1 = 0;
            long k2 = 0;
            if (rest > 8) {
                for (int i = rest - 1; i >= 8; i--) {
                    k2 = (k2 << 8) | (b[p + i] & 0xFFL);
                }
                k1 = (long) LONG_LE.get(b, p);
            } else if (rest == 8) {
                k1 = (long) LONG_LE.get(b, p);
            } else {
                for (int i = rest - 1; i >= 0; i--) {
                    k1 = (k1 << 8) | (b[p + i] & 0xFFL);
                }
            }
            h1 ^= mixK1(k1);
            h2 ^= mixK2(k2);
        }
        h1 ^= len;
        h2 ^= len;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        this.h1 = h1;
        this.h2 = h2;
    }

    /** The first 64 bits (Guava's {@code HashCode.asLong()}). */
    long low() {
        return h1;
    }

    long high() {
        return h2;
    }

    private static long mixK1(long k1) {
        k1 *= C1;
        k1 = Long.rotateLeft(k1, 31);
        return k1 * C2;
    }

    private static long mixK2(long k2) {
        k2 *= C2;
        k2 = Long.rotateLeft(k2, 33);
        return k2 * C1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
