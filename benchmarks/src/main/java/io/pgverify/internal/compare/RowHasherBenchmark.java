package io.pgverify.internal.compare;

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

import com.google.common.hash.HashCode;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;

import io.pgverify.internal.copy.RowShape;

/** Hashing alone, of one already-parsed pgbench_accounts tuple (114 bytes): RowHasher against Guava's murmur3_128. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RowHasherBenchmark {

    private static final HashFunction MURMUR = Hashing.murmur3_128();

    @Param({"PGBENCH", "WIDE"})
    public RowShape shape;

    private final RowHasher hasher = new RowHasher();
    private byte[] tuple;

    @Setup
    public void prepare() {
        List<byte[]> messages = shape.messages();
        tuple = messages.get(1);
    }

    @Benchmark
    public long own() {
        hasher.hash(tuple, 0, tuple.length);
        return hasher.low() + hasher.high();
    }

    @Benchmark
    public long guavaAsLong() {
        return MURMUR.hashBytes(tuple, 0, tuple.length).asLong();
    }

    @Benchmark
    public HashCode guavaBothHalves() {
        return MURMUR.hashBytes(tuple, 0, tuple.length);
    }
}
