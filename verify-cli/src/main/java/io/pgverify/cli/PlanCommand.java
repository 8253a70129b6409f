package io.pgverify.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;

import io.pgverify.ConnectionSettings;
import io.pgverify.ErrorCode;
import io.pgverify.Redactor;
import io.pgverify.ShardPlan;
import io.pgverify.Verifier;
import io.pgverify.VerifyException;
import io.pgverify.internal.jdbc.ConnectionPools;
import io.pgverify.internal.shard.PairPlanFile;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgverify plan}: the key ranges of every table, cut once and split over N shards, for N processes. */
@Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = PgVerify.Version.class,
        modelTransformer = VerificationOptions.Added.class,
        sortOptions = false, usageHelpAutoWidth = true,
        header = "Plan a verification once and split it over N processes (shards), e.g. a Kubernetes Indexed Job.",
        description = {
            "Reads both catalogs and cuts each keyed table into key ranges from a sample of the source (as verify "
                    + "does; nothing is compared), then assigns the ranges to N shards, balanced by estimated rows. "
                    + "Tables without a key, or too small to split, go whole to one shard.",
            "",
            "Then each process runs 'pgverify verify --plan FILE --shard I/N' with the same URLs and selection, and "
                    + "'pgverify merge-reports' combines their JSON reports into the verdict one process would give.",
            "The plan is bound to the two databases and to each table's definition: a shard refuses other databases "
                    + "or a changed table (exit 2)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  pgverify plan --source postgresql://app@old-db/shop --target postgresql://app@new-db/shop \\",
            "                --shards 8 --output plan.json",
            "  pgverify verify --plan plan.json --shard 0/8 --format json --report shard-0.json   (and 1/8 ... 7/8)",
            "  pgverify merge-reports --report verdict.json --format json shard-*.json",
            "  pgverify plan --pairs pairs.yaml --shards 8 --output plan.json   (a fleet, balanced by database size)"})
final class PlanCommand implements Callable<Integer>, PgVerify.HoldsSecrets {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--pairs", order = 4, paramLabel = "FILE",
            description = "Plan a fleet instead: the pairs listed in FILE (as verify --pairs reads it), each source's "
                    + "pg_database_size read once and the pairs assigned to shards largest first, balanced by size.")
    Path pairs;

    @Option(names = "--shards", order = 5, paramLabel = "N", required = true,
            description = "How many shards (processes) to split the work into; at least 1.")
    int shards;

    @Option(names = "--output", order = 6, paramLabel = "FILE", required = true,
            description = "Where to write the plan (JSON), replaced atomically.")
    Path output;

    @Option(names = {"-q", "--quiet"}, order = 102, description = "No log lines and no summary on stdout.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, order = 103, description = "Debug logging, and a stack trace with any error.")
    boolean verbose;

    private final Environment env;
    private Redactor redactor = Redactor.structural();

    PlanCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Redactor redactor() {
        return redactor;
    }

    @Override
    public Integer call() {
        if (quiet && verbose) {
            throw usage("--quiet and --verbose contradict each other: choose one.");
        }
        if (shards < 1) {
            throw usage("--shards " + shards + ": a plan needs at least 1 shard.");
        }
        Path parent = output.toAbsolutePath().getParent();
        if (Files.isDirectory(output) || (parent != null && !Files.isDirectory(parent))) {
            throw usage("--output " + output + " is not a file in an existing directory: choose another path.");
        }
        Logging.configure(verbose, quiet);
        if (pairs != null) {
            return planPairs();
        }
        ConnectionSettings source = connection.source(env);
        ConnectionSettings target = connection.target(env);
        redactor = Redactor.of(source, target);
        connection.warnOfPasswordsOnTheCommandLine(spec.commandLine().getErr(), quiet);
        Verifier.Builder builder = VerificationOptions.of(spec).applyTo(Verifier.builder().source(source).target(target), env);
        ShardPlan plan;
        try (Verifier verifier = builder.build()) {
            plan = verifier.plan(shards);
        }
        plan.write(output);
        if (!quiet) {
            int ranges = 0;
            for (String table : plan.tables()) {
                ranges += plan.ranges(table);
            }
            spec.commandLine().getOut().println("Planned " + plan.tables().size() + " tables in " + ranges
                    + " key ranges over " + shards + " shards (plan " + plan.digest() + "): " + output);
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.MATCH;
    }

    /**
     * The fleet's plan: each pair's source asked its size once (a few at a time), the pairs dealt largest first. A
     * source that cannot be reached is planned without a size, with a warning: its shard will report it incomplete.
     */
    private int planPairs() {
        if (connection.source != null || connection.target != null) {
            throw usage("--pairs " + pairs + " lists the sources and targets: drop --source and --target.");
        }
        List<PairSpec> all = PairsFile.read(pairs, env.variables());
        List<ConnectionSettings> sides = new ArrayList<>();
        all.forEach(pair -> {
            sides.add(pair.source());
            sides.add(pair.target());
        });
        redactor = Redactor.of(sides.toArray(ConnectionSettings[]::new));
        ExecutorService sizing = Executors.newFixedThreadPool(Math.min(8, Math.max(1, all.size())), runnable -> {
            Thread thread = new Thread(runnable, "pgverify-plan-size");
            thread.setDaemon(true);
            return thread;
        });
        List<PairPlanFile.Sized> sized = new ArrayList<>();
        try {
            List<Future<Long>> sizes = new ArrayList<>();
            for (PairSpec pair : all) {
                sizes.add(sizing.submit(() -> size(pair)));
            }
            for (int i = 0; i < all.size(); i++) {
                PairSpec pair = all.get(i);
                Long bytes;
                try {
                    bytes = sizes.get(i).get();
                } catch (ExecutionException e) {
                    bytes = null;
                    if (!quiet) {
                        spec.commandLine().getErr().println("pgverify: [" + pair.name() + "] size unknown, planned by"
                                + " count: " + redactor.redact(String.valueOf(e.getCause().getMessage())));
                    }
                }
                sized.add(new PairPlanFile.Sized(pair.name(), pair.identity(), bytes));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerifyException(ErrorCode.INTERRUPTED, "Interrupted while reading the sizes of the sources.");
        } finally {
            sizing.shutdownNow();
        }
        // The path as given: the shards read the same file where it is mounted for them (a ConfigMap in Kubernetes).
        PairPlanFile plan = PairPlanFile.assign(shards, pairs.toString(), sized);
        plan.write(output);
        if (!quiet) {
            spec.commandLine().getOut().println("Planned " + all.size() + " pairs over " + shards + " shards (plan "
                    + plan.digest() + "): " + output);
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.MATCH;
    }

    /** {@code pg_database_size} of the pair's source, over one connection closed at once. */
    private static Long size(PairSpec pair) throws SQLException {
        try (HikariDataSource pool = ConnectionPools.create(pair.source(), "plan", 1, Verifier.DEFAULT_APPLICATION_NAME);
             Connection connection = pool.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_catalog.pg_database_size(pg_catalog.current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static VerifyException usage(String message) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
