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

import io.pgverify.internal.check.CheckContext;
import io.pgverify.internal.jdbc.Session;
import io.pgverify.internal.jdbc.SessionSettings;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.jdbc.SqlErrors;

/**
 * One exported snapshot per side, held open by a transaction of its own for the whole run, so that every worker of
 * that side reads the same instant. Holding it holds back vacuum on that server: its age is watched and warned about.
 */
final class ExportedSnapshots implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExportedSnapshots.class);

    private final List<Session> holders = new ArrayList<>();
    private ScheduledExecutorService watcher;

    void export(CheckContext context, SessionSettings sessionSettings, Duration ageWarning, List<String> warnings) {
        for (Side side : Side.values()) {
            try {
                Session holder = Session.open(side, context.dataSource(side), sessionSettings);
                holders.add(holder);
                Connection connection = holder.connection();
                connection.rollback();
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT pg_export_snapshot()")) {
                    rs.next();
                    context.useSnapshot(side, rs.getString(1));
                }
            } catch (SQLException e) {
                throw SqlErrors.toException(side.label(), e);
            }
        }
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
        LOG.info("Reading both sides from exported snapshots");
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
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
