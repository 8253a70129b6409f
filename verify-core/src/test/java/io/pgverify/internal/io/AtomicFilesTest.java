package io.pgverify.internal.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    private static void text(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void replacesALinkAtTheFinalNameInsteadOfWritingThroughIt(@TempDir Path dir) throws IOException {
        Path precious = Files.writeString(dir.resolve("precious"), "keep me");
        Path file = Files.createSymbolicLink(dir.resolve("report.json"), precious);

        AtomicFiles.write(file, AtomicFiles.Access.UMASK, out -> text(out, "{}"));

        assertThat(precious).hasContent("keep me");
        assertThat(Files.isSymbolicLink(file)).isFalse();
        assertThat(file).hasContent("{}");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").hasSize(2);
        }
    }

    @Test
    void ownerOnlyFilesAreCreatedThatWayAndReplaceABroaderOne(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("state"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        AtomicFiles.write(file, AtomicFiles.Access.OWNER_ONLY, out -> text(out, "new"));

        assertThat(file).hasContent("new");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryOne(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("report.json"), "old");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicFiles.write(file, AtomicFiles.Access.UMASK, out -> {
            text(out, "half");
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(file).hasContent("old");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void anInterruptedThreadStillWritesAndAppends(@TempDir Path dir) throws IOException {
        // An interrupted verification writes its partial report and its last verdicts on interrupted threads.
        Path file = dir.resolve("state");
        Thread.currentThread().interrupt();
        try (OutputStream out = AtomicFiles.replace(file, AtomicFiles.Access.OWNER_ONLY, o -> text(o, "head\n"))) {
            text(out, "appended\n");
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(file).hasContent("head\nappended");
    }
}
