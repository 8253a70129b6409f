package io.pgverify.internal.run;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded pool of named daemon threads ({@code pgverify-worker-1}, …) that the run shuts down when done, or a
 * caller's executor, which is never shut down by us.
 */
final class WorkerPool implements AutoCloseable {

    private final ExecutorService executor;
    private final boolean owned;

    private WorkerPool(ExecutorService executor, boolean owned) {
        this.executor = executor;
        this.owned = owned;
    }

    static WorkerPool create(String role, int threads) {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "pgverify-" + role + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new WorkerPool(Executors.newFixedThreadPool(threads, factory), true);
    }

    static WorkerPool wrap(ExecutorService executor) {
        return new WorkerPool(executor, false);
    }

    ExecutorService executor() {
        return executor;
    }

    @Override
    public void close() {
        if (owned) {
            executor.shutdownNow();
        }
    }
}
