package io.pgverify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.pgverify.internal.fleet.Admission;

/**
 * Verifies many source/target pairs in one process, a few at a time, without flooding any server.
 *
 * <pre>{@code
 * FleetReport report = Fleet.builder()
 *         .pair("shop", Verifier.builder().source(shopOld).target(shopNew))
 *         .pair("billing", Verifier.builder().source(billingOld).target(billingNew).threads(2))
 *         .maxParallelPairs(4)             // pairs verified at once
 *         .maxConnectionsPerHost(20)       // connections open on any one server (host and port) at once
 *         .build()
 *         .verify();
 * if (!report.matches()) { ... }          // MISMATCH if any pair differs, else INCOMPLETE if any could not be verified
 * }</pre>
 *
 * <p>A pair starts only when a place among the parallel pairs is free and every server it uses has room for all the
 * connections it may open (its threads plus two per side, as {@link Verifier} sizes its pools), reserved at once. A pair
 * that cannot be verified (a server unreachable, a password refused) is reported as
 * {@link PairReport#failed failed}, with one sentence and its secrets masked, and counts as incomplete; the other
 * pairs go on. Interrupting the thread in {@link #verify()} stops every pair: the running ones return their partial
 * reports, marked interrupted, the waiting ones are reported as not started.
 *
 * <p>Servers are told apart by host and port as written: {@code localhost:5432} and {@code 127.0.0.1:5432} are two
 * to the bound. Sides given as a {@link javax.sql.DataSource} are not counted: their pools are the caller's.
 */
public final class Fleet {

    /** Pairs verified at once unless told otherwise. */
    public static final int DEFAULT_MAX_PARALLEL_PAIRS = 2;

    /** Told of each pair as it starts and ends, from the fleet's threads; must be thread-safe and quick. */
    public interface Listener {
        /** The pair was admitted and its verification starts. */
        default void pairStarted(String name) {
        }

        /** The pair ended, verified, incomplete or failed. */
        default void pairFinished(PairReport report) {
        }
    }

    private final List<Pair> pairs;
    private final int maxParallelPairs;
    private final int maxConnectionsPerHost;
    private final String shard;
    private final Listener listener;

    private Fleet(Builder builder) {
        this.pairs = List.copyOf(builder.pairs);
        this.maxParallelPairs = builder.maxParallelPairs;
        this.maxConnectionsPerHost = builder.maxConnectionsPerHost;
        this.shard = builder.shard == null ? null : builder.shard.toString();
        this.listener = builder.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies every pair and returns their reports, in the order the pairs were added. Never throws for a pair that
     * could not be verified: that pair's report says why.
     */
    public FleetReport verify() {
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        Admission admission = new Admission(maxParallelPairs, maxConnectionsPerHost);
        ExecutorService executor = Executors.newFixedThreadPool(maxParallelPairs, new PairThreads());
        List<Future<PairReport>> futures = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            futures.add(null);
        }
        List<Integer> waiting = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            waiting.add(i);
        }
        boolean interrupted = false;
        try {
            while (!waiting.isEmpty()) {
                List<Map<String, Integer>> requests = new ArrayList<>();
                for (int index : waiting) {
                    requests.add(pairs.get(index).connections);
                }
                int index = waiting.remove(admission.admit(requests));
                Pair pair = pairs.get(index);
                futures.set(index, executor.submit(() -> {
                    try {
                        return run(pair);
                    } finally {
                        admission.release(pair.connections);
                    }
                }));
            }
            executor.shutdown();
            for (Future<PairReport> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            interrupted = true;
            // Each running pair's verification is interrupted, cancels its statements and returns what it has.
            for (Runnable queued : executor.shutdownNow()) {
                ((Future<?>) queued).cancel(false);
            }
        } catch (ExecutionException e) {
            // run() reports every failure as the pair's; only an Error gets here
            executor.shutdownNow();
            throw unexpected(e);
        }
        List<PairReport> reports = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            reports.add(collect(pairs.get(i).name, futures.get(i)));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return new FleetReport(reports, shard, startedAt, Duration.ofNanos(System.nanoTime() - started));
    }

    /** The pair's report once it has ended, waiting without giving up; "not started" when it never ran. */
    private static PairReport collect(String name, Future<PairReport> future) {
        if (future == null) {
            return PairReport.failed(name, "Not started: the run was interrupted first.", Duration.ZERO);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (CancellationException e) {
                    return PairReport.failed(name, "Not started: the run was interrupted first.", Duration.ZERO);
                } catch (ExecutionException e) {
                    throw unexpected(e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An Error thrown by a pair's thread (run() turns every exception into the pair's report) is the caller's. */
    private static RuntimeException unexpected(ExecutionException e) {
        if (e.getCause() instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("A pair's run failed unexpectedly", e.getCause());
    }

    private PairReport run(Pair pair) {
        long started = System.nanoTime();
        tell(() -> listener.pairStarted(pair.name));
        PairReport report;
        try (Verifier verifier = pair.verifier.build()) {
            report = PairReport.of(pair.name, verifier.verify());
        } catch (VerifyException e) {
            // The verifier's own redactor has masked its passwords; the structural one catches what looks like one.
            report = PairReport.failed(pair.name, pair.redactor.message(e), Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            report = PairReport.failed(pair.name, "The verification failed unexpectedly: " + pair.redactor.message(e),
                    Duration.ofNanos(System.nanoTime() - started));
        }
        PairReport finished = report;
        tell(() -> listener.pairFinished(finished));
        return report;
    }

    /** A listener that throws must not turn a verified pair into a failed one, nor stop the fleet. */
    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            // ignored on purpose: the listener is the caller's display, not part of the verdict
        }
    }

    /** A pair as the fleet runs it: what it connects to and how many connections it may open on each server. */
    private record Pair(String name, Verifier.Builder verifier, Map<String, Integer> connections, Redactor redactor) {
    }

    /** Named daemon threads: a fleet left running never keeps the JVM alive, and a thread dump names its pairs' threads. */
    private static final class PairThreads implements ThreadFactory {
        private static final AtomicInteger FLEETS = new AtomicInteger();
        private final int fleet = FLEETS.incrementAndGet();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "pgverify-fleet-" + fleet + "-pair-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }

    /** Configures a {@link Fleet}; {@link #build()} checks every pair's settings before anything connects. */
    public static final class Builder {
        private final List<Pair> pairs = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private int maxParallelPairs = DEFAULT_MAX_PARALLEL_PAIRS;
        private int maxConnectionsPerHost;
        private Shard shard;
        private Listener listener = new Listener() {
        };

        private Builder() {
        }

        /**
         * Adds a pair. The builder is built when the pair starts (so its connection pools exist only while it runs), and
         * must not be changed after it is added.
         */
        public Builder pair(String name, Verifier.Builder verifier) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(verifier, "verifier");
            if (!names.add(name)) {
                throw invalid("Two pairs are named '" + name + "': give each pair a name of its own.");
            }
            pairs.add(new Pair(name, verifier, Map.of(), Redactor.structural()));
            return this;
        }

        /** At most this many pairs are verified at once; default {@value #DEFAULT_MAX_PARALLEL_PAIRS}. */
        public Builder maxParallelPairs(int pairs) {
            if (pairs < 1 || pairs > 1024) {
                throw invalid("maxParallelPairs must be between 1 and 1024, not " + pairs + ".");
            }
            this.maxParallelPairs = pairs;
            return this;
        }

        /**
         * At most this many connections are open on any one server (host and port) at once, counting every pair's
         * pools on it; 0 (the default) for no bound.
         */
        public Builder maxConnectionsPerHost(int connections) {
            if (connections < 0) {
                throw invalid("maxConnectionsPerHost must not be negative, not " + connections + ".");
            }
            this.maxConnectionsPerHost = connections;
            return this;
        }

        /** Records which shard of a larger list these pairs are, for the report; the caller chose the pairs. */
        public Builder shard(Shard shard) {
            this.shard = shard;
            return this;
        }

        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Checks every pair's settings (as {@link Verifier.Builder#build()} would) and that each pair fits within the
         * bound on connections, without connecting.
         *
         * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION} naming the pair and what is wrong
         */
        public Fleet build() {
            if (pairs.isEmpty()) {
                throw invalid("A fleet needs at least one pair: add them with pair(name, verifier).");
            }
            for (int i = 0; i < pairs.size(); i++) {
                Pair pair = pairs.get(i);
                Verifier.Builder verifier = pair.verifier;
                try {
                    verifier.validate();
                } catch (VerifyException e) {
                    throw invalid("Pair '" + pair.name + "': " + e.getMessage());
                }
                Map<String, Integer> connections = new LinkedHashMap<>();
                count(connections, verifier.sourceSettings(), verifier.connectionsPerSide());
                count(connections, verifier.targetSettings(), verifier.connectionsPerSide());
                for (Map.Entry<String, Integer> server : connections.entrySet()) {
                    if (maxConnectionsPerHost > 0 && server.getValue() > maxConnectionsPerHost) {
                        throw invalid("Pair '" + pair.name + "' may open " + server.getValue() + " connections to "
                                + server.getKey() + " (its threads plus 2, per side), more than the "
                                + maxConnectionsPerHost + " allowed per host: lower its threads or raise the bound.");
                    }
                }
                pairs.set(i, new Pair(pair.name, verifier, Map.copyOf(connections),
                        Redactor.of(verifier.sourceSettings(), verifier.targetSettings())));
            }
            return new Fleet(this);
        }

        /**
         * Every host of a side gets the side's connections: with several hosts (failover), any one of them may get
         * them all.
         */
        private static void count(Map<String, Integer> connections, ConnectionSettings side, int count) {
            if (side == null) {
                return;
            }
            Set<String> servers = new HashSet<>();
            for (int i = 0; i < side.hosts().size(); i++) {
                String host = side.hosts().get(i);
                servers.add((host.contains(":") ? "[" + host + "]" : host) + ":" + side.ports().get(i));
            }
            for (String server : servers) {
                connections.merge(server, count, Integer::sum);
            }
        }

        private static VerifyException invalid(String message) {
            return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
        }
    }
}
