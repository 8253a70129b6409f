package io.pgverify.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pgverify.ConnectionSettings;
import io.pgverify.ErrorCode;
import io.pgverify.Fleet;
import io.pgverify.FleetReport;
import io.pgverify.PairReport;
import io.pgverify.Redactor;
import io.pgverify.Setting;
import io.pgverify.Shard;
import io.pgverify.Verifier;
import io.pgverify.VerifyException;
import io.pgverify.internal.io.AtomicFiles;
import io.pgverify.internal.shard.PairPlanFile;
import io.pgverify.report.FleetReportWriter;
import io.pgverify.report.ReportFormat;
import io.pgverify.report.ReportOptions;

/**
 * {@code verify --pairs FILE} as the command runs it: the file read, this process's shard of it, the pairs verified by
 * a {@link Fleet}, a line on stderr as each pair ends, the fleet's report and the exit code from its verdict.
 */
final class FleetRun {

    private static final Logger LOG = LoggerFactory.getLogger(FleetRun.class);

    private final Environment env;
    private final PrintWriter out;
    private final PrintWriter err;

    FleetRun(Environment env, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /**
     * @param redactor told of the redactor that masks every pair's passwords as soon as the file is read, so that a
     *                 failure after that is printed without them
     */
    int run(PairsOptions pairs, VerificationOptions verification, OutputOptions output, Consumer<Redactor> redactor) {
        return run(pairs, null, verification, output, redactor);
    }

    /**
     * As {@link #run(PairsOptions, VerificationOptions, OutputOptions, Consumer)}, for one shard of a plan of pairs
     * ({@code verify --plan FILE --shard I/N}): the pairs file the plan names, the pairs the plan put in this shard, and
     * the plan's digest in the report.
     *
     * @param plan the plan, or null to deal the pairs of {@code pairs.file} round-robin
     */
    int run(PairsOptions pairs, PairPlanFile plan, VerificationOptions verification, OutputOptions output,
            Consumer<Redactor> redactor) {
        java.nio.file.Path file = plan == null ? pairs.file : java.nio.file.Path.of(plan.pairsFile());
        List<PairSpec> all = PairsFile.read(file, env.variables());
        List<ConnectionSettings> sides = new ArrayList<>();
        for (PairSpec pair : all) {
            sides.add(pair.source());
            sides.add(pair.target());
        }
        redactor.accept(Redactor.of(sides.toArray(ConnectionSettings[]::new)));
        Shard shard = pairs.shard();
        List<PairSpec> mine = plan != null ? planned(plan, all, shard, file)
                : shard == null ? all : PairsFile.shard(all, shard);
        if (mine.isEmpty()) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "--shard " + shard + " holds no pair: "
                    + file + " lists " + all.size() + ", so use at most " + all.size() + " shards.");
        }
        Fleet.Builder fleet = Fleet.builder()
                .maxParallelPairs(pairs.maxParallelPairs())
                .maxConnectionsPerHost(pairs.maxConnectionsPerHost())
                .shard(shard);
        if (!output.quiet) {
            fleet.listener(new Lines(err));
        }
        Map<Setting, VerificationOptions.Given> given = verification.given(env);
        for (PairSpec pair : mine) {
            fleet.pair(pair.name(), verifier(pair, given));
        }
        Fleet built = fleet.build();
        LOG.info("Verifying {} of the {} pairs of {}{}", mine.size(), all.size(), file,
                shard == null ? "" : " (shard " + shard + ")");

        // Ctrl-C: interrupt the fleet, whose pairs return what they have, marked interrupted; the hook waits until
        // that report is written, then the JVM exits with 130 (as Gate does for one pair).
        Thread verifying = Thread.currentThread();
        CountDownLatch reported = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            Gate.INTERRUPTED.set(true);
            verifying.interrupt();
            try {
                reported.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pgverify-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            FleetReport report = built.verify();
            boolean interrupted = Thread.interrupted() || Gate.INTERRUPTED.get();
            ReportOptions options = new ReportOptions(PgVerify.version(), !output.noColor && env.colorAllowed(),
                    null, null);
            if (shard != null) {
                options = options.withShard(plan != null ? plan.digest() : PairsFile.digest(all, shard.count()), shard);
            }
            write(report, options, output);
            return interrupted ? ExitCodes.INTERRUPTED : Gate.exitCode(report.outcome());
        } finally {
            reported.countDown();
            if (!Gate.INTERRUPTED.get()) {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            }
        }
    }

    /**
     * The pairs the plan put in this shard; refused when the pairs file no longer lists the pairs planned (added,
     * removed or pointed elsewhere since): a pair planned in no shard would be verified by none.
     */
    private static List<PairSpec> planned(PairPlanFile plan, List<PairSpec> all, Shard shard, java.nio.file.Path file) {
        java.util.Map<String, String> planned = new java.util.TreeMap<>();
        plan.pairs().forEach(pair -> planned.put(pair.name(), pair.identity()));
        java.util.Map<String, String> listed = new java.util.TreeMap<>();
        all.forEach(pair -> listed.put(pair.name(), pair.identity()));
        if (!planned.equals(listed)) {
            String changed = null;
            for (String name : listed.keySet()) {
                if (!listed.get(name).equals(planned.get(name))) {
                    changed = name;
                    break;
                }
            }
            if (changed == null) {
                changed = planned.keySet().stream().filter(name -> !listed.containsKey(name)).findFirst().orElse("?");
            }
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "The pairs file " + file + " changed since the"
                    + " plan was made (pair " + changed + " was added, removed or points elsewhere): make a new plan"
                    + " with 'pgverify plan --pairs'.");
        }
        java.util.Set<String> mine = new java.util.HashSet<>(plan.pairsOf(shard.index()));
        List<PairSpec> selected = new ArrayList<>();
        for (PairSpec pair : all) {
            if (mine.contains(pair.name())) {
                selected.add(pair);
            }
        }
        return selected;
    }

    /**
     * The pair's verifier: the built-in defaults, under the file's {@code defaults:}, under the {@code PGVERIFY_*}
     * variables, under the flags, under the pair's own keys: the more particular wins.
     */
    private static Verifier.Builder verifier(PairSpec pair, Map<Setting, VerificationOptions.Given> given) {
        Verifier.Builder builder = Verifier.builder().source(pair.source()).target(pair.target());
        pair.settings().forEach((setting, value) -> {
            if (value.fromDefaults()) {
                builder.set(setting, value.text(), value.origin());
            }
        });
        given.forEach((setting, value) -> builder.set(setting, value.text(), value.as()));
        pair.settings().forEach((setting, value) -> {
            if (!value.fromDefaults()) {
                builder.set(setting, value.text(), value.origin());
            }
        });
        return builder;
    }

    private void write(FleetReport report, ReportOptions options, OutputOptions output) {
        if (output.report == null) {
            write(report, output.format, options, out);
            return;
        }
        ReportOptions plain = new ReportOptions(options.toolVersion(), false, null, null, options.planDigest(),
                options.shard());
        try {
            AtomicFiles.write(output.report, AtomicFiles.Access.UMASK, stream -> {
                Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                FleetReportWriter.of(output.format).write(report, plain, writer);
                writer.flush();
            });
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.QUERY_FAILED, "Could not write the report to " + output.report + ": "
                    + e.getMessage() + "; check the path and free space.", null, e);
        }
        LOG.info("Wrote the {} report to {}", output.format.label(), output.report);
        if (!output.quiet) {
            write(report, ReportFormat.TEXT, options, out);
        }
    }

    private static void write(FleetReport report, ReportFormat format, ReportOptions options, PrintWriter out) {
        try {
            FleetReportWriter.of(format).write(report, options, out);
            out.flush();
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.QUERY_FAILED, "Could not write the report to stdout: " + e.getMessage(),
                    null, e);
        }
    }

    /** One line per pair as it starts and ends, prefixed with its name, so that pairs running at once stay readable. */
    private record Lines(PrintWriter err) implements Fleet.Listener {
        @Override
        public void pairStarted(String name) {
            synchronized (err) {
                err.println("pgverify: [" + name + "] started");
                err.flush();
            }
        }

        @Override
        public void pairFinished(PairReport pair) {
            String line = "pgverify: [" + pair.name() + "] " + pair.outcome().name().toLowerCase(java.util.Locale.ROOT)
                    + " in " + seconds(pair.duration().toMillis())
                    + (pair.error() != null ? ": " + pair.error()
                    : pair.report().interrupted() ? " (interrupted)" : "");
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        }

        private static String seconds(long millis) {
            return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
        }
    }
}
