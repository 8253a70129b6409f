package io.pgverify.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import io.pgverify.CheckResult;
import io.pgverify.ConnectionSettings;
import io.pgverify.Outcome;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;
import io.pgverify.Verifier;
import io.pgverify.embedded.EmbeddedPostgres;
import io.pgverify.embedded.PostgresServer;

/**
 * A small harness for profiling one shape of issue 9 (wide rows, big values, no key) against its floor, in
 * interleaved rounds, with the JVM's and both servers' CPU time: the floor is both sides read at once with binary
 * COPY, one session per side (in key order when the table has one). Run it under JFR to see where the client's time
 * goes. The end-to-end benchmark carries the same shapes as named scenarios; this is the profiler's quick loop.
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar io.pgverify.benchmarks.ShapeProfile wide 3
 * </pre>
 */
public final class ShapeProfile {

    private static final String DATABASE = "bench";

    private ShapeProfile() {
    }

    /** One shape: the DDL and fill, and the floor's query. */
    private record Shape(String name, long rows, List<String> load, String floorSql) {
    }

    static Shape shape(String name, double scale) {
        switch (name) {
            case "wide" -> {
                long rows = (long) (300_000 * scale);
                StringBuilder columns = new StringBuilder("id bigint PRIMARY KEY");
                StringBuilder values = new StringBuilder("g");
                String[] types = {"int4", "int8", "text", "numeric", "timestamptz", "bool", "float8", "date", "varchar(32)", "uuid"};
                for (int j = 1; j < 60; j++) {
                    String type = types[j % types.length];
                    columns.append(", c").append(j).append(' ').append(type);
                    values.append(", ").append(switch (type) {
                        case "int4" -> "(g * " + j + ") % 1000000";
                        case "int8" -> "g * 1000003 + " + j;
                        case "text" -> "'text value ' || g || '/' || " + j;
                        case "numeric" -> "(g * " + j + ")::numeric / 7";
                        case "timestamptz" -> "timestamptz '2020-01-01' + g * interval '1 second'";
                        case "bool" -> "g % 2 = 0";
                        case "float8" -> "g / 3.0::float8";
                        case "date" -> "date '2000-01-01' + (g % 10000)::int";
                        case "varchar(32)" -> "'v' || g";
                        case "uuid" -> "md5(g::text || '" + j + "')::uuid";
                        default -> throw new IllegalStateException(type);
                    });
                }
                return new Shape(name, rows, List.of("CREATE TABLE t (" + columns + ")",
                        "INSERT INTO t SELECT " + values + " FROM generate_series(1::bigint, " + rows + ") g"),
                        "COPY (SELECT * FROM t ORDER BY id) TO STDOUT (FORMAT binary)");
            }
            case "big" -> {
                long rows = (long) (20_000 * scale);
                return new Shape(name, rows, List.of("CREATE TABLE t (id int PRIMARY KEY, v text)",
                        // 8 KB of md5 hex: no repeated substring, so pglz keeps it as it is (stored out of line).
                        "INSERT INTO t SELECT g, (SELECT string_agg(md5(g::text || '-' || i::text), '') FROM generate_series(1, 256) i)"
                                + " FROM generate_series(1, " + rows + ") g"),
                        "COPY (SELECT * FROM t ORDER BY id) TO STDOUT (FORMAT binary)");
            }
            case "nokey" -> {
                long rows = (long) (2_000_000 * scale);
                return new Shape(name, rows, List.of("CREATE TABLE t (aid int NOT NULL, bid int, abalance int, filler char(84))",
                        "INSERT INTO t SELECT g, (g - 1) / 100000 + 1, 0, '' FROM generate_series(1, " + rows + ") g"),
                        "COPY (SELECT * FROM t) TO STDOUT (FORMAT binary)");
            }
            default -> throw new IllegalArgumentException("shape: wide, big or nokey, not " + name);
        }
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Shape shape = shape(args[0], args.length > 2 ? Double.parseDouble(args[2]) : 1.0);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String phases = args.length > 3 ? args[3] : "floor,verify";
        Map<String, String> versions = EmbeddedPostgres.bundledVersions();
        Map<String, String> settings = EndToEndBenchmark.serverSettings(2_000_000);
        EmbeddedPostgres[] servers = new EmbeddedPostgres[2];
        CompletableFuture<Void> t = CompletableFuture.runAsync(() -> servers[1] = start(versions.get("target"), settings));
        servers[0] = start(versions.get("source"), settings);
        t.join();
        try {
            long started = System.nanoTime();
            CompletableFuture<Void> l = CompletableFuture.runAsync(() -> load(servers[1], shape));
            load(servers[0], shape);
            l.join();
            System.out.printf(Locale.ROOT, "%s: %,d rows loaded in %.1f s; load average %s%n", shape.name(), shape.rows(),
                    (System.nanoTime() - started) / 1e9, loadAverage());
            if (phases.equals("keep")) {
                // For experiments with psql: wait until the file named by -Dstop= is gone.
                for (EmbeddedPostgres server : servers) {
                    System.out.printf("PGPASSWORD=%s psql -h %s -p %d -U %s %s%n", server.password(), server.host(),
                            server.port(), server.superuser(), DATABASE);
                }
                java.nio.file.Path stop = java.nio.file.Path.of(System.getProperty("stop", "/tmp/hp/keep"));
                java.nio.file.Files.writeString(stop, "remove to stop");
                while (java.nio.file.Files.exists(stop)) {
                    Thread.sleep(500);
                }
                return;
            }
            CpuMeter cpu = new CpuMeter(servers[0], servers[1]);
            try (HeapMeter heap = new HeapMeter()) {
                verify(servers, shape); // warm-up
                floor(servers, shape);
                List<Double> ratios = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    double f = 0;
                    double v = 0;
                    for (int k = 0; k < 2; k++) {
                        boolean floorPhase = (k + round) % 2 == 0;
                        if (floorPhase ? !phases.contains("floor") : !phases.contains("verify")) {
                            continue;
                        }
                        heap.reset();
                        CpuMeter.Snapshot before = cpu.snapshot();
                        long t0 = System.nanoTime();
                        if (floorPhase) {
                            floor(servers, shape);
                        } else {
                            verify(servers, shape);
                        }
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        Thread.sleep(100);
                        CpuMeter.Snapshot used = cpu.snapshot().minus(before);
                        HeapMeter.Peak peak = heap.read();
                        if (floorPhase) {
                            f = seconds;
                        } else {
                            v = seconds;
                        }
                        System.out.printf(Locale.ROOT, "round %d %-6s %7.3f s  CPU s: jvm %5.2f source %5.2f target %5.2f"
                                        + "  heap pools %d MB sampled %d MB  load %s%n", round, floorPhase ? "floor" : "verify",
                                seconds, used.jvm() / 1e9, used.source() / 1e9, used.target() / 1e9,
                                peak.poolPeaksSum() >> 20, peak.sampledMax() >> 20, loadAverage());
                    }
                    if (f > 0 && v > 0) {
                        ratios.add(v / f);
                        System.out.printf(Locale.ROOT, "round %d ratio %.2f%n", round, v / f);
                    }
                }
                System.out.printf(Locale.ROOT, "%s ratios %s%n", shape.name(), ratios);
            }
        } finally {
            servers[0].close();
            servers[1].close();
        }
    }

    private static EmbeddedPostgres start(String version, Map<String, String> settings) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder(version);
        settings.forEach(builder::setting);
        return builder.start();
    }

    private static void load(PostgresServer server, Shape shape) {
        server.execute("postgres", "CREATE DATABASE " + DATABASE);
        try (Connection connection = server.connect(DATABASE)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : shape.load()) {
                    statement.execute(sql);
                }
            }
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("VACUUM (FREEZE, ANALYZE) t");
                statement.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm");
                statement.execute("SELECT pg_prewarm(c.oid) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace"
                        + " OR c.oid = (SELECT reltoastrelid FROM pg_class WHERE relname = 't')"
                        + " OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = (SELECT reltoastrelid FROM pg_class WHERE relname = 't'))");
                statement.execute("CHECKPOINT");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("load failed on " + server.version() + ": " + e.getMessage(), e);
        }
    }

    private static void floor(EmbeddedPostgres[] servers, Shape shape) throws Exception {
        CompletableFuture<Long> t = CompletableFuture.supplyAsync(() -> read(servers[1], shape));
        long s = read(servers[0], shape);
        if (s != shape.rows() || t.join() != shape.rows()) {
            throw new IllegalStateException("floor read " + s + " rows");
        }
    }

    private static long read(PostgresServer server, Shape shape) {
        try (Connection connection = server.connect(DATABASE)) {
            CopyOut out = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(shape.floorSql());
            while (out.readFromCopy() != null) {
                // discard
            }
            return out.getHandledRowCount();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void verify(EmbeddedPostgres[] servers, Shape shape) {
        try (Verifier verifier = Verifier.builder().source(settings(servers[0])).target(settings(servers[1]))
                .threads(2).build()) {
            VerificationReport report = verifier.verify();
            if (report.outcome() != Outcome.MATCH) {
                throw new IllegalStateException("wrong verdict: " + report.outcome() + " " + report);
            }
            for (TableReport table : report.tables()) {
                for (CheckResult check : table.checks()) {
                    System.out.printf(Locale.ROOT, "    %s %s %.3f s %s%n", check.kind().label(), check.outcome(),
                            check.duration().toNanos() / 1e9, check.message());
                }
            }
        }
    }

    private static ConnectionSettings settings(PostgresServer server) {
        return ConnectionSettings.builder().host(server.host(), server.port()).database(DATABASE)
                .user(server.superuser()).password(server.password()).build();
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
