package io.pgverify.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.Difference;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;
import io.pgverify.Verifier;
import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

/**
 * Values of hundreds of megabytes, verified by a JVM with a 256 MB heap: the run ends with a verdict, and a failure
 * inside a read (here a real OutOfMemoryError in the driver, with large values read whole) ends it too, reported
 * with its cause. The verification runs in a child JVM, so the test's own heap proves nothing and risks nothing.
 */
@ExtendWith(PostgresPairExtension.class)
class LargeValuesIT {

    /** 200 MB of bytea, a 56 MB text of two-byte characters, and a small row. */
    private static final String[] TABLES = {
        "CREATE TABLE blobs (id integer PRIMARY KEY, payload bytea, note text)",
        "INSERT INTO blobs VALUES (1, convert_to(repeat('pgverify', 26214400), 'UTF8'), 'small'),"
                + " (2, '\\x00', repeat('naïve ', 8000000)), (3, 'abc', 'def')",
        "CREATE TABLE loose (payload bytea)",
        "INSERT INTO loose VALUES (convert_to(repeat('keyless ', 8388608), 'UTF8')), ('\\x01')"};

    @Test
    void valuesOfHundredsOfMegabytesAreComparedWithinA256MbHeap(DatabasePair db, @TempDir Path dir) throws Exception {
        db.both(TABLES);

        Child equal = runChild(db, dir, false);
        assertThat(equal.line("blobs HASHES")).as(equal.toString()).startsWith("blobs HASHES MATCH 0 ");
        assertThat(equal.line("blobs LAST_ROWS")).as(equal.toString()).startsWith("blobs LAST_ROWS MATCH 0 ");
        assertThat(equal.line("loose HASHES")).as(equal.toString()).startsWith("loose HASHES MATCH 0 ");

        // One byte in the middle of the 200 MB value, one character deep in the text.
        db.target().execute("UPDATE blobs SET payload = set_byte(payload, 123456789, 0) WHERE id = 1",
                "UPDATE blobs SET note = overlay(note PLACING 'X' FROM 30000000 FOR 1) WHERE id = 2");
        Child changed = runChild(db, dir, false);
        assertThat(changed.line("blobs HASHES")).as(changed.toString())
                .startsWith("blobs HASHES MISMATCH 2 ")
                .contains("DIFFERENT (id=1) [payload]", "DIFFERENT (id=2) [note]");
        assertThat(changed.line("loose HASHES")).as(changed.toString()).startsWith("loose HASHES MATCH 0 ");
    }

    @Test
    void anOutOfMemoryErrorInsideTheDriverEndsTheRunReportedWithItsCause(DatabasePair db, @TempDir Path dir) throws Exception {
        db.both(TABLES[0], TABLES[1]);

        // Large values read whole, as before they were digested: the driver runs out of heap inside a COPY.
        Child child = runChild(db, dir, true);

        assertThat(child.line("blobs HASHES")).as(child.toString())
                .startsWith("blobs HASHES INCOMPLETE ").contains("OutOfMemoryError");
    }

    private record Child(List<String> lines, String err) {
        String line(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix + " ")).findFirst().orElse("no line " + prefix);
        }

        @Override
        public String toString() {
            return String.join("\n", lines) + "\n--- stderr\n" + err;
        }
    }

    private static Child runChild(DatabasePair db, Path dir, boolean readWhole) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                db.source().jdbcUrl(), db.target().jdbcUrl(), db.source().user(), db.target().user(),
                Boolean.toString(readWhole)));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("PGVERIFY_TEST_SOURCE_PASSWORD", db.source().password());
        builder.environment().put("PGVERIFY_TEST_TARGET_PASSWORD", db.target().password());
        Process process = builder.start();
        // Before the fix the child hung for ever: a bound on "ends", not a timing.
        boolean ended = process.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        Child child = new Child(Files.readAllLines(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        assertThat(ended).as("the verification ended\n" + child).isTrue();
        assertThat(process.exitValue()).as(child.toString()).isZero();
        return child;
    }

    /** The child: verifies the two databases and prints one line per table and check. */
    public static final class Main {
        public static void main(String[] args) {
            if (Boolean.parseBoolean(args[4])) {
                TablePlan.largeValueBytes = Integer.MAX_VALUE;
            }
            Verifier.Builder builder = Verifier.builder()
                    .source(dataSource(args[0], args[2], System.getenv("PGVERIFY_TEST_SOURCE_PASSWORD")))
                    .target(dataSource(args[1], args[3], System.getenv("PGVERIFY_TEST_TARGET_PASSWORD")))
                    .threads(2)
                    .recheck(0, java.time.Duration.ZERO);
            VerificationReport report;
            try (Verifier verifier = builder.build()) {
                report = verifier.verify();
            }
            for (TableReport table : report.tables()) {
                for (CheckKind kind : List.of(CheckKind.HASHES, CheckKind.LAST_ROWS)) {
                    CheckResult check = table.check(kind).orElse(null);
                    if (check == null) {
                        continue;
                    }
                    StringBuilder line = new StringBuilder(table.name()).append(' ').append(kind).append(' ')
                            .append(check.outcome()).append(' ').append(check.differenceCount());
                    for (Difference difference : check.differences()) {
                        line.append(' ').append(difference.kind()).append(' ').append(difference.keyText()).append(' ')
                                .append(difference.columns());
                    }
                    System.out.println(line.append(" | ").append(check.message()));
                }
            }
        }

        private static PGSimpleDataSource dataSource(String url, String user, String password) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(url);
            dataSource.setUser(user);
            dataSource.setPassword(password);
            return dataSource;
        }
    }
}
