package io.pgverify.internal.fleet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides which pairs of a fleet may run now: at most {@code maxRunning} at once, and on every server at most
 * {@code maxPerServer} connections reserved. A pair reserves all the connections it may open on all its servers in one
 * step, under one lock, or nothing: two pairs never each hold half of what they need and wait for the other (the
 * deadlock of acquiring server by server).
 *
 * <p>A waiting pair that does not fit does not hold up the ones behind it that do: pairs on idle servers start while
 * a busy server's pairs wait.
 */
public final class Admission {

    private final int maxRunning;
    private final int maxPerServer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final Map<String, Integer> reserved = new HashMap<>();
    private final Map<String, Integer> peak = new HashMap<>();
    private int running;

    /**
     * @param maxRunning   pairs at once, at least 1
     * @param maxPerServer connections reserved per server at once, or 0 for no bound
     */
    public Admission(int maxRunning, int maxPerServer) {
        if (maxRunning < 1 || maxPerServer < 0) {
            throw new IllegalArgumentException("maxRunning must be at least 1 and maxPerServer not negative");
        }
        this.maxRunning = maxRunning;
        this.maxPerServer = maxPerServer;
    }

    /**
     * Waits until one of the requests fits, reserves it and returns its index: the first that fits, in list order.
     *
     * @param requests connections per server of each waiting pair; at least one
     * @throws IllegalArgumentException when a request alone exceeds the bound, as it could never fit
     */
    public int admit(List<Map<String, Integer>> requests) throws InterruptedException {
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("Nothing to admit");
        }
        for (Map<String, Integer> request : requests) {
            if (!fitsAlone(request)) {
                throw new IllegalArgumentException("A request exceeds the bound of " + maxPerServer + " per server");
            }
        }
        lock.lockInterruptibly();
        try {
            while (true) {
                if (running < maxRunning) {
                    for (int i = 0; i < requests.size(); i++) {
                        Map<String, Integer> request = requests.get(i);
                        if (fits(request)) {
                            reserve(request);
                            return i;
                        }
                    }
                }
                released.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives back what {@link #admit} reserved for a request. */
    public void release(Map<String, Integer> request) {
        lock.lock();
        try {
            running--;
            request.forEach((server, connections) -> reserved.merge(server, -connections, Integer::sum));
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the request could ever fit: it asks no server for more than the bound. */
    public boolean fitsAlone(Map<String, Integer> request) {
        if (maxPerServer == 0) {
            return true;
        }
        for (int connections : request.values()) {
            if (connections > maxPerServer) {
                return false;
            }
        }
        return true;
    }

    /** The most connections reserved on each server at once so far. */
    public Map<String, Integer> peakReserved() {
        lock.lock();
        try {
            return Map.copyOf(peak);
        } finally {
            lock.unlock();
        }
    }

    private boolean fits(Map<String, Integer> request) {
        if (maxPerServer == 0) {
            return true;
        }
        for (Map.Entry<String, Integer> need : request.entrySet()) {
            if (reserved.getOrDefault(need.getKey(), 0) + need.getValue() > maxPerServer) {
                return false;
            }
        }
        return true;
    }

    private void reserve(Map<String, Integer> request) {
        running++;
        for (Map.Entry<String, Integer> need : request.entrySet()) {
            int now = reserved.merge(need.getKey(), need.getValue(), Integer::sum);
            peak.merge(need.getKey(), now, Math::max);
        }
    }
}
