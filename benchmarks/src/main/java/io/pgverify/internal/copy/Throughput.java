package io.pgverify.internal.copy;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Makes JMH print bytes/s and rows/s beside ops/s: each benchmark adds what one invocation consumed. */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Throughput {

    public long bytes;
    public long rows;

    @Setup(Level.Iteration)
    public void reset() {
        bytes = 0;
        rows = 0;
    }

    public void add(long streamBytes, long streamRows) {
        bytes += streamBytes;
        rows += streamRows;
    }
}
