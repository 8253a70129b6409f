package io.pgverify.internal.copy;

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

/**
 * Parsing a whole binary COPY stream into rows, touching every field's offset and length. {@code messages} feeds one
 * array per row as pgjdbc hands them over; {@code array} parses one contiguous buffer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BinaryCopyReaderBenchmark {

    @Param({"NARROW", "PGBENCH", "WIDE", "WIDE60", "BIG8K", "TOAST"})
    public RowShape shape;

    @Param({"messages", "array"})
    public String chunking;

    private byte[] stream;
    private List<byte[]> messages;

    @Setup
    public void prepare() {
        stream = shape.stream();
        messages = shape.messages();
    }

    @Benchmark
    public long parse(Throughput throughput) throws IOException {
        long sink = 0;
        try (BinaryCopyReader reader = chunking.equals("array") ? BinaryCopyReader.of(stream, 0, stream.length)
                : BinaryCopyReader.ofChunks(messages)) {
            while (reader.next()) {
                for (int i = 0; i < reader.fieldCount(); i++) {
                    sink += reader.fieldOffset(i) + reader.fieldLength(i);
                }
            }
            throughput.add(reader.bytesRead(), reader.rowsRead());
        }
        return sink;
    }
}
