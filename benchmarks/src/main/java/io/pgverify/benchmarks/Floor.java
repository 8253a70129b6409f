package io.pgverify.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

/**
 * The floor: every table of both databases read completely, in key order (physical order for a table without a key),
 * both sides at the same time (one thread and one session per side, the tables one after another), in binary COPY,
 * into a sink that only counts. Nothing can verify faster than this reads. The connections stay open between runs,
 * so the floor pays no connection set-up, which a verification does.
 */
final class Floor implements AutoCloseable {

    /** The two ways pgjdbc hands out a COPY; the benchmark uses whichever is faster here. */
    enum Method {
        COPY_OUT_TO_STREAM("CopyManager.copyOut(sql, OutputStream)"),
        READ_FROM_COPY("CopyManager.copyOut(sql) + CopyOut.readFromCopy()");

        final String description;

        Method(String description) {
            this.description = description;
        }
    }

    /** One read of both sides: wall time, and the rows and COPY bytes of each. */
    record Run(long nanos, long sourceRows, long targetRows, long sourceBytes, long targetBytes) {
    }

    private final Connection source;
    private final Connection target;
    private final List<String> queries;
    private final ExecutorService threads;

    /** {@code queries}: the scenario's COPY statements, run in this order on each side. */
    Floor(Connection source, Connection target, List<String> queries) {
        this.source = source;
        this.target = target;
        this.queries = List.copyOf(queries);
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "bench-floor-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.prestartAllCoreThreads();
        this.threads = pool;
    }

    Run run(Method method) throws SQLException {
        long started = System.nanoTime();
        Future<long[]> sourceRead = threads.submit(() -> readAll(source, method));
        Future<long[]> targetRead = threads.submit(() -> readAll(target, method));
        long[] s = get(sourceRead);
        long[] t = get(targetRead);
        long nanos = System.nanoTime() - started;
        return new Run(nanos, s[0], t[0], s[1], t[1]);
    }

    /** Rows and bytes read from one side, all tables. */
    private long[] readAll(Connection connection, Method method) throws SQLException, IOException {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        long rows = 0;
        long bytes = 0;
        for (String sql : queries) {
            long[] read = read(copy, sql, method);
            rows += read[0];
            bytes += read[1];
        }
        return new long[] {rows, bytes};
    }

    private static long[] read(CopyManager copy, String sql, Method method) throws SQLException, IOException {
        switch (method) {
            case COPY_OUT_TO_STREAM -> {
                CountingSink sink = new CountingSink();
                long rows = copy.copyOut(sql, sink);
                return new long[] {rows, sink.bytes};
            }
            case READ_FROM_COPY -> {
                CopyOut out = copy.copyOut(sql);
                long bytes = 0;
                byte[] chunk;
                while ((chunk = out.readFromCopy()) != null) {
                    bytes += chunk.length;
                }
                return new long[] {out.getHandledRowCount(), bytes};
            }
            default -> throw new IllegalArgumentException(method.name());
        }
    }

    private static long[] get(Future<long[]> future) throws SQLException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while reading the floor", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("The floor read failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    /** Discards what it is given, counting it. */
    private static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
