package io.pgverify.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.pgverify.embedded.EmbeddedPostgres;

/**
 * CPU time spent by this JVM and by each PostgreSQL server (the postmaster, its live children, and the children it has
 * reaped, which Linux adds to the postmaster's {@code cutime}/{@code cstime}). Wall time on a shared 2-core machine
 * is noisy; CPU time says who did the work. Linux only: elsewhere it reports -1.
 */
final class CpuMeter {

    /** CPU nanoseconds of the JVM, the source server and the target server at one moment. */
    record Snapshot(long jvm, long source, long target) {
        Snapshot minus(Snapshot earlier) {
            return new Snapshot(jvm - earlier.jvm, diff(source, earlier.source), diff(target, earlier.target));
        }

        private static long diff(long now, long then) {
            return now < 0 || then < 0 ? -1 : now - then;
        }
    }

    private static final Path PROC = Path.of("/proc");

    private final long sourcePostmaster;
    private final long targetPostmaster;
    private final long nanosPerTick;

    CpuMeter(EmbeddedPostgres source, EmbeddedPostgres target) {
        this.sourcePostmaster = postmasterPid(source);
        this.targetPostmaster = postmasterPid(target);
        this.nanosPerTick = 1_000_000_000L / clockTicksPerSecond();
    }

    boolean serversMeasured() {
        return sourcePostmaster > 0 && targetPostmaster > 0;
    }

    Snapshot snapshot() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long source = 0;
        long target = 0;
        if (!serversMeasured()) {
            return new Snapshot(jvm, -1, -1);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                long[] fields = stat(pid);
                if (fields == null) {
                    continue; // exited meanwhile
                }
                long ppid = fields[0];
                if (pid == sourcePostmaster) {
                    source += fields[1] + fields[2] + fields[3] + fields[4];
                } else if (pid == targetPostmaster) {
                    target += fields[1] + fields[2] + fields[3] + fields[4];
                } else if (ppid == sourcePostmaster) {
                    source += fields[1] + fields[2];
                } else if (ppid == targetPostmaster) {
                    target += fields[1] + fields[2];
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Snapshot(jvm, -1, -1);
        }
        return new Snapshot(jvm, source * nanosPerTick, target * nanosPerTick);
    }

    /** ppid, utime, stime, cutime, cstime (ticks) from {@code /proc/<pid>/stat}, or null when it is gone. */
    private static long[] stat(long pid) {
        String text;
        try {
            text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
        } catch (IOException e) {
            return null;
        }
        // The command name in parentheses may hold spaces: fields are counted from the last ')'.
        String[] f = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state): ppid is field 4, utime..cstime fields 14..17.
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                Long.parseLong(f[14])};
    }

    private static long postmasterPid(EmbeddedPostgres server) {
        try {
            String first = Files.readAllLines(server.dataDirectory().resolve("postmaster.pid")).get(0).trim();
            long pid = Long.parseLong(first);
            return Files.exists(PROC.resolve(first)) ? pid : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long clockTicksPerSecond() {
        try {
            Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).trim();
            process.waitFor();
            long ticks = Long.parseLong(out);
            return ticks > 0 ? ticks : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
