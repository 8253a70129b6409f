package io.pgverify.embedded;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A primary and a hot standby streaming from it, for tests that read from a standby the way a careful verification
 * of production does. Both are {@link EmbeddedPostgres} servers of their own (never the shared pair: building the
 * standby stops the primary for a moment), and {@link #close()} stops and deletes both.
 *
 * <pre>{@code
 * try (PrimaryStandby servers = PrimaryStandby.start(ServerPair.sourceVersion(),
 *         standby -> standby.setting("max_standby_streaming_delay", "0"))) {
 *     TestDatabase primary = servers.newDatabase();
 *     primary.execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)");
 *     servers.awaitReplay();
 *     TestDatabase standby = servers.onStandby(primary);   // read-only, now holds the row
 * }
 * }</pre>
 */
public final class PrimaryStandby implements AutoCloseable {

    private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger DATABASE_COUNTER = new AtomicInteger();

    private final EmbeddedPostgres primary;
    private final EmbeddedPostgres standby;

    private PrimaryStandby(EmbeddedPostgres primary, EmbeddedPostgres standby) {
        this.primary = primary;
        this.standby = standby;
    }

    /**
     * Starts a primary of the given version and a standby of it.
     *
     * @param standbySettings adjusts the standby's builder, e.g. {@code max_standby_streaming_delay} or
     *                        {@code hot_standby_feedback}; the defaults are PostgreSQL's
     */
    public static PrimaryStandby start(String version, UnaryOperator<EmbeddedPostgres.Builder> standbySettings) {
        EmbeddedPostgres primary = EmbeddedPostgres.builder(version).start();
        try {
            EmbeddedPostgres standby = standbySettings.apply(EmbeddedPostgres.builder(version).standbyOf(primary)).start();
            return new PrimaryStandby(primary, standby);
        } catch (RuntimeException e) {
            primary.close();
            throw e;
        }
    }

    public EmbeddedPostgres primary() {
        return primary;
    }

    public EmbeddedPostgres standby() {
        return standby;
    }

    /** A fresh database on the primary, already replayed on the standby. */
    public TestDatabase newDatabase() {
        String name = "standby_" + ProcessHandle.current().pid() + "_" + DATABASE_COUNTER.incrementAndGet();
        primary.execute("postgres", "CREATE DATABASE " + name);
        awaitReplay();
        return new TestDatabase(primary, name);
    }

    /** The same database, read on the standby (read-only). */
    public TestDatabase onStandby(TestDatabase onPrimary) {
        if (onPrimary.server() != primary) {
            throw new IllegalArgumentException(onPrimary + " is not a database of this primary");
        }
        return new TestDatabase(standby, onPrimary.name());
    }

    /** Waits until the standby has replayed everything written on the primary so far. */
    public void awaitReplay() {
        awaitReplay(REPLAY_TIMEOUT);
    }

    /**
     * Waits until the standby's replay position reaches the primary's WAL insert position as of now. The insert
     * position, not {@code pg_current_wal_lsn()}: the test servers commit asynchronously, so a commit may still be
     * in WAL buffers, beyond the write position, when this is called.
     *
     * @throws IllegalStateException when the standby has not caught up within {@code timeout}
     */
    public void awaitReplay(Duration timeout) {
        TestDatabase primaryPostgres = new TestDatabase(primary, "postgres");
        TestDatabase standbyPostgres = new TestDatabase(standby, "postgres");
        String position = primaryPostgres.queryForString("SELECT pg_current_wal_insert_lsn()::text");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!"t".equals(standbyPostgres.queryForString("SELECT pg_last_wal_replay_lsn() >= '" + position + "'::pg_lsn"))) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("The standby on port " + standby.port() + " did not replay up to " + position
                        + " within " + timeout + "; it is at "
                        + standbyPostgres.queryForString("SELECT pg_last_wal_replay_lsn()::text"));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the standby to replay", e);
            }
        }
    }

    /** Stops and deletes the standby, then the primary. */
    @Override
    public void close() {
        try {
            standby.close();
        } finally {
            primary.close();
        }
    }
}
