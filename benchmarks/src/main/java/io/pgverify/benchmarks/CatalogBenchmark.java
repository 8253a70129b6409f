package io.pgverify.benchmarks;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.pgverify.CheckKind;
import io.pgverify.ConnectionSettings;
import io.pgverify.Outcome;
import io.pgverify.VerificationReport;
import io.pgverify.Verifier;
import io.pgverify.VerifyException;
import io.pgverify.embedded.EmbeddedPostgres;
import io.pgverify.embedded.PostgresServer;
import io.pgverify.internal.catalog.Catalog;
import io.pgverify.internal.catalog.CatalogReader;
import io.pgverify.internal.catalog.TableFilter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long reading the catalogs takes with many tables (issue 8): schema-per-tenant databases hold tens of thousands.
 *
 * <p>It starts PostgreSQL 13 (source) and 17 (target) from the embedded binaries and, for each table count N, creates
 * the same fresh database on both: N tables in schemas of 100 ({@code id} serial or identity as primary key, so N
 * sequences, each called once by one inserted row, plus text, timestamptz and numeric columns), then analyzes it. It
 * then times, per round: {@code CatalogReader.read} on each side; a verification of the schema and sequences checks
 * (both catalogs, the schema comparison and every sequence); and the same with the counts check (one count per table
 * and side). Every verification must say MATCH; a wrong verdict stops the run with exit code 1. Timings never fail it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.pgverify.benchmarks.CatalogBenchmark --tables 1000,10000
 * java -cp benchmarks/target/benchmarks.jar io.pgverify.benchmarks.CatalogBenchmark --quick
 * </pre>
 */
@Command(name = "CatalogBenchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Times catalog reading and the sequence check with many tables on real PostgreSQL 13 -> 17 servers.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every verification gave the right verdict (timings never fail a run)",
            "1:a verification gave a wrong verdict",
            "2:invalid options",
            "3:the benchmark could not run (a server did not start, a query or a verification failed)"})
public final class CatalogBenchmark implements Callable<Integer> {

    static final int EXIT_WRONG_VERDICT = 1;
    static final int EXIT_COULD_NOT_RUN = 3;
    /** Tables per schema, as a schema-per-tenant database would have them. */
    private static final int TABLES_PER_SCHEMA = 100;
    /** Tables created per transaction: each holds a few locks until commit, and the lock table is finite. */
    private static final int TABLES_PER_TRANSACTION = 250;

    @Option(names = "--tables", split = ",", description = "Table counts to measure, each in a fresh database (default: ${DEFAULT-VALUE}).")
    private List<Integer> tableCounts = List.of(1_000, 10_000);

    @Option(names = "--rounds", description = "Timed rounds per table count (default: ${DEFAULT-VALUE}).")
    private int rounds = 3;

    @Option(names = "--quick", description = "200 tables, one round: proves the benchmark runs, in well under a minute.")
    private boolean quick;

    @Option(names = "--catalog-only", description = "Time CatalogReader alone, no verification.")
    private boolean catalogOnly;

    @Option(names = "--keep", description = "Leave the servers and databases running at the end and print where they are.")
    private boolean keep;

    private final PrintWriter out = new PrintWriter(System.out, true);

    public static void main(String[] args) {
        System.exit(new CommandLine(new CatalogBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Integer> counts = quick ? List.of(200) : tableCounts;
        int roundCount = quick ? 1 : rounds;
        if (roundCount < 1 || counts.stream().anyMatch(n -> n < 1)) {
            out.println("--rounds and --tables must be at least 1");
            return 2;
        }
        Map<String, String> versions = EmbeddedPostgres.bundledVersions();
        out.printf(Locale.ROOT, "pgverify catalog benchmark: %s tables, PostgreSQL %s -> %s, %d round(s); %d CPUs, load average %s%n",
                counts, versions.get("source"), versions.get("target"), roundCount,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        EmbeddedPostgres[] servers = new EmbeddedPostgres[2];
        try {
            both(() -> servers[0] = EmbeddedPostgres.builder(versions.get("source")).setting("autovacuum", "off").start(),
                    () -> servers[1] = EmbeddedPostgres.builder(versions.get("target")).setting("autovacuum", "off").start());
            for (int count : counts) {
                int code = measure(servers[0], servers[1], count, roundCount);
                if (code != 0) {
                    return code;
                }
            }
            return 0;
        } catch (VerifyException | SQLException | IllegalStateException | CompletionException e) {
            out.println("could not run: " + e.getMessage());
            return EXIT_COULD_NOT_RUN;
        } finally {
            for (EmbeddedPostgres server : servers) {
                if (server == null) {
                    continue;
                }
                if (keep) {
                    out.printf(Locale.ROOT, "kept PostgreSQL %s: %s user %s, password in %s%n", server.version(),
                            server.jdbcUrl("postgres"), server.superuser(), server.dataDirectory().resolveSibling("pwfile"));
                } else {
                    server.close();
                }
            }
        }
    }

    private int measure(PostgresServer source, PostgresServer target, int count, int roundCount) throws SQLException {
        String database = "catalog_" + count;
        long started = System.nanoTime();
        both(() -> create(source, database, count), () -> create(target, database, count));
        out.printf(Locale.ROOT, "%n%,d tables (and sequences) created and analyzed on both sides in %.1f s%n",
                count, seconds(started));
        for (int round = 1; round <= roundCount; round++) {
            double sourceCatalog = timeCatalog(source, database, count);
            double targetCatalog = timeCatalog(target, database, count);
            String line = String.format(Locale.ROOT, "round %d: CatalogReader.read source (PG %d) %.2f s, target (PG %d) %.2f s",
                    round, source.majorVersion(), sourceCatalog, target.majorVersion(), targetCatalog);
            if (!catalogOnly) {
                double sequences = timeVerify(source, target, database, count,
                        EnumSet.of(CheckKind.SCHEMA, CheckKind.SEQUENCES));
                double withCounts = sequences < 0 ? -1 : timeVerify(source, target, database, count,
                        EnumSet.of(CheckKind.SCHEMA, CheckKind.SEQUENCES, CheckKind.COUNTS));
                if (withCounts < 0) {
                    return EXIT_WRONG_VERDICT;
                }
                line += String.format(Locale.ROOT, "; verify schema+sequences %.2f s; verify schema+sequences+counts %.2f s",
                        sequences, withCounts);
            }
            out.println(line);
        }
        if (!keep) {
            both(() -> source.execute("postgres", "DROP DATABASE " + database),
                    () -> target.execute("postgres", "DROP DATABASE " + database));
        }
        return 0;
    }

    /** N tables in schemas of {@value #TABLES_PER_SCHEMA}, half with serial keys and half with identity keys. */
    private static void create(PostgresServer server, String database, int count) {
        server.execute("postgres", "DROP DATABASE IF EXISTS " + database, "CREATE DATABASE " + database);
        // A DO block run outside a transaction block may COMMIT: one round trip, bounded locks per transaction.
        server.execute(database, String.format(Locale.ROOT, """
                DO $$
                BEGIN
                  FOR i IN 0 .. %d LOOP
                    IF i %% %d = 0 THEN
                      EXECUTE format('CREATE SCHEMA tenant_%%s', i / %d);
                    END IF;
                    EXECUTE format('CREATE TABLE tenant_%%s.t_%%s (id %%s PRIMARY KEY, name text NOT NULL,'
                                   ' created timestamptz NOT NULL DEFAULT now(), amount numeric(12,2))',
                                   i / %d, i, CASE WHEN i %% 2 = 0 THEN 'serial' ELSE 'bigint GENERATED BY DEFAULT AS IDENTITY' END);
                    EXECUTE format('INSERT INTO tenant_%%s.t_%%s (name) VALUES (''x'')', i / %d, i);
                    IF i %% %d = %d THEN
                      COMMIT;
                    END IF;
                  END LOOP;
                END
                $$""", count - 1, TABLES_PER_SCHEMA, TABLES_PER_SCHEMA, TABLES_PER_SCHEMA, TABLES_PER_SCHEMA,
                TABLES_PER_TRANSACTION, TABLES_PER_TRANSACTION - 1), "ANALYZE");
    }

    private static double timeCatalog(PostgresServer server, String database, int count) throws SQLException {
        try (Connection connection = server.connect(database)) {
            long started = System.nanoTime();
            Catalog catalog = CatalogReader.read(connection, TableFilter.all(), server.host());
            double seconds = seconds(started);
            if (catalog.tables().size() != count || catalog.sequences().size() != count) {
                throw new IllegalStateException("the catalog of PostgreSQL " + server.version() + " lists "
                        + catalog.tables().size() + " tables and " + catalog.sequences().size() + " sequences, not " + count);
            }
            return seconds;
        }
    }

    /** Seconds, or -1 after printing a wrong verdict. */
    private double timeVerify(PostgresServer source, PostgresServer target, String database, int count,
                              EnumSet<CheckKind> checks) {
        long started = System.nanoTime();
        VerificationReport report;
        try (Verifier verifier = Verifier.builder().source(settings(source, database)).target(settings(target, database))
                .checks(checks).build()) {
            report = verifier.verify();
        }
        double seconds = seconds(started);
        if (report.outcome() != Outcome.MATCH || report.tables().size() != count || report.sequences().size() != count) {
            out.printf(Locale.ROOT, "%nWRONG VERDICT: checks %s on identical databases gave %s over %d tables and %d sequences%n",
                    checks, report.outcome(), report.tables().size(), report.sequences().size());
            return -1;
        }
        return seconds;
    }

    private static ConnectionSettings settings(PostgresServer server, String database) {
        return ConnectionSettings.builder().host(server.host(), server.port()).database(database)
                .user(server.superuser()).password(server.password()).build();
    }

    private static void both(Runnable first, Runnable second) {
        CompletableFuture<Void> other = CompletableFuture.runAsync(second);
        try {
            first.run();
        } finally {
            other.join();
        }
    }

    private static String loadAverage() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
