package io.pgverify.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pgverify.ConnectionSettings;
import io.pgverify.ErrorCode;
import io.pgverify.Outcome;
import io.pgverify.Shard;
import io.pgverify.ShardPlan;
import io.pgverify.VerificationReport;
import io.pgverify.Verifier;
import io.pgverify.VerifyException;
import io.pgverify.internal.io.AtomicFiles;
import io.pgverify.report.ReportFormat;
import io.pgverify.report.ReportOptions;
import io.pgverify.report.ReportWriter;
import io.pgverify.report.ShardCoverage;

/**
 * One verification as the command runs it: the verifier, the progress display, the report on stdout (or in a file with
 * the text summary on stdout) and the exit code from the verdict. Shared by {@code verify} and {@code demo}.
 */
final class Gate {

    private final Environment env;
    private final PrintWriter out;
    private final PrintWriter err;
    /** The plan whose shard this gate verifies, or null. */
    private ShardPlan plan;
    private Shard shard;

    Gate(Environment env, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** Verifies only {@code shard} of {@code plan} (both null: everything), and says so in the report. */
    Gate forShard(ShardPlan plan, Shard shard) {
        this.plan = plan;
        this.shard = plan == null ? null : shard;
        return this;
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
        if (plan != null) {
            builder.shard(plan, shard);
        }
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
            write(report, output.format, sharded(new ReportOptions(toolVersion, color, source.toString(), target.toString())), out);
        } else {
            writeFile(report, output, sharded(new ReportOptions(toolVersion, false, source.toString(), target.toString())));
            log.info("Wrote the {} report to {}", output.format.label(), output.report);
            if (!output.quiet) {
                write(report, ReportFormat.TEXT, new ReportOptions(toolVersion, color, source.toString(), target.toString()), out);
            }
        }
        return report.interrupted() ? ExitCodes.INTERRUPTED : exitCode(report.outcome());
    }

    /** The options of a shard's report: the plan's digest and which shard it is. */
    private ReportOptions sharded(ReportOptions options) {
        return plan == null ? options : options.withShard(plan.digest(), shard);
    }

    /**
     * The writer of a format; a shard's JSON report also lists the key ranges of each planned table it covers, which
     * merge-reports checks.
     */
    private ReportWriter writer(ReportFormat format) {
        if (plan == null || format != ReportFormat.JSON) {
            return ReportWriter.of(format);
        }
        List<ShardCoverage> coverage = new ArrayList<>();
        for (String table : plan.tables()) {
            coverage.add(new ShardCoverage(table, plan.ranges(table), plan.rangesOf(table, shard.index())));
        }
        return ShardCoverage.jsonWriter(coverage);
    }

    private void write(VerificationReport report, ReportFormat format, ReportOptions options, PrintWriter out) {
        try {
            writer(format).write(report, options, out);
            out.flush();
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.QUERY_FAILED, "Could not write the report to stdout: " + e.getMessage(), null, e);
        }
    }

    /**
     * Written to a new file of a random name beside the report, created exclusively (a link planted there is neither
     * followed nor overwritten), then renamed into place, so that a runbook never reads half a report.
     */
    private void writeFile(VerificationReport report, OutputOptions output, ReportOptions options) {
        try {
            AtomicFiles.write(output.report, AtomicFiles.Access.UMASK, out -> {
                Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                writer(output.format).write(report, options, writer);
                writer.flush();
            });
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.QUERY_FAILED, "Could not write the report to " + output.report + ": "
                    + e.getMessage() + "; check the path and free space.", null, e);
        }
    }
}
