package io.pgverify.internal.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pgverify.CheckKind;
import io.pgverify.VerifyException;
import io.pgverify.internal.plan.KeyRange;

class PlanFileTest {

    private static final PlanFile.Identity SOURCE = new PlanFile.Identity("7000/16384", "database shop (OID 16384)");
    private static final PlanFile.Identity TARGET = new PlanFile.Identity("7001/16390", "database shop (OID 16390)");

    private static List<KeyRange> ranges(int count) {
        List<KeyRange> ranges = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ranges.add(new KeyRange(i, i == 0 ? null : List.of(String.valueOf(i * 100)),
                    i == count - 1 ? null : List.of(String.valueOf((i + 1) * 100))));
        }
        return ranges;
    }

    private static PlanFile plan(int shards) {
        return PlanFile.assign(shards, SOURCE, TARGET, 100, List.of(
                new PlanFile.Unassigned("public.big", "d1", 3000, ranges(30)),
                new PlanFile.Unassigned("public.medium", "d2", 1200, ranges(12)),
                new PlanFile.Unassigned("public.keyless", "d3", 500, List.of(KeyRange.all())),
                new PlanFile.Unassigned("public.small", "d4", 50, List.of(KeyRange.all())),
                new PlanFile.Unassigned("public.gone", PlanFile.MISSING_ON_TARGET, 0, List.of(KeyRange.all()))));
    }

    @Test
    void everyRangeIsInExactlyOneShardAndTheShardsAreBalancedByRows() {
        PlanFile plan = plan(3);

        long[] rows = new long[3];
        for (PlanFile.Table table : plan.tables()) {
            for (PlanFile.Range range : table.ranges()) {
                rows[range.shard()] += range.estimatedRows();
            }
        }
        for (long load : rows) {
            assertThat(load).as("rows per shard").isBetween(4750L / 3 - 200, 4750L / 3 + 200);
        }
        assertThat(plan.table("public.gone").ranges().get(0).shard()).as("shard 0 reports a missing table").isZero();
        for (int shard = 0; shard < 3; shard++) {
            ShardWork work = new ShardWork(plan, shard);
            assertThat(work.runs("public.big")).as("few runs of neighbours per shard").hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    void theShardsChecksTogetherAreOneRunsChecks() {
        PlanFile plan = plan(3);
        Set<CheckKind> all = Set.of(CheckKind.values());

        for (String table : List.of("public.big", "public.keyless")) {
            List<CheckKind> union = new ArrayList<>();
            for (int shard = 0; shard < 3; shard++) {
                Set<CheckKind> checks = new ShardWork(plan, shard).checks(table, all);
                union.addAll(checks);
            }
            // Schema and last rows exactly once; the row checks by each shard holding ranges of a split table.
            assertThat(union.stream().filter(k -> k == CheckKind.SCHEMA)).hasSize(1);
            assertThat(union.stream().filter(k -> k == CheckKind.LAST_ROWS)).hasSize(1);
            assertThat(union).doesNotContain(CheckKind.SEQUENCES);
        }
    }

    @Test
    void fewerRangesThanShardsIsRefused() {
        assertThatThrownBy(() -> PlanFile.assign(3, SOURCE, TARGET, 100,
                List.of(new PlanFile.Unassigned("public.small", "d", 10, List.of(KeyRange.all())))))
                .isInstanceOf(VerifyException.class).hasMessageContaining("at most 1 shards");
    }

    @Test
    void noShardIsLeftEmptyWhenOneWholeTableOutweighsTheRest() {
        PlanFile plan = PlanFile.assign(3, SOURCE, TARGET, 100, List.of(
                new PlanFile.Unassigned("public.huge_keyless", "d1", 1_000_000, List.of(KeyRange.all())),
                new PlanFile.Unassigned("public.big", "d2", 300, ranges(3))));

        Set<Integer> used = new TreeSet<>();
        plan.tables().forEach(t -> t.ranges().forEach(r -> used.add(r.shard())));
        assertThat(used).containsExactly(0, 1, 2);
    }

    @Test
    void aPlanReadsBackAsWrittenAndAnEditedOneIsRefused(@TempDir Path dir) throws Exception {
        PlanFile plan = plan(3);
        Path file = dir.resolve("plan.json");
        plan.write(file);

        PlanFile read = PlanFile.read(file);
        assertThat(read).isEqualTo(plan);
        assertThat(read.digest()).isEqualTo(plan.digest());

        Files.writeString(file, Files.readString(file).replace("\"shard\": 2", "\"shard\": 1"));
        assertThatThrownBy(() -> PlanFile.read(file)).isInstanceOf(VerifyException.class)
                .hasMessageContaining("was changed after it was written");
    }

    @Test
    void keyValuesWithQuotesAndNewlinesSurviveTheFile(@TempDir Path dir) {
        List<KeyRange> ranges = List.of(new KeyRange(0, null, List.of("a\"b\\c\nd", "é 注")),
                new KeyRange(1, List.of("a\"b\\c\nd", "é 注"), null));
        PlanFile plan = PlanFile.assign(2, SOURCE, TARGET, 100,
                List.of(new PlanFile.Unassigned("s.\"odd\"", "d", 200, ranges)));
        Path file = dir.resolve("plan.json");
        plan.write(file);

        assertThat(PlanFile.read(file)).isEqualTo(plan);
    }
}
