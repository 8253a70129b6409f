package io.pgverify.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pgverify.ConnectionSettings;
import io.pgverify.ErrorCode;
import io.pgverify.Outcome;
import io.pgverify.VerificationReport;
import io.pgverify.Verifier;
import io.pgverify.VerifyException;
import io.pgverify.internal.io.AtomicFiles;
import io.pgverify.report.ReportFormat;
import io.pgverify.report.ReportOptions;
import io.pgverify.report.ReportWriter;

/**
 * One verification as the command runs it: the verifier, the progress display, the report on stdout (or in a file with
 * the text summary on stdout) and the exit code from the verdict. Shared by {@code verify} and {@code demo}.
 */
final class Gate {

    private final Environment env;
    private final PrintWriter out;
    private final PrintWriter err;

    Gate(Environment env, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** The exit code of a verdict: the gate opens only on a match. */
    static int exitCode(Outcome outcome) {
        return switch (outcome) {
            case MATCH -> ExitCodes.MATCH;
            case MISMATCH -> ExitCodes.DIFFERENCES;
            // INCOMPLETE, and SKIPPED should it ever reach here: nothing proven, never 0.
            default -> ExitCodes.INCOMPLETE;
        };
    }

    int run(ConnectionSettings source, ConnectionSettings target, VerificationOptions verification, OutputOptions output) {
        Logger log = LoggerFactory.getLogger(Gate.class);
        Verifier.Builder builder = verification.applyTo(Verifier.builder().source(source).target(target), env);
        log.info("Verifying {} against {}", target, source);
        VerificationReport report;
        ProgressDisplay progress = output.quiet ? null : ProgressDisplay.on(err, env.interactive());
        // Ctrl-C: interrupt the verification, which returns what it has, marked interrupted; the hook waits until that
        // partial report is written, then the JVM exits with 130.
        Thread verifying = Thread.currentThread();
        java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            INTERRUPTED.set(true);
            verifying.interrupt();
            try {
                reported.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pgverify-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            try {
                if (progress != null) {
                    builder.progressListener(progress);
                }
                try (Verifier verifier = builder.build()) {
                    report = verifier.verify();
                }
            } finally {
                if (progress != null) {
                    progress.close();
                }
            }
            return report(report, source, target, output, log);
        } finally {
            reported.countDown();
            if (!INTERRUPTED.get()) {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            }
        }
    }

    /** Set once the JVM is shutting down on a signal: then nobody may call System.exit. */
    static final java.util.concurrent.atomic.AtomicBoolean INTERRUPTED = new java.util.concurrent.atomic.AtomicBoolean();

    private int report(VerificationReport report, ConnectionSettings source, ConnectionSettings target,
                       OutputOptions output, Logger log) {
        String toolVersion = PgVerify.version();
        boolean color = !output.noColor && env.colorAllowed();
        if (output.report == null) {
            write(report, output.format, new ReportOptions(toolVersion, color, source.toString(), target.toString()), out);
        } else {
            writeFile(report, output, new ReportOptions(toolVersion, false, source.toString(), target.toString()));
            log.info("Wrote the {} report to {}", output.format.label(), output.report);
            if (!output.quiet) {
                write(report, ReportFormat.TEXT, new ReportOptions(toolVersion, color, source.toString(), target.toString()), out);
            }
        }
        return report.interrupted() ? ExitCodes.INTERRUPTED : exitCode(report.outcome());
    }

    private static void write(VerificationReport report, ReportFormat format, ReportOptions options, PrintWriter out) {
        try {
            ReportWriter.of(format).write(report, options, out);
            out.flush();
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.QUERY_FAILED, "Could not write the report to stdout: " + e.getMessage(), null, e);
        }
    }

    /**
     * Written to a new file of a random name beside the report, created exclusively (a link planted there is neither
     * followed nor overwritten), then renamed into place, so that a runbook never reads half a report.
     */
    private static void writeFile(VerificationReport report, OutputOptions output, ReportOptions options) {
        try {
            AtomicFiles.write(output.report, AtomicFiles.Access.UMASK, out -> {
                Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                ReportWriter.of(output.format).write(report, options, writer);
                writer.flush();
            });
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.QUERY_FAILED, "Could not write the report to " + output.report + ": "
                    + e.getMessage() + "; check the path and free space.", null, e);
        }
    }
}
