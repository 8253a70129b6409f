package io.pgverify.internal.run;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pgverify.CheckResult;
import io.pgverify.ProgressListener;
import io.pgverify.TableReport;

/**
 * A caller's {@link ProgressListener} that cannot break a verification: a progress bar that throws must neither end
 * the run without a report nor make a check incomplete and blame a server for it. The first failure is logged with
 * its stack trace; later ones are dropped, since a broken listener usually fails on every call.
 */
public final class GuardedListener implements ProgressListener {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedListener.class);

    private final ProgressListener listener;
    private final AtomicBoolean failedOnce = new AtomicBoolean();

    private GuardedListener(ProgressListener listener) {
        this.listener = listener;
    }

    public static ProgressListener guard(ProgressListener listener) {
        return listener == ProgressListener.NONE || listener instanceof GuardedListener ? listener : new GuardedListener(listener);
    }

    @Override
    public void started(int tables, long estimatedRows) {
        try {
            listener.started(tables, estimatedRows);
        } catch (RuntimeException e) {
            failed("started", e);
        }
    }

    @Override
    public void rowsCompared(String table, long rows) {
        try {
            listener.rowsCompared(table, rows);
        } catch (RuntimeException e) {
            failed("rowsCompared", e);
        }
    }

    @Override
    public void checkFinished(String table, CheckResult result) {
        try {
            listener.checkFinished(table, result);
        } catch (RuntimeException e) {
            failed("checkFinished", e);
        }
    }

    @Override
    public void tableFinished(TableReport report) {
        try {
            listener.tableFinished(report);
        } catch (RuntimeException e) {
            failed("tableFinished", e);
        }
    }

    @Override
    public void snapshotHeld(Duration age, Duration warnAfter) {
        try {
            listener.snapshotHeld(age, warnAfter);
        } catch (RuntimeException e) {
            failed("snapshotHeld", e);
        }
    }

    private void failed(String method, RuntimeException e) {
        if (failedOnce.compareAndSet(false, true)) {
            LOG.warn("The progress listener {} threw from {}(); the verification goes on, and later failures of the "
                    + "listener are not logged", listener.getClass().getName(), method, e);
        }
    }
}
