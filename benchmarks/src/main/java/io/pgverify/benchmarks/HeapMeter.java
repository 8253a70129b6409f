package io.pgverify.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap use during one phase, measured two ways: the JVM's own peak of each heap pool since the last
 * {@link #reset()} (summed: an upper bound, as the pools need not peak at the same moment), and the highest total
 * heap in use seen by a thread sampling every {@value #SAMPLE_MILLIS} ms (a lower bound: it can miss a spike between
 * samples). The old generation's peak is what survived collections: the memory a phase really holds on to.
 */
final class HeapMeter implements AutoCloseable {

    static final int SAMPLE_MILLIS = 10;

    /** What one phase used. */
    record Peak(long poolPeaksSum, long oldGenPeak, long sampledMax, long gcCount, long gcMillis) {
    }

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .toList();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final AtomicLong sampledMax = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;
    private long gcCountAtReset;
    private long gcMillisAtReset;

    HeapMeter() {
        sampler = new Thread(() -> {
            while (running) {
                long used = memory.getHeapMemoryUsage().getUsed();
                sampledMax.accumulateAndGet(used, Math::max);
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }, "bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The names of the pools summed, e.g. {@code G1 Eden Space}. */
    List<String> poolNames() {
        return heapPools.stream().map(MemoryPoolMXBean::getName).toList();
    }

    /** Collects garbage (so that each phase starts from the same heap) and starts a new measurement. */
    void reset() {
        System.gc();
        for (MemoryPoolMXBean pool : heapPools) {
            pool.resetPeakUsage();
        }
        sampledMax.set(memory.getHeapMemoryUsage().getUsed());
        gcCountAtReset = gcCount();
        gcMillisAtReset = gcMillis();
    }

    Peak read() {
        long sum = 0;
        long old = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            long peak = pool.getPeakUsage().getUsed();
            sum += peak;
            String name = pool.getName();
            if (name.contains("Old Gen") || name.contains("Tenured")) {
                old = Math.max(old, peak);
            }
        }
        return new Peak(sum, old, sampledMax.get(), gcCount() - gcCountAtReset, gcMillis() - gcMillisAtReset);
    }

    private long gcCount() {
        long count = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            count += Math.max(0, collector.getCollectionCount());
        }
        return count;
    }

    private long gcMillis() {
        long millis = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            millis += Math.max(0, collector.getCollectionTime());
        }
        return millis;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
