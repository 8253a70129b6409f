package io.pgverify.internal.run;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pgverify.ProgressListener;
import io.pgverify.internal.jdbc.Session;
import io.pgverify.internal.jdbc.SessionSettings;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.jdbc.SqlErrors;
import io.pgverify.internal.read.CheckContext;

/**
 * One exported snapshot per side, held open by a transaction of its own for the whole run, so that every worker of
 * that side reads the same instant. Holding it holds back vacuum on that server: its age is reported to the progress
 * listener every second, and warned about once it passes the threshold.
 */
final class ExportedSnapshots implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExportedSnapshots.class);
    private static final Duration AGE_INTERVAL = Duration.ofSeconds(1);

    private final List<Session> holders = new ArrayList<>();
    private ScheduledExecutorService watcher;

    void export(CheckContext context, SessionSettings sessionSettings, Duration ageWarning, List<String> warnings) {
        for (Side side : Side.values()) {
            try {
                Session holder = Session.open(side, context.dataSource(side), sessionSettings);
                holders.add(holder);
                Connection connection = holder.connection();
                // The isolation level can only change between transactions: the rollback also drops the settings the
                // session applied, which are transaction-local, so they are applied again. Without them this
                // transaction, held for the whole run, had no statement, lock or idle timeout, was not read-only and
                // did not show the run's application name.
                connection.rollback();
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                sessionSettings.applyTo(connection);
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT pg_export_snapshot()")) {
                    rs.next();
                    context.useSnapshot(side, rs.getString(1));
                }
            } catch (SQLException e) {
                throw SqlErrors.toException(side.label(), e);
            }
        }
        long exportedAt = System.nanoTime();
        ProgressListener listener = context.settings().progressListener();
        // The first report is made here, so a listener always hears of a snapshot, however short the run.
        listener.snapshotHeld(Duration.ZERO, ageWarning);
        watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pgverify-snapshot-watch");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, ageWarning.toMillis());
        watcher.schedule(() -> {
            String warning = "The exported snapshots have been held for more than " + ageWarning.toSeconds()
                    + " s: vacuum cannot remove rows deleted since on either server.";
            LOG.warn(warning);
            warnings.add(warning);
        }, period, TimeUnit.MILLISECONDS);
        watcher.scheduleAtFixedRate(() -> {
            try {
                listener.snapshotHeld(Duration.ofNanos(System.nanoTime() - exportedAt), ageWarning);
            } catch (RuntimeException e) {
                // A failing listener must not end the reports: a scheduled task that throws is never run again.
                LOG.warn("The progress listener failed to take the snapshot's age: {}", e.toString());
            }
        }, AGE_INTERVAL.toMillis(), AGE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        // The holders are idle in their transactions for the whole run, and the server ends a transaction idle for
        // longer than idle_in_transaction_session_timeout (which makes a hung or vanished verifier let go): a query now
        // and then keeps them while the run lives.
        long keepAlive = Math.max(1_000, idleTimeoutMillis(sessionSettings) / 4);
        watcher.scheduleAtFixedRate(this::keepAlive, keepAlive, keepAlive, TimeUnit.MILLISECONDS);
        LOG.info("Reading both sides from exported snapshots");
    }

    private static long idleTimeoutMillis(SessionSettings sessionSettings) {
        String value = sessionSettings.get("idle_in_transaction_session_timeout");
        long millis = value == null ? 0 : Long.parseLong(value);
        return millis > 0 ? millis : 60_000;
    }

    private void keepAlive() {
        for (Session holder : holders) {
            try (Statement statement = holder.connection().createStatement()) {
                statement.execute("SELECT 1");
            } catch (SQLException e) {
                // The workers' sessions then fail to import the snapshot, and what they read is reported incomplete.
                LOG.warn("The transaction holding the snapshot on the {} failed: {}", holder.side().label(), e.getMessage());
            }
        }
    }

    /** A setting as the transaction holding the snapshot of that side sees it ({@code SHOW}); for tests. */
    String setting(Side side, String name) throws SQLException {
        for (Session holder : holders) {
            if (holder.side() == side) {
                try (Statement statement = holder.connection().createStatement();
                     ResultSet rs = statement.executeQuery("SELECT current_setting('" + name.replace("'", "''") + "')")) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        }
        throw new IllegalStateException("no snapshot is held on the " + side.label());
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            try {
                // A keep-alive still running must not share a connection that is being closed.
                watcher.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Session holder : holders) {
            try {
                holder.close();
            } catch (SQLException e) {
                LOG.warn("Could not release the snapshot on the {}: {}", holder.side().label(), e.getMessage());
            }
        }
    }
}
