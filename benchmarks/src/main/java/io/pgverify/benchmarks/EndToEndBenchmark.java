package io.pgverify.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.CompareMode;
import io.pgverify.ConnectionSettings;
import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.Outcome;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;
import io.pgverify.Verifier;
import io.pgverify.VerifyException;
import io.pgverify.embedded.EmbeddedPostgres;
import io.pgverify.embedded.PostgresServer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The end-to-end benchmark of issue 4: how long a verification takes compared with the floor, the time it takes just
 * to read both tables once.
 *
 * <p>It starts PostgreSQL 13 (source) and 17 (target) from the embedded binaries, fills a pgbench_accounts-shaped
 * table ({@code aid int primary key, bid int, abalance int, filler char(84)}) with the same rows on both, and then
 * times, in every round and in a rotating order: (a) the floor, both tables read in key order at the same time with
 * binary COPY into a discarding sink; (b) a verification with all checks; (c) the same with one row changed on the
 * target, whose key the report must name. Verdicts are checked every time; a wrong one ends the run with exit code 1.
 * Timings never fail the run: they are printed, with the ratios b/a and c/b, and written as JSON on request.
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar io.pgverify.benchmarks.EndToEndBenchmark --scale 5000000
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar io.pgverify.benchmarks.EndToEndBenchmark --quick --json e2e.json
 * </pre>
 */
@Command(name = "EndToEndBenchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Times pgverify against the floor (reading both tables once) on real PostgreSQL 13 -> 17 servers.",
            "Run with -Xmx256m, as issue 4 demands."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every verification gave the right verdict (timings never fail a run)",
            "1:a verification gave a wrong verdict",
            "2:invalid options",
            "3:the benchmark could not run (a server did not start, a query failed)"})
public final class EndToEndBenchmark implements Callable<Integer> {

    static final String DATABASE = "bench";
    static final long DEFAULT_SCALE = 5_000_000;
    static final int DEFAULT_ROUNDS = 5;
    static final long QUICK_SCALE = 50_000;
    static final int QUICK_ROUNDS = 2;
    /** Issue 4's targets: verify within 1.5x the floor, one changed row within 10 % of a clean run. */
    static final double TARGET_VERIFY_TO_FLOOR = 1.5;
    static final double TARGET_CHANGED_TO_VERIFY = 1.10;

    static final int EXIT_WRONG_VERDICT = 1;
    static final int EXIT_COULD_NOT_RUN = 3;

    /** What is timed. */
    enum Phase {
        FLOOR("floor", "floor (a)"),
        VERIFY("verify", "verify (b)"),
        VERIFY_CHANGED("verify-changed", "verify, 1 change (c)");

        final String label;
        final String title;

        Phase(String label, String title) {
            this.label = label;
            this.title = title;
        }
    }

    /** One timed run of one phase. */
    record Measurement(int round, Phase phase, long nanos, HeapMeter.Peak heap, CpuMeter.Snapshot cpu, long bytes,
                       Map<String, Object> checks) {
        double seconds() {
            return nanos / 1e9;
        }
    }

    /** A verification that did not give the verdict it had to. */
    static final class WrongVerdict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrongVerdict(String message) {
            super(message);
        }
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--scale", paramLabel = "ROWS",
            description = "Rows in pgbench_accounts on each side (default " + DEFAULT_SCALE + "; " + QUICK_SCALE + " with --quick).")
    private Long scale;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Timed rounds, each running every phase once (default " + DEFAULT_ROUNDS + "; " + QUICK_ROUNDS + " with --quick).")
    private Integer rounds;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "The verifier's threads (default ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--chunk-rows", paramLabel = "ROWS", defaultValue = "" + Verifier.DEFAULT_CHUNK_ROWS,
            description = "The verifier's rows per planned key range (default ${DEFAULT-VALUE}, the library's default).")
    private long chunkRows;

    @Option(names = "--chunk-time-ms", paramLabel = "MILLIS", defaultValue = "" + 1000,
            description = "The verifier's chunk time in milliseconds, 0 to read each planned range alone"
                    + " (default ${DEFAULT-VALUE}, the library's default).")
    private long chunkTimeMillis;

    @Option(names = "--checks", paramLabel = "CHECK", split = ",",
            description = "The verifier's checks (default all, as issue 4's figures require; others are for experiments).")
    private List<String> checkLabels;

    @Option(names = "--warmups", paramLabel = "N", defaultValue = "1",
            description = "Untimed runs of the floor and of a verification before the rounds (default ${DEFAULT-VALUE}).")
    private int warmups;

    @Option(names = "--phases", paramLabel = "PHASE", split = ",",
            description = "Which phases to time: floor, verify, verify-changed (default all; e.g. verify alone to profile it).")
    private List<String> phaseLabels;

    @Option(names = "--quick", description = "The short form for CI: " + QUICK_SCALE + " rows, " + QUICK_ROUNDS + " rounds, well under a minute.")
    private boolean quick;

    @Option(names = "--keep", description = "Leave both servers running at the end (their ports and password files are printed).")
    private boolean keep;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE (a CI artifact).")
    private Path json;

    @Option(names = "--verbose", description = "Log the library's and the servers' INFO messages on stderr.")
    private boolean verbose;

    private PrintWriter out;

    public static void main(String[] args) {
        // Before any logger exists: the benchmark's output is the report on stdout, not the library's INFO lines.
        boolean verbose = Arrays.asList(args).contains("--verbose");
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        }
        CommandLine commandLine = new CommandLine(new EndToEndBenchmark());
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("The benchmark could not run: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return EXIT_COULD_NOT_RUN;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        long rows = scale != null ? scale : quick ? QUICK_SCALE : DEFAULT_SCALE;
        int roundCount = rounds != null ? rounds : quick ? QUICK_ROUNDS : DEFAULT_ROUNDS;
        List<Phase> phases = phases();
        if (rows < 1_000) {
            throw new ParameterException(spec.commandLine(), "--scale must be at least 1000, not " + rows);
        }
        if (roundCount < 1 || warmups < 0) {
            throw new ParameterException(spec.commandLine(), "--rounds must be at least 1 and --warmups not negative");
        }
        // The verifier checks threads and chunk rows itself: ask it now, not after minutes of data generation.
        try (Verifier ignored = Verifier.builder().source(ConnectionSettings.builder().database("x").build())
                .target(ConnectionSettings.builder().database("x").build()).threads(threads).chunkRows(chunkRows)
                .chunkTime(Duration.ofMillis(chunkTimeMillis)).checks(checks()).build()) {
            // only built, never connected
        } catch (VerifyException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!checks().contains(CheckKind.HASHES)) {
            throw new ParameterException(spec.commandLine(), "--checks must include hashes: the benchmark times full comparisons");
        }

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("benchmark", "pgverify end-to-end");
        results.put("startedAt", Instant.now().toString());
        results.put("scale", rows);
        results.put("rounds", roundCount);
        results.put("threads", threads);
        results.put("chunkRows", chunkRows);
        results.put("chunkTimeMillis", chunkTimeMillis);
        results.put("quick", quick);
        results.put("checks", checks().stream().map(CheckKind::label).toList());
        results.put("machine", machine());

        Map<String, String> versions = EmbeddedPostgres.bundledVersions();
        Map<String, String> settings = serverSettings(rows);
        out.printf(Locale.ROOT, "pgverify end-to-end benchmark: %,d rows of pgbench_accounts, PostgreSQL %s -> %s%n",
                rows, versions.get("source"), versions.get("target"));
        out.printf(Locale.ROOT, "  verifier: threads %d, chunk rows %,d, chunk time %d ms, checks %s; %d round(s) of %s; JVM max heap %d MB%n",
                threads, chunkRows, chunkTimeMillis, checks().size() == CheckKind.values().length ? "all" : checks().stream().map(CheckKind::label).toList(),
                roundCount, phases.stream().map(p -> p.label).toList(),
                Runtime.getRuntime().maxMemory() >> 20);
        out.printf(Locale.ROOT, "  machine: %d CPUs, load average %s%n", Runtime.getRuntime().availableProcessors(), loadAverage());
        out.printf(Locale.ROOT, "  server settings (both): %s%n", settings);
        out.flush();

        Servers servers = new Servers(keep);
        try {
            long started = System.nanoTime();
            servers.start(versions.get("source"), versions.get("target"), settings);
            out.printf(Locale.ROOT, "servers started in %.1f s%n", seconds(started));
            out.flush();

            started = System.nanoTime();
            both(() -> load(servers.source, rows), () -> load(servers.target, rows));
            double loadSeconds = seconds(started);
            out.printf(Locale.ROOT, "loaded %,d rows on each side in %.1f s (primary key, VACUUM (FREEZE, ANALYZE), pg_prewarm)%n",
                    rows, loadSeconds);
            Map<String, Object> setup = new LinkedHashMap<>();
            setup.put("serverSettings", settings);
            setup.put("sourceVersion", versions.get("source"));
            setup.put("targetVersion", versions.get("target"));
            setup.put("loadSeconds", loadSeconds);
            setup.put("source", describeServer(servers.source));
            setup.put("target", describeServer(servers.target));
            results.put("setup", setup);
            out.flush();

            return measure(servers, rows, roundCount, phases, results);
        } finally {
            servers.finish(out);
            out.flush();
        }
    }

    private int measure(Servers servers, long rows, int roundCount, List<Phase> phases, Map<String, Object> results)
            throws SQLException, IOException {
        List<Measurement> measurements = new ArrayList<>();
        String failure = null;
        long middle = rows / 2;
        try (Connection admin = servers.target.connect(DATABASE);
             Connection floorSource = servers.source.connect(DATABASE);
             Connection floorTarget = servers.target.connect(DATABASE);
             Floor floor = new Floor(floorSource, floorTarget);
             HeapMeter heap = new HeapMeter()) {
            CpuMeter cpu = new CpuMeter(servers.source, servers.target);
            Floor.Method method = Floor.Method.READ_FROM_COPY;
            try {
                for (int i = 0; i < warmups; i++) {
                    long started = System.nanoTime();
                    if (phases.contains(Phase.FLOOR)) {
                        checkFloor(floor.run(Floor.Method.COPY_OUT_TO_STREAM), rows);
                        checkFloor(floor.run(Floor.Method.READ_FROM_COPY), rows);
                    }
                    if (phases.contains(Phase.VERIFY) || phases.contains(Phase.VERIFY_CHANGED)) {
                        checkClean(verify(servers, null), rows);
                    }
                    out.printf(Locale.ROOT, "warm-up %d done in %.1f s%n", i + 1, seconds(started));
                    out.flush();
                }
                if (phases.contains(Phase.FLOOR)) {
                    method = fastestFloor(floor, rows, results);
                }
                for (int round = 1; round <= roundCount; round++) {
                    for (Phase phase : rotated(phases, round - 1)) {
                        Measurement m = measureOnce(round, phase, servers, admin, floor, method, heap, cpu, rows, middle);
                        measurements.add(m);
                        printMeasurement(m, rows);
                    }
                }
                if (phases.contains(Phase.VERIFY)) {
                    results.put("bytesOnTheWire", countBytes(servers, method, rows));
                }
            } catch (WrongVerdict e) {
                failure = e.getMessage();
            }
            results.put("heapPools", heap.poolNames());
            results.put("floorMethod", method.description);
        }
        results.put("measurements", measurementsJson(measurements));
        Map<Phase, Map<String, Object>> summary = summarize(measurements, phases, rows);
        Map<String, Object> phasesJson = new LinkedHashMap<>();
        summary.forEach((phase, values) -> phasesJson.put(phase.label, values));
        results.put("phases", phasesJson);
        results.put("ratios", ratios(summary));
        results.put("machineAtEnd", Map.of("loadAverage", loadAverage()));
        results.put("verdictsRight", failure == null);
        results.put("failure", failure);
        if (failure != null) {
            out.println();
            out.println("WRONG VERDICT: " + failure);
            out.println("The benchmark stops here: timings of a verification that is wrong mean nothing.");
        }
        writeJson(results);
        return failure == null ? 0 : EXIT_WRONG_VERDICT;
    }

    private Measurement measureOnce(int round, Phase phase, Servers servers, Connection admin, Floor floor,
                                    Floor.Method method, HeapMeter heap, CpuMeter cpu, long rows, long middle) throws SQLException {
        heap.reset();
        if (phase == Phase.VERIFY_CHANGED) {
            change(admin, middle, +1);
        }
        CpuMeter.Snapshot before = cpu.snapshot();
        long started = System.nanoTime();
        Floor.Run floorRun = null;
        VerificationReport report = null;
        long nanos;
        try {
            if (phase == Phase.FLOOR) {
                floorRun = floor.run(method);
            } else {
                report = verify(servers, null);
            }
            nanos = System.nanoTime() - started;
        } catch (SQLException | RuntimeException e) {
            if (phase == Phase.VERIFY_CHANGED) {
                change(admin, middle, -1);
            }
            throw e;
        }
        pause(100); // the postmasters reap the verifier's closed backends, whose CPU time then counts
        CpuMeter.Snapshot used = cpu.snapshot().minus(before);
        HeapMeter.Peak peak = heap.read();
        if (phase == Phase.VERIFY_CHANGED) {
            change(admin, middle, -1); // untimed and uncounted, like the change itself
        }
        if (floorRun != null) {
            checkFloor(floorRun, rows);
        } else if (phase == Phase.VERIFY) {
            checkClean(report, rows);
        } else {
            checkOneChange(report, rows, middle);
        }
        long bytes = floorRun == null ? 0 : floorRun.sourceBytes() + floorRun.targetBytes();
        return new Measurement(round, phase, nanos, peak, used, bytes, report == null ? Map.of() : checkTimes(report));
    }

    /** Times each way of reading the floor and keeps the faster: the floor must be the fastest read there is. */
    private Floor.Method fastestFloor(Floor floor, long rows, Map<String, Object> results) throws SQLException {
        int tries = quick ? 1 : 2;
        Map<String, Object> calibration = new LinkedHashMap<>();
        Floor.Method best = null;
        double bestSeconds = Double.MAX_VALUE;
        for (Floor.Method method : Floor.Method.values()) {
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < tries; i++) {
                Floor.Run run = floor.run(method);
                checkFloor(run, rows);
                times.add(run.nanos() / 1e9);
            }
            double min = times.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            calibration.put(method.description, times);
            out.printf(Locale.ROOT, "floor calibration: %-50s %s s%n", method.description, format(times));
            if (min < bestSeconds) {
                bestSeconds = min;
                best = method;
            }
        }
        out.printf(Locale.ROOT, "floor method: %s (the faster)%n%n", best.description);
        out.flush();
        results.put("floorCalibrationSeconds", calibration);
        return best;
    }

    /** One more floor and one more verification, untimed, through sockets that count the bytes both ways. */
    private Map<String, Object> countBytes(Servers servers, Floor.Method method, long rows) throws SQLException {
        CountingSocketFactory.reset();
        try (Connection s = countingConnection(servers.source, "floor-source");
             Connection t = countingConnection(servers.target, "floor-target");
             Floor floor = new Floor(s, t)) {
            checkFloor(floor.run(method), rows);
        }
        checkClean(verify(servers, "verify", CompareMode.STREAM), rows);
        checkClean(verify(servers, "digest", CompareMode.DIGEST), rows);
        Map<String, Object> bytes = new LinkedHashMap<>();
        long floorTotal = 0;
        long verifyTotal = 0;
        long digestTotal = 0;
        for (String label : List.of("floor-source", "floor-target", "verify-source", "verify-target", "digest-source",
                "digest-target")) {
            CountingSocketFactory.Traffic traffic = CountingSocketFactory.traffic(label);
            bytes.put(label, ordered("received", traffic.received(), "sent", traffic.sent()));
            if (label.startsWith("floor")) {
                floorTotal += traffic.total();
            } else if (label.startsWith("verify")) {
                verifyTotal += traffic.total();
            } else {
                digestTotal += traffic.total();
            }
        }
        bytes.put("floorTotal", floorTotal);
        bytes.put("verifyTotal", verifyTotal);
        bytes.put("digestTotal", digestTotal);
        out.printf(Locale.ROOT, "%nbytes on the wire (both connections, both directions, untimed extra run): floor %,d, "
                + "verify %,d (%.3fx the floor), verify --mode digest %,d (%.3f %% of streaming; issue 4's target: under 1 %%)%n",
                floorTotal, verifyTotal, verifyTotal / (double) floorTotal, digestTotal, 100.0 * digestTotal / verifyTotal);
        out.flush();
        return bytes;
    }

    private VerificationReport verify(Servers servers, String countAs) {
        return verify(servers, countAs, CompareMode.STREAM);
    }

    private VerificationReport verify(Servers servers, String countAs, CompareMode mode) {
        try (Verifier verifier = Verifier.builder()
                .compareMode(mode)
                .source(connectionSettings(servers.source, countAs == null ? null : countAs + "-source"))
                .target(connectionSettings(servers.target, countAs == null ? null : countAs + "-target"))
                .threads(threads)
                .chunkRows(chunkRows)
                .chunkTime(Duration.ofMillis(chunkTimeMillis))
                .checks(checks())
                .build()) {
            return verifier.verify();
        }
    }

    private static ConnectionSettings connectionSettings(PostgresServer server, String countingLabel) {
        ConnectionSettings.Builder settings = ConnectionSettings.builder().host(server.host(), server.port())
                .database(DATABASE).user(server.superuser()).password(server.password());
        if (countingLabel != null) {
            settings.parameter("socketFactory", CountingSocketFactory.class.getName()).parameter("socketFactoryArg", countingLabel);
        }
        return settings.build();
    }

    private static Connection countingConnection(PostgresServer server, String label) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", server.superuser());
        properties.setProperty("password", server.password());
        properties.setProperty("socketFactory", CountingSocketFactory.class.getName());
        properties.setProperty("socketFactoryArg", label);
        return DriverManager.getConnection(server.jdbcUrl(DATABASE), properties);
    }

    // ---- verdicts ---------------------------------------------------------------------------------------------

    private static void checkFloor(Floor.Run run, long rows) {
        if (run.sourceRows() != rows || run.targetRows() != rows) {
            throw new WrongVerdict("the floor read " + run.sourceRows() + " source and " + run.targetRows()
                    + " target rows instead of " + rows);
        }
    }

    static void checkClean(VerificationReport report, long rows) {
        CheckResult hashes = hashes(report);
        if (report.outcome() != Outcome.MATCH || report.differenceCount() != 0 || hashes.outcome() != Outcome.MATCH) {
            throw new WrongVerdict("identical tables gave " + report.outcome() + " with " + report.differenceCount()
                    + " difference(s) instead of MATCH: " + describe(report));
        }
        if (hashes.rowsCompared() != rows) {
            throw new WrongVerdict("the hashes check compared " + hashes.rowsCompared() + " rows instead of " + rows);
        }
    }

    static void checkOneChange(VerificationReport report, long rows, long changedKey) {
        CheckResult hashes = hashes(report);
        String expectedKey = "(aid=" + changedKey + ")";
        boolean right = report.outcome() == Outcome.MISMATCH
                && report.differenceCount() == 1
                && hashes.differenceCount() == 1
                && hashes.differences().size() == 1
                && hashes.differences().get(0).kind() == DifferenceKind.DIFFERENT
                && hashes.differences().get(0).keyText().equals(expectedKey)
                && hashes.differences().get(0).columns().equals(List.of("abalance"));
        if (!right) {
            throw new WrongVerdict("one row changed on the target (key " + expectedKey + ", column abalance) gave "
                    + report.outcome() + " with " + report.differenceCount() + " difference(s): " + describe(report));
        }
        if (hashes.rowsCompared() != rows) {
            throw new WrongVerdict("the hashes check compared " + hashes.rowsCompared() + " rows instead of " + rows);
        }
    }

    private static CheckResult hashes(VerificationReport report) {
        if (report.tables().size() != 1) {
            throw new WrongVerdict("the report has " + report.tables().size() + " tables instead of pgbench_accounts alone: "
                    + describe(report));
        }
        return report.tables().get(0).check(CheckKind.HASHES)
                .orElseThrow(() -> new WrongVerdict("the report has no hashes check: " + describe(report)));
    }

    private static String describe(VerificationReport report) {
        StringBuilder text = new StringBuilder();
        for (TableReport table : report.tables()) {
            text.append(table.qualifiedName()).append(" ").append(table.outcome()).append(" {");
            for (CheckResult check : table.checks()) {
                text.append(' ').append(check.kind().label()).append('=').append(check.outcome());
                if (!check.message().isEmpty()) {
                    text.append(" (").append(check.message()).append(')');
                }
                for (Difference difference : check.differences()) {
                    text.append(" [").append(difference.kind()).append(' ').append(difference.keyText())
                            .append(' ').append(difference.columns()).append(' ').append(difference.detail()).append(']');
                }
            }
            text.append(" } ");
        }
        report.sequences().forEach(s -> text.append("sequence ").append(s).append(' '));
        report.warnings().forEach(w -> text.append("warning: ").append(w).append(' '));
        return text.toString().trim();
    }

    // ---- servers and data -------------------------------------------------------------------------------------

    /**
     * Settings for a benchmark: shared_buffers that hold the table and its index (about 150 bytes a row), no JIT (it
     * only adds compile time to a plain COPY, and would slow the floor), no autovacuum (the load is vacuumed once, and
     * nothing should wake up during a timed phase), minimal WAL so that the load writes none, and no checkpoint that
     * could start on its own during a timed phase. Durability is off anyway (the embedded servers' defaults).
     */
    static Map<String, String> serverSettings(long rows) {
        Map<String, String> settings = new LinkedHashMap<>();
        long sharedBuffersMb = 128 + rows * 180 / (1 << 20);
        settings.put("shared_buffers", sharedBuffersMb + "MB");
        settings.put("jit", "off");
        settings.put("autovacuum", "off");
        settings.put("wal_level", "minimal");
        settings.put("max_wal_senders", "0");
        settings.put("max_wal_size", "16GB");
        settings.put("checkpoint_timeout", "1h");
        settings.put("maintenance_work_mem", "512MB");
        return settings;
    }

    /**
     * The pgbench_accounts of {@code pgbench -i}: same columns, same values (bid one per 100,000 rows, abalance 0,
     * filler blank), primary key added after the load as pgbench does. Then frozen and analysed, so that estimates
     * are right and no read sets hint bits, and loaded into shared_buffers.
     */
    private static void load(PostgresServer server, long rows) {
        server.execute("postgres", "CREATE DATABASE " + DATABASE);
        try (Connection connection = server.connect(DATABASE)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // Created and filled in one transaction: with wal_level minimal the rows are not WAL-logged.
                statement.execute("CREATE TABLE pgbench_accounts (aid int NOT NULL, bid int, abalance int, filler char(84))");
                statement.execute("INSERT INTO pgbench_accounts (aid, bid, abalance, filler) "
                        + "SELECT g, (g - 1) / 100000 + 1, 0, '' FROM generate_series(1, " + rows + ") g");
            }
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE pgbench_accounts ADD PRIMARY KEY (aid)");
                statement.execute("VACUUM (FREEZE, ANALYZE) pgbench_accounts");
                statement.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm");
                statement.execute("SELECT pg_prewarm('pgbench_accounts'), pg_prewarm('pgbench_accounts_pkey')");
                statement.execute("CHECKPOINT");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not load pgbench_accounts on PostgreSQL " + server.version() + ": " + e.getMessage(), e);
        }
    }

    /** Size and plan of the table on one server, so a reader can tell what was measured. */
    private Map<String, Object> describeServer(PostgresServer server) throws SQLException {
        Map<String, Object> description = new LinkedHashMap<>();
        try (Connection connection = server.connect(DATABASE); Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT version(), current_setting('shared_buffers'), "
                    + "pg_relation_size('pgbench_accounts'), pg_indexes_size('pgbench_accounts')")) {
                rs.next();
                description.put("version", rs.getString(1));
                description.put("sharedBuffers", rs.getString(2));
                description.put("tableBytes", rs.getLong(3));
                description.put("indexBytes", rs.getLong(4));
            }
            List<String> plan = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("EXPLAIN SELECT * FROM pgbench_accounts ORDER BY aid")) {
                while (rs.next()) {
                    plan.add(rs.getString(1).trim());
                }
            }
            description.put("floorPlan", plan);
            out.printf(Locale.ROOT, "  PostgreSQL %s: table %d MB, index %d MB, shared_buffers %s; floor plan: %s%n",
                    server.version(), (Long) description.get("tableBytes") >> 20, (Long) description.get("indexBytes") >> 20,
                    description.get("sharedBuffers"), plan.get(0));
        }
        return description;
    }

    /** Adds {@code delta} to one row's abalance on the target: the change (c) must find, or its reversal. */
    private static void change(Connection target, long key, int delta) throws SQLException {
        try (PreparedStatement update = target.prepareStatement(
                "UPDATE pgbench_accounts SET abalance = abalance + ? WHERE aid = ?")) {
            update.setInt(1, delta);
            update.setLong(2, key);
            int updated = update.executeUpdate();
            if (updated != 1) {
                throw new IllegalStateException("UPDATE of aid " + key + " on the target changed " + updated + " rows, not 1");
            }
        }
        if (delta < 0) {
            // The table back as it was, dead versions removed, so that every round reads the same pages.
            try (Statement statement = target.createStatement()) {
                statement.execute("VACUUM pgbench_accounts");
            }
        }
    }

    /** The two servers; stopped at the end (and on Ctrl-C) unless kept. */
    private static final class Servers {
        private final boolean keep;
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile EmbeddedPostgres source;
        private volatile EmbeddedPostgres target;

        Servers(boolean keep) {
            this.keep = keep;
            if (!keep) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> finish(null), "bench-servers-shutdown"));
            }
        }

        void start(String sourceVersion, String targetVersion, Map<String, String> settings) {
            both(() -> source = start(sourceVersion, settings), () -> target = start(targetVersion, settings));
        }

        private static EmbeddedPostgres start(String version, Map<String, String> settings) {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder(version);
            settings.forEach(builder::setting);
            return builder.start();
        }

        void finish(PrintWriter out) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            if (keep) {
                if (out != null) {
                    for (EmbeddedPostgres server : new EmbeddedPostgres[] {source, target}) {
                        if (server != null) {
                            out.printf(Locale.ROOT, "kept PostgreSQL %s: %s user %s, password in %s%n", server.version(),
                                    server.jdbcUrl(DATABASE), server.superuser(), server.dataDirectory().resolveSibling("pwfile"));
                        }
                    }
                }
                return;
            }
            for (EmbeddedPostgres server : new EmbeddedPostgres[] {source, target}) {
                if (server != null) {
                    server.close();
                }
            }
        }
    }

    /** Runs two tasks at once and waits for both; the first failure is rethrown. */
    private static void both(Runnable first, Runnable second) {
        CompletableFuture<Void> other = CompletableFuture.runAsync(second);
        RuntimeException failure = null;
        try {
            first.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            other.join();
        } catch (CompletionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            if (failure == null) {
                failure = cause;
            } else {
                failure.addSuppressed(cause);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ---- results ----------------------------------------------------------------------------------------------

    private List<CheckKind> checks() {
        if (checkLabels == null || checkLabels.isEmpty()) {
            return List.of(CheckKind.values());
        }
        return checkLabels.stream().map(CheckKind::fromLabel).distinct().toList();
    }

    private List<Phase> phases() {
        if (phaseLabels == null || phaseLabels.isEmpty()) {
            return List.of(Phase.values());
        }
        List<Phase> phases = new ArrayList<>();
        for (String label : phaseLabels) {
            Phase phase = Arrays.stream(Phase.values()).filter(p -> p.label.equalsIgnoreCase(label.trim())).findFirst()
                    .orElseThrow(() -> new ParameterException(spec.commandLine(),
                            "Unknown phase '" + label + "': use floor, verify or verify-changed"));
            if (!phases.contains(phase)) {
                phases.add(phase);
            }
        }
        return List.copyOf(phases);
    }

    /** Round 1 runs a, b, c; round 2 b, c, a; ...: no phase always runs first, after the same one, or last. */
    static List<Phase> rotated(List<Phase> phases, int by) {
        List<Phase> order = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            order.add(phases.get((i + by) % phases.size()));
        }
        return order;
    }

    /** How long each check of the table took (they overlap), and how the hashes check split the table. */
    private static Map<String, Object> checkTimes(VerificationReport report) {
        Map<String, Object> checks = new LinkedHashMap<>();
        for (CheckResult check : report.tables().get(0).checks()) {
            checks.put(check.kind().label(), check.duration().toNanos() / 1e9);
            if (check.kind() == CheckKind.HASHES && !check.message().isEmpty()) {
                checks.put("hashesNote", check.message());
            }
        }
        return checks;
    }

    private void printMeasurement(Measurement m, long rows) {
        out.printf(Locale.ROOT, "round %d  %-22s %7.3f s  %6.2f M rows/s  heap: pools %4d MB, old gen %4d MB, sampled %4d MB, "
                        + "%3d GCs  CPU s: jvm %5.2f, source %5.2f, target %5.2f%n",
                m.round(), m.phase().title, m.seconds(), rows / m.seconds() / 1e6, m.heap().poolPeaksSum() >> 20,
                m.heap().oldGenPeak() >> 20, m.heap().sampledMax() >> 20, m.heap().gcCount(),
                m.cpu().jvm() / 1e9, m.cpu().source() / 1e9, m.cpu().target() / 1e9);
        if (!m.checks().isEmpty()) {
            StringBuilder line = new StringBuilder("         checks (overlapping):");
            m.checks().forEach((name, value) -> line.append(value instanceof Double d
                    ? String.format(Locale.ROOT, " %s %.3f s,", name, d) : " " + value));
            out.println(line);
        }
        out.flush();
    }

    private Map<Phase, Map<String, Object>> summarize(List<Measurement> measurements, List<Phase> phases, long rows) {
        Map<Phase, Map<String, Object>> summary = new EnumMap<>(Phase.class);
        if (measurements.isEmpty()) {
            return summary;
        }
        out.println();
        out.printf(Locale.ROOT, "%-22s %8s %8s %8s %10s %9s  %s%n", "", "median", "min", "max", "M rows/s",
                "MB/s", "peak heap MB (pools sum / old gen / sampled)   median CPU s (jvm / source / target)");
        for (Phase phase : phases) {
            List<Measurement> of = measurements.stream().filter(m -> m.phase() == phase).toList();
            if (of.isEmpty()) {
                continue;
            }
            double[] seconds = of.stream().mapToDouble(Measurement::seconds).sorted().toArray();
            double median = median(seconds);
            long poolPeak = of.stream().mapToLong(m -> m.heap().poolPeaksSum()).max().orElse(0);
            long oldPeak = of.stream().mapToLong(m -> m.heap().oldGenPeak()).max().orElse(0);
            long sampledPeak = of.stream().mapToLong(m -> m.heap().sampledMax()).max().orElse(0);
            double jvmCpu = median(of.stream().mapToDouble(m -> m.cpu().jvm() / 1e9).sorted().toArray());
            double sourceCpu = median(of.stream().mapToDouble(m -> m.cpu().source() / 1e9).sorted().toArray());
            double targetCpu = median(of.stream().mapToDouble(m -> m.cpu().target() / 1e9).sorted().toArray());
            long bytes = of.get(0).bytes();
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("medianSeconds", median);
            values.put("minSeconds", seconds[0]);
            values.put("maxSeconds", seconds[seconds.length - 1]);
            values.put("seconds", of.stream().map(Measurement::seconds).toList());
            values.put("rowsPerSecond", rows / median);
            if (bytes > 0) {
                values.put("copyBytes", bytes);
                values.put("copyMegabytesPerSecond", bytes / median / 1e6);
            }
            values.put("peakHeapPoolsSumBytes", poolPeak);
            values.put("peakOldGenBytes", oldPeak);
            values.put("peakSampledHeapBytes", sampledPeak);
            values.put("medianCpuSeconds", ordered("jvm", jvmCpu, "source", sourceCpu, "target", targetCpu));
            summary.put(phase, values);
            out.printf(Locale.ROOT, "%-22s %7.3fs %7.3fs %7.3fs %10.2f %9s  %6d / %4d / %4d %31.2f / %.2f / %.2f%n",
                    phase.title, median, seconds[0], seconds[seconds.length - 1], rows / median / 1e6,
                    bytes > 0 ? String.format(Locale.ROOT, "%.0f", bytes / median / 1e6) : "",
                    poolPeak >> 20, oldPeak >> 20, sampledPeak >> 20, jvmCpu, sourceCpu, targetCpu);
        }
        out.println("peak heap: 'pools sum' adds each heap pool's MemoryPoolMXBean.getPeakUsage() (reset, after a GC, before"
                + " each phase; an upper bound), 'old gen' is what survived collections, 'sampled' the highest"
                + " MemoryMXBean heap use seen every " + HeapMeter.SAMPLE_MILLIS + " ms; each the highest over the rounds.");
        out.flush();
        return summary;
    }

    private Map<String, Object> ratios(Map<Phase, Map<String, Object>> summary) {
        Map<String, Object> ratios = new LinkedHashMap<>();
        Double floor = medianOf(summary, Phase.FLOOR);
        Double verify = medianOf(summary, Phase.VERIFY);
        Double changed = medianOf(summary, Phase.VERIFY_CHANGED);
        if (floor != null && verify != null) {
            double ratio = verify / floor;
            ratios.put("verifyToFloor", ratio);
            ratios.put("verifyToFloorTarget", TARGET_VERIFY_TO_FLOOR);
            ratios.put("verifyToFloorMet", ratio <= TARGET_VERIFY_TO_FLOOR);
            out.printf(Locale.ROOT, "b/a = %.2f  (issue 4's target: at most %.2f; %s)%n", ratio, TARGET_VERIFY_TO_FLOOR,
                    verdictOnTarget(ratio, TARGET_VERIFY_TO_FLOOR));
        }
        if (verify != null && changed != null) {
            double ratio = changed / verify;
            ratios.put("changedToVerify", ratio);
            ratios.put("changedToVerifyTarget", TARGET_CHANGED_TO_VERIFY);
            ratios.put("changedToVerifyMet", ratio <= TARGET_CHANGED_TO_VERIFY);
            out.printf(Locale.ROOT, "c/b = %.2f  (issue 4's target: at most %.2f; %s)%n", ratio, TARGET_CHANGED_TO_VERIFY,
                    verdictOnTarget(ratio, TARGET_CHANGED_TO_VERIFY));
        }
        if (quick) {
            out.println("Quick form: at this scale fixed costs (connecting, catalogs, planning) dominate; judge ratios on the full run.");
        }
        out.println("Timings are reported, never judged: a slow run does not fail. Verdicts were checked in every run.");
        out.flush();
        return ratios;
    }

    private static String verdictOnTarget(double ratio, double target) {
        return ratio <= target ? "met" : String.format(Locale.ROOT, "missed by %.0f %%", (ratio / target - 1) * 100);
    }

    private static Double medianOf(Map<Phase, Map<String, Object>> summary, Phase phase) {
        Map<String, Object> values = summary.get(phase);
        return values == null ? null : (Double) values.get("medianSeconds");
    }

    private static List<Object> measurementsJson(List<Measurement> measurements) {
        List<Object> list = new ArrayList<>();
        for (Measurement m : measurements) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("round", m.round());
            entry.put("phase", m.phase().label);
            entry.put("seconds", m.seconds());
            entry.put("heapPoolsSumBytes", m.heap().poolPeaksSum());
            entry.put("oldGenBytes", m.heap().oldGenPeak());
            entry.put("sampledHeapBytes", m.heap().sampledMax());
            entry.put("gcCount", m.heap().gcCount());
            entry.put("gcMillis", m.heap().gcMillis());
            entry.put("checkSeconds", m.checks());
            entry.put("cpuSeconds", ordered("jvm", m.cpu().jvm() / 1e9, "source", m.cpu().source() / 1e9,
                    "target", m.cpu().target() / 1e9));
            list.add(entry);
        }
        return list;
    }

    private void writeJson(Map<String, Object> results) throws IOException {
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(json, Json.write(results));
            out.println("results written to " + json);
        }
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("jvmArguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("loadAverage", loadAverage());
        return machine;
    }

    /** The 1, 5 and 15 minute load averages: on a shared machine, how much else was running. */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** A map that keeps the order given: JSON a person reads. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String format(List<Double> seconds) {
        return String.join(", ", seconds.stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).toList());
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
