package io.pgverify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

/** The library's side of sharding: {@code Verifier.plan(n)} and {@code Builder.shard(plan, shard)} on the real servers. */
@ExtendWith(PostgresPairExtension.class)
class ShardPlanIT {

    @Test
    void eachShardReadsOnlyItsRangesAndTogetherTheyReadEveryRowOnce(DatabasePair db, @TempDir Path dir) {
        db.both("CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL)",
                "INSERT INTO events SELECT g, 'k' || (g % 7) FROM generate_series(1, 20000) g",
                "CREATE TABLE notes (body text)", "INSERT INTO notes SELECT 'n' || g FROM generate_series(1, 10) g",
                "ANALYZE");
        db.target().execute("DELETE FROM events WHERE id = 12345");
        Path file = dir.resolve("plan.json");
        try (Verifier planner = Verifier.builder().source(db.source().dataSource()).target(db.target().dataSource())
                .chunkRows(1000).build()) {
            planner.plan(3).write(file);
        }
        ShardPlan plan = ShardPlan.read(file);
        assertThat(plan.shards()).isEqualTo(3);
        assertThat(plan.ranges("public.events")).isGreaterThan(3);

        long rows = 0;
        List<String> missing = new ArrayList<>();
        List<Integer> ranges = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int index = i;
            VerificationReport part = Verifications.verify(db, builder -> builder.shard(plan, new Shard(index, 3)));
            ranges.addAll(plan.rangesOf("public.events", i));
            assertThat(part.sequences()).isEmpty();
            assertThat(part.tables().stream().filter(t -> t.check(CheckKind.SCHEMA).isPresent()))
                    .as("schema in shard 0 only").hasSize(i == 0 ? 2 : 0);
            for (TableReport table : part.tables()) {
                if (table.qualifiedName().equals("public.events")) {
                    CheckResult hashes = table.check(CheckKind.HASHES).orElseThrow();
                    rows += hashes.rowsCompared();
                    hashes.differences().forEach(d -> missing.add(d.key().get("id")));
                }
            }
        }
        assertThat(ranges).as("every range in exactly one shard").hasSize(plan.ranges("public.events"))
                .doesNotHaveDuplicates();
        assertThat(rows).isEqualTo(20000);
        assertThat(missing).containsExactly("12345");
    }

    @Test
    void aShardCountOtherThanThePlansIsRefused(DatabasePair db, @TempDir Path dir) {
        db.both("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 10)");
        ShardPlan plan;
        try (Verifier planner = Verifier.builder().source(db.source().dataSource()).target(db.target().dataSource()).build()) {
            plan = planner.plan(1);
        }

        assertThatThrownBy(() -> Verifications.verify(db, builder -> builder.shard(plan, new Shard(0, 2))))
                .isInstanceOf(VerifyException.class).hasMessageContaining("split into 1 shards, not 2");
        assertThatThrownBy(() -> Verifications.verify(db, builder -> builder.shard(plan, Shard.WHOLE)
                .stateFile(dir.resolve("state")))).isInstanceOf(VerifyException.class).hasMessageContaining("state file");
        assertThat(Verifications.verify(db, builder -> builder.shard(plan, Shard.WHOLE)).matches()).isTrue();
    }
}
