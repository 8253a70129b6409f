package io.pgverify.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.pgverify.ProgressListener;
import io.pgverify.TableReport;
import io.pgverify.internal.config.Durations;

/**
 * Progress on stderr: one line redrawn in place when a person watches a terminal, a plain line every
 * {@link #LOG_INTERVAL} otherwise (a CI log should not fill with carriage returns). Called from worker threads; the
 * drawing happens on one daemon thread of its own.
 */
final class ProgressDisplay implements ProgressListener, AutoCloseable {

    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    private static final Duration REDRAW_INTERVAL = Duration.ofMillis(250);
    private static final int WIDTH = 79;

    private final PrintWriter err;
    private final boolean terminal;
    private final long startedNanos = System.nanoTime();
    private final AtomicInteger tablesDone = new AtomicInteger();
    private final AtomicLong rowsDone = new AtomicLong();
    private volatile int tablesTotal = -1;
    private volatile long rowsEstimated;
    /** Both null unless the run holds exported snapshots. */
    private volatile Duration snapshotAge;
    private volatile Duration snapshotWarnAfter;
    private final ScheduledExecutorService ticker;
    private boolean drawn;
    private boolean closed;

    private ProgressDisplay(PrintWriter err, boolean terminal, Duration interval) {
        this.err = err;
        this.terminal = terminal;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "pgverify-progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::draw, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A live line on a terminal, periodic lines elsewhere. */
    static ProgressDisplay on(PrintWriter err, boolean terminal) {
        return new ProgressDisplay(err, terminal, terminal ? REDRAW_INTERVAL : LOG_INTERVAL);
    }

    @Override
    public void started(int tables, long estimatedRows) {
        tablesTotal = tables;
        rowsEstimated = estimatedRows;
    }

    @Override
    public void rowsCompared(String table, long rows) {
        rowsDone.addAndGet(rows);
    }

    @Override
    public void tableFinished(TableReport report) {
        tablesDone.incrementAndGet();
    }

    @Override
    public void snapshotHeld(Duration age, Duration warnAfter) {
        snapshotWarnAfter = warnAfter;
        snapshotAge = age;
    }

    /**
     * The progress line, e.g. {@code 12/40 tables, 1.2M rows, 45.0k rows/s, ETA 2m10s}; with {@code --snapshot} the
     * snapshot's age comes before the ETA (a terminal line is cut at 79 columns), e.g. {@code snapshot 4m10s}, or
     * {@code snapshot 12m30s > 10m} once it is older than {@code --snapshot-age-warning}.
     */
    String line() {
        int total = tablesTotal;
        if (total < 0) {
            return "reading the catalogs...";
        }
        long elapsedNanos = Math.max(1, System.nanoTime() - startedNanos);
        long rows = rowsDone.get();
        int tables = tablesDone.get();
        double rate = rows * 1e9 / elapsedNanos;
        StringBuilder text = new StringBuilder();
        text.append(tables).append('/').append(total).append(" tables");
        if (rows > 0) {
            text.append(", ").append(count(rows)).append(" rows, ").append(count(Math.round(rate))).append(" rows/s");
        }
        Duration age = snapshotAge;
        if (age != null) {
            text.append(", ").append(snapshot(age, snapshotWarnAfter));
        }
        double done = rowsEstimated > 0 && rows > 0 ? Math.min(1.0, (double) rows / rowsEstimated)
                : total > 0 ? (double) tables / total : 0;
        if (done > 0 && done < 1) {
            long remaining = (long) (elapsedNanos * (1 - done) / done);
            text.append(", ETA ").append(Durations.format(Duration.ofSeconds(Math.max(1, remaining / 1_000_000_000L))));
        }
        return text.toString();
    }

    /** {@code snapshot 4m10s}, or {@code snapshot 12m30s > 10m} from the age the run warns at. */
    static String snapshot(Duration age, Duration warnAfter) {
        String text = "snapshot " + Durations.format(Duration.ofSeconds(age.toSeconds()));
        return warnAfter != null && age.compareTo(warnAfter) >= 0 ? text + " > " + Durations.format(warnAfter) : text;
    }

    static String count(long n) {
        if (n < 10_000) {
            return Long.toString(n);
        }
        if (n < 10_000_000) {
            return String.format(Locale.ROOT, "%.1fk", n / 1e3);
        }
        if (n < 10_000_000_000L) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.1fG", n / 1e9);
    }

    /** Draws the line now; the ticker calls it every interval. */
    synchronized void draw() {
        if (closed) {
            return;
        }
        String line = "pgverify: " + line();
        if (terminal) {
            if (line.length() > WIDTH) {
                line = line.substring(0, WIDTH);
            }
            err.print("\r" + line + "\u001b[K");
            drawn = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Stops drawing and clears the live line, so that what follows starts on a clean line. */
    @Override
    public synchronized void close() {
        closed = true;
        ticker.shutdownNow();
        if (terminal && drawn) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }
}
