package io.pgverify.benchmarks;


import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import io.pgverify.ConnectionSettings;
import io.pgverify.Outcome;
import io.pgverify.VerificationReport;
import io.pgverify.Verifier;
import io.pgverify.embedded.EmbeddedPostgres;

/**
 * The many-tables shape of issue 9, for profiling the fixed cost per table: schema-per-tenant databases of many small
 * tables on PostgreSQL 13 (source) and 17 (target). {@code serve STATE} starts both servers, creates
 * {@code many2k} (2,000 tables of 500 rows) and {@code many10k} (10,000 tables of 10 rows), writes how to reach them to
 * STATE and waits; {@code run STATE DATABASE ROUNDS} then times, per round, the floor (every table of both sides read
 * in key order with binary COPY on one connection per side, both sides at once) and a verification with the default
 * checks, and counts the verification's round trips per side (a write to a socket after a read from it).
 * The verdict must be a match, or the probe exits 1.
 */
public final class ManyTablesProbe {

    private ManyTablesProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        switch (args[0]) {
            case "serve" -> serve(Path.of(args[1]));
            case "run" -> System.exit(run(Path.of(args[1]), args[2], Integer.parseInt(args[3]),
                    args.length > 4 ? Integer.parseInt(args[4]) : 2));
            default -> throw new IllegalArgumentException("serve STATE | run STATE DATABASE ROUNDS [THREADS]");
        }
    }

    private static void serve(Path state) throws Exception {
        var versions = EmbeddedPostgres.bundledVersions();
        var settings = EndToEndBenchmark.serverSettings(1_000_000);
        EmbeddedPostgres[] servers = new EmbeddedPostgres[2];
        CompletableFuture<Void> source = CompletableFuture.runAsync(() -> servers[0] = start(versions.get("source"), settings));
        servers[1] = start(versions.get("target"), settings);
        source.join();
        for (EmbeddedPostgres server : servers) {
            server.execute("postgres", "ALTER SYSTEM SET max_locks_per_transaction = 256");
        }
        CompletableFuture<Void> s = CompletableFuture.runAsync(() -> create(servers[0]));
        create(servers[1]);
        s.join();
        Files.writeString(state, servers[0].port() + " " + servers[0].password() + " " + servers[1].port() + " "
                + servers[1].password() + "\n");
        System.out.println("ready: " + Files.readString(state).trim());
        Thread.sleep(Long.MAX_VALUE);
    }

    private static EmbeddedPostgres start(String version, java.util.Map<String, String> settings) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder(version);
        settings.forEach(builder::setting);
        return builder.start();
    }

    private static void create(EmbeddedPostgres server) {
        tenants(server, "many2k", 2_000, 500);
        tenants(server, "many10k", 10_000, 10);
    }

    private static void tenants(EmbeddedPostgres server, String database, int tables, int rows) {
        server.execute("postgres", "CREATE DATABASE " + database);
        server.execute(database, """
                DO $$
                BEGIN
                  FOR i IN 0 .. %d LOOP
                    IF i %% 100 = 0 THEN
                      EXECUTE format('CREATE SCHEMA tenant_%%s', i / 100);
                    END IF;
                    EXECUTE format('CREATE TABLE tenant_%%s.t_%%s (id int PRIMARY KEY, account int NOT NULL,'
                                   ' amount numeric(12,2), note text, created timestamptz)', i / 100, i);
                    EXECUTE format('INSERT INTO tenant_%%s.t_%%s SELECT g, g %%%% 97, g * 1.25, ''note '' || g,'
                                   ' timestamptz ''2024-01-01'' + g * interval ''1 minute'' FROM generate_series(1, %d) g',
                                   i / 100, i);
                    IF i %% 200 = 199 THEN
                      COMMIT;
                    END IF;
                  END LOOP;
                END
                $$""".formatted(tables - 1, rows), "VACUUM (FREEZE, ANALYZE)");
    }

    private static int run(Path state, String database, int rounds, int threads) throws Exception {
        String[] parts = Files.readString(state).trim().split(" ");
        Endpoint source = new Endpoint(Integer.parseInt(parts[0]), parts[1], database);
        Endpoint target = new Endpoint(Integer.parseInt(parts[2]), parts[3], database);
        List<String> tables = tables(source);
        System.out.printf(Locale.ROOT, "%s: %d tables, threads %d%n", database, tables.size(), threads);
        for (int round = 1; round <= rounds; round++) {
            long started = System.nanoTime();
            long rows = floor(source, target, tables);
            double floor = (System.nanoTime() - started) / 1e9;
            CountingSocketFactory.reset();
            long before = usedHeap();
            HeapPeak peak = new HeapPeak();
            started = System.nanoTime();
            VerificationReport report;
            try (Verifier verifier = Verifier.builder().source(source.settings("source")).target(target.settings("target"))
                    .threads(threads).build()) {
                report = verifier.verify();
            }
            double verify = (System.nanoTime() - started) / 1e9;
            peak.stop();
            if (report.outcome() != Outcome.MATCH) {
                System.out.println("WRONG VERDICT " + report.outcome() + ": " + report.tables().stream()
                        .filter(t -> t.outcome() != Outcome.MATCH).limit(3).toList());
                return 1;
            }
            System.out.printf(Locale.ROOT, "round %d: floor %.2f s (%d rows), verify %.2f s = %.2fx, (verify-floor)/table %.2f ms,"
                            + " round trips source %d target %d (%.1f per table per side), heap peak %d MB (start %d MB)%n",
                    round, floor, rows, verify, verify / floor, (verify - floor) * 1000 / tables.size(),
                    CountingSocketFactory.traffic("source").roundTrips(), CountingSocketFactory.traffic("target").roundTrips(),
                    (CountingSocketFactory.traffic("source").roundTrips() + CountingSocketFactory.traffic("target").roundTrips()) / 2.0 / tables.size(), peak.max >> 20, before >> 20);
        }
        return 0;
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** The highest used heap sampled every 5 ms (an upper bound of the live heap: garbage included). */
    private static final class HeapPeak {
        volatile long max;
        private final Thread thread;

        HeapPeak() {
            thread = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    max = Math.max(max, usedHeap());
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-peak");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }
    }

    private record Endpoint(int port, String password, String database) {
        ConnectionSettings settings(String label) {
            return ConnectionSettings.builder().host("127.0.0.1", port).database(database).user("postgres")
                    .password(password).parameter("socketFactory", CountingSocketFactory.class.getName())
                    .parameter("socketFactoryArg", label).build();
        }

        Connection connect() throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("user", "postgres");
            properties.setProperty("password", password);
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
        }
    }

    private static List<String> tables(Endpoint endpoint) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = endpoint.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables"
                     + " WHERE table_schema LIKE 'tenant\\_%' ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    /** Both sides' tables read at once, each side on one connection, as the floor of issue 9 is defined. */
    private static long floor(Endpoint source, Endpoint target, List<String> tables) throws Exception {
        CompletableFuture<Long> s = CompletableFuture.supplyAsync(() -> readAll(source, tables));
        long t = readAll(target, tables);
        return s.join() + t;
    }

    private static long readAll(Endpoint endpoint, List<String> tables) {
        try (Connection connection = endpoint.connect()) {
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            long rows = 0;
            for (String table : tables) {
                CopyOut out = copy.copyOut("COPY (SELECT * FROM " + table + " ORDER BY id) TO STDOUT (FORMAT binary)");
                while (out.readFromCopy() != null) {
                    // discarded
                }
                rows += out.getHandledRowCount();
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
