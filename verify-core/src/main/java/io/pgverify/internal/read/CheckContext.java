package io.pgverify.internal.read;

import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import io.pgverify.internal.config.VerificationSettings;
import io.pgverify.internal.jdbc.Cancellation;
import io.pgverify.internal.jdbc.Session;
import io.pgverify.internal.jdbc.SessionSettings;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.jdbc.SideFailure;
import io.pgverify.internal.resume.StateFile;
import io.pgverify.internal.resume.Throttle;

/** What every check needs: both sides, the pinned session settings, and the run's settings. */
public final class CheckContext {

    private final DataSource source;
    private final DataSource target;
    private final SessionSettings sessionSettings;
    private final VerificationSettings settings;
    private final ExecutorService sideExecutor;
    // Replaced before any work is submitted, like the state file; the executor's hand-over publishes it.
    private Cancellation cancellation = new Cancellation();
    private final Map<Side, String> snapshots = new EnumMap<>(Side.class);
    private final Throttle sourceThrottle;
    private final Throttle targetThrottle;
    // Both set before any work is submitted; the executor's hand-over publishes them to the workers.
    private StateFile stateFile;
    private io.pgverify.internal.shard.ShardWork shardWork;

    /**
     * @param sideExecutor runs the source's half of work that must read both sides at the same time, while the
     *                     calling worker reads the target
     */
    public CheckContext(DataSource source, DataSource target, SessionSettings sessionSettings,
                        VerificationSettings settings, ExecutorService sideExecutor) {
        this.source = source;
        this.target = target;
        this.sessionSettings = sessionSettings;
        this.settings = settings;
        this.sideExecutor = sideExecutor;
        this.sourceThrottle = Throttle.of(settings.maxRowsPerSecond(), settings.maxBytesPerSecond());
        this.targetThrottle = Throttle.of(settings.maxRowsPerSecond(), settings.maxBytesPerSecond());
    }

    /** The run's cancellation: sessions opened here register with it, and nothing is retried once it is cancelled. */
    public void useCancellation(Cancellation cancellation) {
        this.cancellation = cancellation;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    /** Records and resumes verified key ranges. */
    public void useStateFile(StateFile stateFile) {
        this.stateFile = stateFile;
    }

    /** The state file of the run, or null. */
    /** Verifies one shard of a plan: only its ranges of each table are read. */
    public void useShardWork(io.pgverify.internal.shard.ShardWork shardWork) {
        this.shardWork = shardWork;
    }

    /** The shard of a plan this run verifies, or null when it verifies everything. */
    public io.pgverify.internal.shard.ShardWork shardWork() {
        return shardWork;
    }

    public StateFile stateFile() {
        return stateFile;
    }

    /** From now on, every session of this side reads from this exported snapshot. */
    public void useSnapshot(Side side, String snapshot) {
        snapshots.put(side, snapshot);
    }

    /**
     * Blocks until the rate limits allow these rows and bytes to have been read; the merge pauses, and with it both
     * servers, whose sockets fill. A no-op without limits.
     */
    public void throttle(long sourceRows, long targetRows, long sourceBytes, long targetBytes) {
        sourceThrottle.delivered(sourceRows, sourceBytes);
        targetThrottle.delivered(targetRows, targetBytes);
        stopIfCancelled();
    }

    /**
     * Ends a read of a cancelled run: its statement was cancelled on the server, but the rows the server had sent
     * before are still buffered here, and reading them at a rate limit's pace could take minutes.
     *
     * @throws java.util.concurrent.CancellationException when the run was cancelled
     */
    void stopIfCancelled() {
        if (cancellation.cancelled()) {
            throw new java.util.concurrent.CancellationException(cancellation.reason());
        }
    }

    /** One side's rate limits. */
    Throttle throttle(Side side) {
        return side == Side.SOURCE ? sourceThrottle : targetThrottle;
    }

    public VerificationSettings settings() {
        return settings;
    }

    public Session open(Side side) throws SQLException {
        return Session.open(side, dataSource(side), sessionSettings, snapshots.get(side), cancellation);
    }

    /**
     * A session for work that sends one statement: in autocommit where the connection allows it (see
     * {@link Session#open(Side, DataSource, SessionSettings, String, Cancellation, boolean)}).
     */
    public Session openForOneStatement(Side side) throws SQLException {
        return Session.open(side, dataSource(side), sessionSettings, snapshots.get(side), cancellation, true);
    }

    public DataSource dataSource(Side side) {
        return side == Side.SOURCE ? source : target;
    }

    /** Work on one side that may fail with the side's SQL error. */
    @FunctionalInterface
    public interface SideWork<T> {
        T run(Session session) throws Exception;
    }

    /** Runs the same kind of work on both sides at once: the source on the side executor, the target here. */
    public <T> Pair<T> onBothSides(SideWork<T> work) throws SideFailure {
        return onBothSides(work, false);
    }

    /** {@link #onBothSides(SideWork)} for work that sends one statement on each side. */
    public <T> Pair<T> onBothSidesInOneStatement(SideWork<T> work) throws SideFailure {
        return onBothSides(work, true);
    }

    private <T> Pair<T> onBothSides(SideWork<T> work, boolean oneStatement) throws SideFailure {
        Future<T> sourceResult = sideExecutor.submit((Callable<T>) () -> runOn(Side.SOURCE, work, oneStatement));
        T targetResult;
        try {
            targetResult = runOn(Side.TARGET, work, oneStatement);
        } catch (SideFailure e) {
            sourceResult.cancel(false);
            throw e;
        }
        try {
            return new Pair<>(sourceResult.get(), targetResult);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SideFailure failure) {
                throw failure;
            }
            throw new SideFailure(Side.SOURCE, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SideFailure(Side.SOURCE, e);
        }
    }

    /**
     * Runs work in one session of the side. Whatever the work throws, an {@link Error} such as an
     * {@link OutOfMemoryError} included, becomes the side's failure with that cause, so the check reports it as
     * incomplete; and the session is then aborted, not rolled back (see {@link Session#abort}), so that a connection
     * left inside a COPY can never block the worker.
     */
    public <T> T runOn(Side side, SideWork<T> work) throws SideFailure {
        return runOn(side, work, false);
    }

    /** {@link #runOn(Side, SideWork)} for work that sends one statement. */
    public <T> T runOneStatementOn(Side side, SideWork<T> work) throws SideFailure {
        return runOn(side, work, true);
    }

    private <T> T runOn(Side side, SideWork<T> work, boolean oneStatement) throws SideFailure {
        Session session;
        try {
            session = oneStatement ? openForOneStatement(side) : open(side);
        } catch (Exception e) {
            throw new SideFailure(side, e);
        }
        T result;
        try {
            result = work.run(session);
        } catch (Throwable failure) {
            session.abort(failure);
            throw failure instanceof SideFailure sideFailure ? sideFailure : new SideFailure(side, failure);
        }
        try {
            session.close();
        } catch (SQLException | RuntimeException e) {
            throw new SideFailure(side, e);
        }
        return result;
    }

    /** A value read on each side. */
    public record Pair<T>(T source, T target) {
    }
}
