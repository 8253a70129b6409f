package io.pgverify;

import static io.pgverify.Verifications.verify;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

/** With exported snapshots, the listener hears how long they have been held, and the report warns past the threshold. */
@ExtendWith(PostgresPairExtension.class)
class SnapshotAgeIT {

    /** Records every age it hears; holds the first rows compared until it has heard one of at least the threshold. */
    private static final class Listener implements ProgressListener {
        final List<Duration> ages = new CopyOnWriteArrayList<>();
        final List<Duration> thresholds = new CopyOnWriteArrayList<>();
        final CountDownLatch pastThreshold = new CountDownLatch(1);
        volatile boolean heldTheRun;

        @Override
        public void snapshotHeld(Duration age, Duration warnAfter) {
            ages.add(age);
            thresholds.add(warnAfter);
            if (age.compareTo(warnAfter) >= 0) {
                pastThreshold.countDown();
            }
        }

        @Override
        public void rowsCompared(String table, long rows) {
            try {
                // Pauses one merge, like a rate limit would, until the snapshot is older than the threshold: the
                // run then certainly outlives it, whatever the machine's speed. The timeout only guards a hang.
                heldTheRun |= pastThreshold.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void theListenerHearsTheSnapshotsAgeAndTheReportWarnsOnceItIsOld(DatabasePair db) {
        db.both("CREATE TABLE items (id bigint PRIMARY KEY, note text)",
                "INSERT INTO items SELECT g, 'n' || g FROM generate_series(1, 20000) g");
        Listener listener = new Listener();
        Duration threshold = Duration.ofMillis(1500);

        VerificationReport report = verify(db, b -> b.snapshot(true).snapshotAgeWarning(threshold).progressListener(listener));

        assertThat(report.outcome()).as("%s", report).isEqualTo(Outcome.MATCH);
        assertThat(listener.heldTheRun).isTrue();
        assertThat(listener.ages.get(0)).as("heard when the snapshots were exported").isEqualTo(Duration.ZERO);
        assertThat(listener.ages).as("ages only grow").isSortedAccordingTo(Duration::compareTo);
        assertThat(listener.ages.get(listener.ages.size() - 1)).isGreaterThanOrEqualTo(threshold);
        assertThat(listener.thresholds).containsOnly(threshold);
        assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("exported snapshots have been held for more than"));
    }

    @Test
    void withoutASnapshotNothingIsHeardOfOne(DatabasePair db) {
        db.both("CREATE TABLE items (id bigint PRIMARY KEY)", "INSERT INTO items SELECT generate_series(1, 100)");
        Listener listener = new Listener();
        listener.pastThreshold.countDown();

        VerificationReport report = verify(db, b -> b.progressListener(listener));

        assertThat(report.outcome()).isEqualTo(Outcome.MATCH);
        assertThat(listener.ages).isEmpty();
    }
}
