package io.pgverify.internal.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * Files written whole and then renamed into place, so that a reader sees the old file or the new one, never half of
 * one, and so that nothing planted at a predictable name can redirect the write.
 *
 * <p>The new content goes to a file of a random name in the same directory (a rename across file systems is a copy),
 * created with {@code O_CREAT|O_EXCL}: that never opens an existing file and never follows a symbolic link, so a link
 * planted beside the target (say {@code report.partial -> ~/.bashrc}) is neither followed nor overwritten. The rename
 * replaces the final name itself; a symbolic link there is replaced, not written through. Permissions are set when
 * the file is created, so there is no moment at which a file meant for its owner alone is readable by others.
 */
public final class AtomicFiles {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    /** Who may read the file. */
    public enum Access {
        /** Mode 0600: for files that hold key values or anything else of the databases'. */
        OWNER_ONLY,
        /** What the process's umask allows, as for any file the user creates. */
        UMASK
    }

    /** Writes a file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code file} whole: to a new file beside it, then renamed over it. */
    public static void write(Path file, Access access, Content content) throws IOException {
        replace(file, access, content).close();
    }

    /**
     * Like {@link #write} but leaves the file open for appending: the stream stays the renamed file's whatever later
     * appears at its name, so appends never go anywhere else.
     *
     * <p>The stream is of {@link Files#newOutputStream}, which an interrupt does not close (a {@code FileChannel}
     * would be closed for good by the first write of an interrupted thread, and a verification that is interrupted
     * still writes its partial report and its verdicts). For the same reason nothing is forced to disk: a crash may
     * lose the newest content, never mix old and new.
     */
    public static OutputStream replace(Path file, Access access, Content content) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "." + randomSuffix() + ".tmp");
        // O_CREAT|O_EXCL with the mode: no existing file or link is opened, and no one else could open it before.
        Files.createFile(temporary, attributes(access));
        OutputStream out = null;
        boolean moved = false;
        try {
            out = Files.newOutputStream(temporary, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            content.writeTo(out);
            out.flush();
            try {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                // A rename within one directory is atomic on every local file system; some network ones say otherwise.
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            return out;
        } finally {
            if (!moved) {
                closeQuietly(out);
                Files.deleteIfExists(temporary);
            }
        }
    }

    private static FileAttribute<?>[] attributes(Access access) {
        if (access == Access.OWNER_ONLY && POSIX) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
        }
        return new FileAttribute<?>[0];
    }

    private static String randomSuffix() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void closeQuietly(OutputStream out) {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // the failure being handled is the one to report
        }
    }
}
