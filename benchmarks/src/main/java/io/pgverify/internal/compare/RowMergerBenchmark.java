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

import io.pgverify.internal.copy.BinaryCopyReader;
import io.pgverify.internal.copy.RowShape;
import io.pgverify.internal.copy.Throughput;

/**
 * Merging two identical streams (the common case: every row matches) as the driver delivers them: parse both sides,
 * check each side's key order, compare keys and the rows' bytes. Bytes and rows count both sides.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RowMergerBenchmark {

    @Param({"NARROW", "PGBENCH", "WIDE", "WIDE60", "BIG8K", "TOAST"})
    public RowShape shape;

    private List<byte[]> source;
    private List<byte[]> target;
    private RowMerger merger;

    @Setup
    public void prepare() {
        source = shape.messages();
        target = shape.messages();
        String keyType = shape == RowShape.PGBENCH ? "int4" : "int8";
        merger = RowMerger.ascending(KeyLayout.builder().key("id", 0, KeyCodec.forType(keyType)).build());
    }

    @Benchmark
    public MergeSummary merge(Throughput throughput) throws IOException {
        try (BinaryCopyReader s = RowShape.read(source); BinaryCopyReader t = RowShape.read(target)) {
            MergeSummary summary = merger.merge(s, t, MergeListener.NONE);
            if (!summary.identical()) {
                throw new AssertionError(summary.toString());
            }
            throughput.add(s.bytesRead() + t.bytesRead(), s.rowsRead() + t.rowsRead());
            return summary;
        }
    }
}
