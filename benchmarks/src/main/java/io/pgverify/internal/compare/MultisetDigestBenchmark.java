package io.pgverify.internal.compare;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;

import io.pgverify.internal.copy.BinaryCopyReader;
import io.pgverify.internal.copy.RowShape;
import io.pgverify.internal.copy.Throughput;

/**
 * Parse + hash of a key-less table's stream as the driver delivers it (one message per row). {@code hasher=own} is
 * {@link MultisetDigest} with the allocation-free {@link RowHasher}; {@code hasher=guava} does the same sums with
 * {@code Hashing.murmur3_128()}, which allocates a hasher and a HashCode per row: the pair justifies RowHasher.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MultisetDigestBenchmark {

    private static final HashFunction MURMUR = Hashing.murmur3_128();

    @Param({"NARROW", "PGBENCH", "WIDE", "WIDE60", "BIG8K", "TOAST"})
    public RowShape shape;

    @Param({"own", "guava"})
    public String hasher;

    private List<byte[]> messages;

    @Setup
    public void prepare() {
        messages = shape.messages();
    }

    @Benchmark
    public Object parseAndHash(Throughput throughput) throws IOException {
        try (BinaryCopyReader reader = RowShape.read(messages)) {
            Object result;
            if (hasher.equals("own")) {
                MultisetDigest digest = new MultisetDigest();
                digest.addAll(reader);
                result = digest;
            } else {
                long low = 0;
                long high = 0;
                while (reader.next()) {
                    byte[] hash = MURMUR.hashBytes(reader.tupleBuffer(), reader.tupleOffset(), reader.tupleLength()).asBytes();
                    low += Bytes.readLong(hash, 0);
                    high += Bytes.readLong(hash, 8);
                }
                result = low ^ high;
            }
            throughput.add(reader.bytesRead(), reader.rowsRead());
            return result;
        }
    }
}
