package io.pgverify;

import static io.pgverify.Verifications.check;
import static io.pgverify.Verifications.verify;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

/** A long verification can be stopped and resumed from its state file; an interrupted one reports what it has. */
@ExtendWith(PostgresPairExtension.class)
class ResumeAndInterruptIT {

    private static final String TABLE = """
            CREATE TABLE readings (id bigint PRIMARY KEY, value float8);
            INSERT INTO readings SELECT g, g / 3.0 FROM generate_series(1, 20000) g;
            ANALYZE readings;
            """;

    @Test
    void anInterruptedRunResumesFromItsStateFile(DatabasePair db, @TempDir Path dir) throws Exception {
        db.both(TABLE);
        Path state = dir.resolve("pgverify.state");
        // With no chunk time, each planned range is read on its own; the resumed run below reads by time.
        VerificationReport first = verify(db, b -> b.checks(CheckKind.HASHES).chunkRows(2_000).chunkTime(Duration.ZERO)
                .stateFile(state));
        CheckResult firstHashes = check(first, "public.readings", CheckKind.HASHES);
        assertThat(firstHashes.outcome()).isEqualTo(Outcome.MATCH);
        List<String> lines = Files.readAllLines(state, StandardCharsets.UTF_8);
        List<String> done = lines.stream().filter(l -> l.startsWith("done ")).toList();
        assertThat(done).hasSizeGreaterThan(2).allSatisfy(l -> assertThat(l).contains(" MATCH "));
        assertThat(done).hasSameSizeAs(lines.stream().filter(l -> l.startsWith("range ")).toList());
        assertThat(firstHashes.message()).contains("compared in " + done.size() + " key ranges");

        // As if the run had been killed after its first few reads: keep only two verdicts.
        List<String> cut = new ArrayList<>(lines.stream().filter(l -> !l.startsWith("done ")).toList());
        cut.addAll(done.subList(0, 2));
        Files.write(state, cut, StandardCharsets.UTF_8);
        VerificationReport resumed = verify(db, b -> b.checks(CheckKind.HASHES).chunkRows(2_000).stateFile(state));
        CheckResult resumedHashes = check(resumed, "public.readings", CheckKind.HASHES);
        assertThat(resumedHashes.outcome()).isEqualTo(Outcome.MATCH);
        assertThat(resumedHashes.message()).contains("2 of ").contains(" key ranges already verified as matching");
        assertThat(resumedHashes.rowsCompared()).isEqualTo(20000);

        // The resumed run read exactly the planned ranges the two kept verdicts do not cover, each once.
        List<String> after = Files.readAllLines(state, StandardCharsets.UTF_8);
        long planned = after.stream().filter(l -> l.startsWith("range ")).count();
        List<Integer> covered = new ArrayList<>();
        for (String line : after.stream().filter(l -> l.startsWith("done ")).toList()) {
            String[] extent = line.split(" ")[2].split("-");
            int from = Integer.parseInt(extent[0]);
            int through = Integer.parseInt(extent[extent.length - 1]);
            for (int index = from; index <= through; index++) {
                covered.add(index);
            }
        }
        assertThat(covered).hasSize((int) planned).doesNotHaveDuplicates();

        // A range verified as matching is not read again; --fresh reads everything and finds the change.
        db.target().execute("UPDATE readings SET value = -1 WHERE id = 19999");
        assertThat(verify(db, b -> b.checks(CheckKind.HASHES).chunkRows(2_000).stateFile(state)).outcome())
                .isEqualTo(Outcome.MATCH);
        VerificationReport fresh = verify(db, b -> b.checks(CheckKind.HASHES).chunkRows(2_000).stateFile(state).fresh(true));
        assertThat(check(fresh, "public.readings", CheckKind.HASHES).differences())
                .extracting(Difference::keyText).containsExactly("(id=19999)");
        assertThat(Files.readAllLines(state, StandardCharsets.UTF_8)).anySatisfy(l -> assertThat(l).contains(" MISMATCH "));
    }

    @Test
    void anInterruptedVerificationReturnsAPartialReportMarkedInterrupted(DatabasePair db) throws Exception {
        db.both(TABLE);
        AtomicReference<Thread> runner = new AtomicReference<>();
        CompletableFuture<VerificationReport> report = CompletableFuture.supplyAsync(() -> {
            runner.set(Thread.currentThread());
            // Ten planned ranges read one by one: the interrupt lands between or inside them.
            return verify(db, b -> b.checks(CheckKind.COUNTS, CheckKind.HASHES).maxRowsPerSecond(2_000).threads(1)
                    .chunkRows(2_000).chunkTime(Duration.ZERO));
        });
        while (runner.get() == null) {
            Thread.sleep(10);
        }
        Thread.sleep(1500); // well into the hash check, which needs about 10 s at this rate
        runner.get().interrupt();
        VerificationReport partial = report.get();
        assertThat(partial.interrupted()).isTrue();
        assertThat(partial.outcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(partial.warnings()).anySatisfy(w -> assertThat(w).contains("interrupted"));
        CheckResult hashes = check(partial, "public.readings", CheckKind.HASHES);
        assertThat(hashes.outcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(hashes.message()).contains("interrupted");
        assertThat(hashes.rowsCompared()).isLessThan(20_000);
    }
}
