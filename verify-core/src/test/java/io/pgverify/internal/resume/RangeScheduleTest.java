package io.pgverify.internal.resume;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.pgverify.Outcome;
import io.pgverify.internal.plan.KeyRange;

class RangeScheduleTest {

    private static final long MILLI = 1_000_000L;

    @Test
    void readsGrowToTheChunkTimeAtTheMeasuredPaceAndShrinkNearTheEnd() {
        RangeSchedule schedule = new RangeSchedule(planned(1000), Duration.ofMillis(100), 2, first -> Optional.empty());

        RangeSchedule.Read first = schedule.next().orElseThrow();
        assertThat(first.plannedRanges()).as("no pace measured yet").isEqualTo(1);
        schedule.finished(first, 10 * MILLI);
        assertThat(schedule.next().orElseThrow().plannedRanges()).as("100 ms at 10 ms a range").isEqualTo(10);

        List<RangeSchedule.Read> reads = drain(schedule, 10 * MILLI);
        assertThat(reads.get(reads.size() - 1).plannedRanges()).as("the last reads shrink so lanes finish together")
                .isEqualTo(1);
        assertThat(reads).allSatisfy(read -> assertThat(read.plannedRanges()).isBetween(1, 10));
    }

    @Test
    void slowRangesAreReadOneAtATime() {
        RangeSchedule schedule = new RangeSchedule(planned(100), Duration.ofMillis(100), 1, first -> Optional.empty());
        schedule.finished(schedule.next().orElseThrow(), 500 * MILLI);

        assertThat(drain(schedule, 500 * MILLI)).allSatisfy(read -> assertThat(read.plannedRanges()).isEqualTo(1));
    }

    @Test
    void aZeroChunkTimeReadsEachPlannedRangeAlone() {
        RangeSchedule schedule = new RangeSchedule(planned(50), Duration.ZERO, 1, first -> Optional.empty());
        schedule.finished(schedule.next().orElseThrow(), MILLI);

        assertThat(drain(schedule, MILLI)).hasSize(49).allSatisfy(read -> assertThat(read.plannedRanges()).isEqualTo(1));
    }

    @Test
    void readsTileEveryKeyInOrderFromTheOpenLowerBoundToTheOpenUpperOne() {
        List<KeyRange> planned = planned(300);
        RangeSchedule schedule = new RangeSchedule(planned, Duration.ofMillis(50), 3, first -> Optional.empty());

        List<RangeSchedule.Read> reads = drain(schedule, MILLI);

        assertThat(reads.get(0).range().lower()).isNull();
        assertThat(reads.get(reads.size() - 1).range().upper()).isNull();
        for (int i = 1; i < reads.size(); i++) {
            assertThat(reads.get(i).first()).isEqualTo(reads.get(i - 1).last() + 1);
            assertThat(reads.get(i).range().lower()).isEqualTo(reads.get(i - 1).range().upper());
        }
        assertThat(schedule.unread()).isZero();
    }

    @Test
    void rangesVerifiedByAnEarlierRunAreHandedOutAloneAndNeverMergedIntoARead() {
        Map<Integer, StateFile.Verdict> verdicts = new HashMap<>();
        verdicts.put(3, new StateFile.Verdict(3, 6, Outcome.MATCH, 400, Instant.EPOCH));
        verdicts.put(8, new StateFile.Verdict(8, 9, Outcome.MISMATCH, 200, Instant.EPOCH));
        RangeSchedule schedule = new RangeSchedule(planned(40), Duration.ofSeconds(10), 1,
                first -> Optional.ofNullable(verdicts.get(first)));
        schedule.finished(schedule.next().orElseThrow(), MILLI); // range 0; from now on many ranges fit in a read

        List<RangeSchedule.Read> reads = drain(schedule, MILLI);

        assertThat(reads.get(0)).extracting(RangeSchedule.Read::first, RangeSchedule.Read::last).containsExactly(1, 2);
        assertThat(reads.get(1)).extracting(RangeSchedule.Read::first, RangeSchedule.Read::last).containsExactly(3, 6);
        assertThat(reads.get(1).resumed()).as("the earlier match is not read again").isNotNull();
        assertThat(reads.get(2).first()).isEqualTo(7);
        assertThat(reads.get(2).last()).as("an earlier mismatch is read again, merged like any range").isGreaterThan(9);
        assertThat(reads.get(2).resumed()).isNull();
    }

    @Test
    void aShardsScheduleReadsItsOwnRangesOnlyAndNeverSpansAnothers() {
        // Ranges 0-9 and 20-24 are this shard's, 10-19 and 25-29 another's.
        RangeSchedule schedule = new RangeSchedule(planned(30), Duration.ofSeconds(10), 2, first -> Optional.empty(),
                index -> index < 10 || (index >= 20 && index < 25));
        assertThat(schedule.planned()).isEqualTo(15);

        List<RangeSchedule.Read> reads = drain(schedule, MILLI);

        List<Integer> read = new ArrayList<>();
        reads.forEach(r -> {
            for (int i = r.first(); i <= r.last(); i++) {
                read.add(i);
            }
        });
        assertThat(read).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 23, 24);
        assertThat(reads).allSatisfy(r -> assertThat(r.range().upper()).as("never past its own ranges")
                .isEqualTo(planned(30).get(r.last()).upper()));
        assertThat(schedule.unread()).isZero();
    }

    private static List<RangeSchedule.Read> drain(RangeSchedule schedule, long nanosPerPlannedRange) {
        List<RangeSchedule.Read> reads = new ArrayList<>();
        Optional<RangeSchedule.Read> next;
        while ((next = schedule.next()).isPresent()) {
            reads.add(next.get());
            schedule.finished(next.get(), nanosPerPlannedRange * next.get().plannedRanges());
        }
        return reads;
    }

    /** Planned ranges with integer bounds: (-∞, 1), [1, 2), …, [n-1, +∞). */
    private static List<KeyRange> planned(int count) {
        List<KeyRange> ranges = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ranges.add(new KeyRange(i, i == 0 ? null : List.of(Integer.toString(i)),
                    i == count - 1 ? null : List.of(Integer.toString(i + 1))));
        }
        return ranges;
    }
}
