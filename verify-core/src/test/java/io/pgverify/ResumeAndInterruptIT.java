package io.pgverify;

import static io.pgverify.Verifications.check;
import static io.pgverify.Verifications.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import io.pgverify.embedded.ServerPair;

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
        // The file holds key values: readable by its owner alone.
        assertThat(Files.getPosixFilePermissions(state)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        assertThat(lines).last().asString().startsWith("finished ");
        // As if the run had been killed after its first few reads: keep only two verdicts, and no end.
        List<String> cut = new ArrayList<>(lines.stream().filter(l -> !l.startsWith("done ") && !l.startsWith("finished ")).toList());
        cut.addAll(done.subList(0, 2));
        Files.write(state, cut, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-r--r--"));
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

        // Resuming writes the file anew: its owner's alone again, though the cut copy above was readable by all.
        assertThat(Files.getPosixFilePermissions(state)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aStateFileOfOtherDatabasesIsRefusedAndFreshStartsItAnew(DatabasePair db, ServerPair servers, @TempDir Path dir)
            throws Exception {
        db.both(TABLE);
        Path state = dir.resolve("pgverify.state");
        assertThat(verify(db, b -> b.checks(CheckKind.HASHES).chunkRows(2_000).stateFile(state)).outcome())
                .isEqualTo(Outcome.MATCH);
        // Other databases, where one row differs: the verdicts recorded for the first pair say nothing about them.
        DatabasePair other = servers.newDatabases();
        other.both(TABLE);
        other.target().execute("UPDATE readings SET value = -1 WHERE id = 19999");

        assertThatThrownBy(() -> verify(other, b -> b.checks(CheckKind.HASHES).chunkRows(2_000).stateFile(state)))
                .isInstanceOfSatisfying(VerifyException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.getMessage()).contains("The state file " + state + " records a verification whose source was")
                            .contains("run with --fresh").doesNotContain("\n");
                });

        VerificationReport fresh = verify(other, b -> b.checks(CheckKind.HASHES).chunkRows(2_000).stateFile(state).fresh(true));
        assertThat(check(fresh, "public.readings", CheckKind.HASHES).differences())
                .extracting(Difference::keyText).containsExactly("(id=19999)");
        assertThat(fresh.warnings()).anySatisfy(w -> assertThat(w).contains("records a verification whose source was")
                .contains("--fresh starts it anew"));
        assertThat(Files.readAllLines(state, StandardCharsets.UTF_8)).anySatisfy(l -> assertThat(l).contains(" MISMATCH "));
        // Now the file is the other pair's: the first pair's run is refused in turn, and so are other options.
        assertThatThrownBy(() -> verify(db, b -> b.checks(CheckKind.HASHES).chunkRows(2_000).stateFile(state)))
                .isInstanceOf(VerifyException.class).hasMessageContaining("records a verification whose source was");
        assertThatThrownBy(() -> verify(other, b -> b.checks(CheckKind.HASHES).chunkRows(4_000).stateFile(state)))
                .isInstanceOf(VerifyException.class)
                .hasMessageContaining("records a verification with mode=stream chunk-rows=2000, not mode=stream chunk-rows=4000");
    }

    @Test
    void aFinishedRunIsNotResumedSoDataChangedSinceIsRead(DatabasePair db, @TempDir Path dir) {
        db.both(TABLE);
        Path state = dir.resolve("pgverify.state");
        assertThat(verify(db, b -> b.checks(CheckKind.HASHES).chunkRows(2_000).stateFile(state)).outcome())
                .isEqualTo(Outcome.MATCH);
        // The same databases, options and tables, verified again later ("early and often"): a row changed since.
        db.target().execute("UPDATE readings SET value = -1 WHERE id = 7");

        VerificationReport later = verify(db, b -> b.checks(CheckKind.HASHES).chunkRows(2_000).stateFile(state));

        CheckResult hashes = check(later, "public.readings", CheckKind.HASHES);
        assertThat(hashes.differences()).extracting(Difference::keyText).containsExactly("(id=7)");
        assertThat(hashes.rowsCompared()).isEqualTo(20000);
        assertThat(later.warnings()).anySatisfy(w -> assertThat(w).contains("records a verification that finished at")
                .contains("everything is verified again"));
    }

    @Test
    void aTableWhoseDefinitionChangedIsVerifiedAgainInFull(DatabasePair db, @TempDir Path dir) {
        db.both(TABLE);
        Path state = dir.resolve("pgverify.state");
        assertThat(verify(db, b -> b.checks(CheckKind.HASHES).chunkRows(2_000).stateFile(state)).outcome())
                .isEqualTo(Outcome.MATCH);
        asIfInterrupted(state);
        // The column the verdicts were about is now of another type: the recorded verdicts are not about these rows.
        db.both("ALTER TABLE readings ALTER COLUMN value TYPE numeric");
        db.target().execute("UPDATE readings SET value = -1 WHERE id = 19999");

        VerificationReport again = verify(db, b -> b.checks(CheckKind.HASHES).chunkRows(2_000).stateFile(state));

        CheckResult hashes = check(again, "public.readings", CheckKind.HASHES);
        assertThat(hashes.differences()).extracting(Difference::keyText).containsExactly("(id=19999)");
        assertThat(hashes.message()).doesNotContain("state file");
        assertThat(hashes.rowsCompared()).isEqualTo(20000);
        assertThat(again.warnings()).anySatisfy(w -> assertThat(w)
                .contains("The definition of public.readings changed since the state file").contains("verified again in full"));
    }

    @Test
    void aStateFileThatIsASymbolicLinkIsRefusedAndItsTargetLeftAlone(DatabasePair db, @TempDir Path dir) throws Exception {
        db.both(TABLE);
        Path precious = Files.writeString(dir.resolve("precious.txt"), "keep me");
        Path state = Files.createSymbolicLink(dir.resolve("pgverify.state"), precious);

        for (boolean fresh : new boolean[] {false, true}) {
            assertThatThrownBy(() -> verify(db, b -> b.checks(CheckKind.HASHES).stateFile(state).fresh(fresh)))
                    .isInstanceOfSatisfying(VerifyException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                    .hasMessage("The state file " + state + " is a symbolic link, which pgverify does not follow: name the file itself.");
        }
        assertThat(precious).hasContent("keep me");
        assertThat(Files.isSymbolicLink(state)).isTrue();
    }

    @Test
    void anInterruptedVerificationReturnsAPartialReportMarkedInterrupted(DatabasePair db) throws Exception {
        db.both(TABLE);
        AtomicReference<Thread> runner = new AtomicReference<>();
        java.util.concurrent.CountDownLatch hashing = new java.util.concurrent.CountDownLatch(1);
        ProgressListener hashed = new ProgressListener() {
            @Override
            public void rowsCompared(String table, long rows) {
                hashing.countDown();
            }
        };
        CompletableFuture<VerificationReport> report = CompletableFuture.supplyAsync(() -> {
            runner.set(Thread.currentThread());
            // Ten planned ranges read one by one: the interrupt lands between or inside them.
            return verify(db, b -> b.checks(CheckKind.COUNTS, CheckKind.HASHES).maxRowsPerSecond(2_000).threads(1)
                    .chunkRows(2_000).chunkTime(Duration.ZERO).progressListener(hashed));
        });
        // The hash check has compared its first rows (about 10 s of them at this rate): interrupt it now.
        assertThat(hashing.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the hash check started").isTrue();
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

    /** Drops the record of the run's end, as a kill before it would have. */
    private static void asIfInterrupted(Path state) {
        try {
            List<String> lines = Files.readAllLines(state, StandardCharsets.UTF_8);
            Files.write(state, lines.stream().filter(l -> !l.startsWith("finished ")).toList(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
