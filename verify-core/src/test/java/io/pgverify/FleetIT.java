package io.pgverify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.ServerPair;

/** {@link Fleet} against the real servers: verdicts per pair and in aggregate, the bounds, an interrupt. */
@ExtendWith(PostgresPairExtension.class)
class FleetIT {

    private static final String ORDERS = """
            CREATE TABLE orders (id bigserial PRIMARY KEY, customer text NOT NULL, total numeric(12,2));
            INSERT INTO orders (customer, total) SELECT 'c' || g, g * 1.25 FROM generate_series(1, 2000) g;
            """;

    private static Verifier.Builder verifier(DatabasePair db) {
        return Verifier.builder()
                .source(ConnectionSettings.parse(db.source().libpqUri()))
                .target(ConnectionSettings.parse(db.target().libpqUri()));
    }

    @Test
    void anUnreachablePairIsIncompleteAndADifferenceMakesTheFleetMismatch(ServerPair servers) throws IOException {
        DatabasePair same = servers.newDatabases().both(ORDERS);
        DatabasePair differs = servers.newDatabases().both(ORDERS);
        differs.target().execute("DELETE FROM orders WHERE id = 7");
        int closedPort = closedPort();
        ConnectionSettings nowhere = ConnectionSettings.parse("postgresql://app:hunter2-secret@127.0.0.1:" + closedPort
                + "/gone");

        FleetReport report = Fleet.builder()
                .pair("same", verifier(same))
                .pair("differs", verifier(differs))
                .pair("gone", Verifier.builder().source(nowhere).target(nowhere).allowSameDatabase(true))
                .build()
                .verify();

        assertThat(report.pairs()).extracting(PairReport::name).containsExactly("same", "differs", "gone");
        assertThat(report.pairs()).extracting(PairReport::outcome)
                .containsExactly(Outcome.MATCH, Outcome.MISMATCH, Outcome.INCOMPLETE);
        assertThat(report.pairs().get(2).error()).isNotBlank().doesNotContain("hunter2-secret");
        assertThat(report.outcome()).isEqualTo(Outcome.MISMATCH);
    }

    @Test
    void noServerEverHoldsMoreConnectionsThanTheBound(ServerPair servers) throws Exception {
        List<DatabasePair> pairs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DatabasePair db = servers.newDatabases().both(ORDERS);
            pairs.add(db);
            names.add(db.source().name());
        }
        // threads 1: 3 connections per side and pair; a bound of 6 lets two pairs run on each server at once.
        int bound = 6;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        Fleet.Builder fleet = Fleet.builder().maxParallelPairs(4).maxConnectionsPerHost(bound)
                .listener(new Fleet.Listener() {
                    @Override
                    public void pairStarted(String name) {
                        mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    }

                    @Override
                    public void pairFinished(PairReport report) {
                        running.decrementAndGet();
                    }
                });
        for (int i = 0; i < pairs.size(); i++) {
            fleet.pair("p" + i, verifier(pairs.get(i)).threads(1));
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger mostConnections = new AtomicInteger();
        Thread watcher = new Thread(() -> watch(pairs.get(0), names, done, mostConnections), "connection-watcher");
        watcher.start();
        FleetReport report;
        try {
            report = fleet.build().verify();
        } finally {
            done.set(true);
            watcher.join(TimeUnit.SECONDS.toMillis(30));
        }

        assertThat(report.outcome()).isEqualTo(Outcome.MATCH);
        assertThat(mostRunning.get()).as("pairs at once on a shared server").isBetween(1, 2);
        assertThat(mostConnections.get()).as("connections seen in pg_stat_activity").isLessThanOrEqualTo(bound);
    }

    @Test
    void aPairThatCouldNeverFitIsRefusedBeforeAnythingConnects(DatabasePair db) {
        assertThatThrownBy(() -> Fleet.builder().maxConnectionsPerHost(5).pair("big", verifier(db).threads(4)).build())
                .isInstanceOfSatisfying(VerifyException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("Pair 'big' may open 6 connections")
                .hasMessageContaining("more than the 5 allowed per host");
        assertThatThrownBy(() -> Fleet.builder().pair("twice", verifier(db)).pair("twice", verifier(db)))
                .hasMessageContaining("Two pairs are named 'twice'");
    }

    @Test
    void anInterruptStopsEveryPairAndStillReportsThemAll(ServerPair servers) throws Exception {
        DatabasePair first = servers.newDatabases().both(ORDERS);
        DatabasePair second = servers.newDatabases().both(ORDERS);
        // The source's first statement waits on a lock the test holds, so the pair is running when interrupted.
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<FleetReport> report = new AtomicReference<>();
        try (Connection lock = first.source().connect()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            Fleet fleet = Fleet.builder().maxParallelPairs(1)
                    .pair("locked", verifier(first).lockTimeout(java.time.Duration.ofMinutes(5)))
                    .pair("waiting", verifier(second))
                    .listener(new Fleet.Listener() {
                        @Override
                        public void pairStarted(String name) {
                            started.countDown();
                        }
                    })
                    .build();
            Thread verifying = new Thread(() -> report.set(fleet.verify()), "fleet");
            verifying.start();
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            awaitWaitingOnTheLock(first);
            verifying.interrupt();
            verifying.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(verifying.isAlive()).isFalse();
        }

        assertThat(report.get().pairs()).extracting(PairReport::name).containsExactly("locked", "waiting");
        assertThat(report.get().pairs()).extracting(PairReport::outcome).containsOnly(Outcome.INCOMPLETE);
        assertThat(report.get().pairs().get(1).error()).contains("Not started");
        assertThat(report.get().outcome()).isEqualTo(Outcome.INCOMPLETE);
    }

    /** Polls pg_stat_activity on the source server until done, keeping the most pgverify connections to the databases. */
    private static void watch(DatabasePair any, List<String> databases, AtomicBoolean done, AtomicInteger most) {
        try (Connection connection = any.source().connect();
             PreparedStatement count = connection.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgverify' AND datname = ANY (?)")) {
            count.setArray(1, connection.createArrayOf("text", databases.toArray()));
            while (!done.get()) {
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    most.accumulateAndGet(rows.getInt(1), Math::max);
                }
                // pg_stat_activity is a snapshot per transaction: autocommit gives a fresh one each time
                Thread.sleep(5);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitWaitingOnTheLock(DatabasePair db) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            long waiting = db.source().queryForLong("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                    + "'pgverify' AND wait_event_type = 'Lock' AND datname = current_database()");
            if (waiting > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the verification never waited on the lock");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
