package io.pgverify.cli;

import java.util.concurrent.Callable;

import io.pgverify.ConnectionSettings;
import io.pgverify.ErrorCode;
import io.pgverify.Redactor;
import io.pgverify.ShardPlan;
import io.pgverify.VerifyException;
import io.pgverify.internal.shard.PairPlanFile;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pgverify verify}: the gate. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = PgVerify.Version.class,
        modelTransformer = VerificationOptions.Added.class,
        sortOptions = false, usageHelpAutoWidth = true,
        header = "Verify that a target database holds the same data as its source (the gate).",
        description = {
            "Proves that the target database holds the same data as the source: schema, sequences, row counts, the "
                    + "last rows and a hash of every row, table by table.",
            "",
            "URL is a libpq URI (postgresql://user:password@host:5432/db?sslmode=verify-full) or a JDBC URL "
                    + "(jdbc:postgresql://host:5432/db?user=app). Percent-encode special characters in the password.",
            "The report goes to stdout (or --report FILE); progress and logs go to stderr."},
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  PGVERIFY_SOURCE           the source URL when --source is not given",
            "  PGVERIFY_TARGET           the target URL when --target is not given",
            "  PGVERIFY_SOURCE_PASSWORD  the source's password when its URL has none",
            "  PGVERIFY_TARGET_PASSWORD  the target's password when its URL has none",
            "  PGPASSWORD                either side's password when none of the above has it",
            "  PGPASSFILE                the password file read last (default ~/.pgpass)",
            "  PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE, PGSSLROOTCERT, PGSSLCERT, PGSSLKEY, PGCONNECT_TIMEOUT,",
            "  PGAPPNAME, PGSERVICE, PGSERVICEFILE, PGSYSCONFDIR, ...  as in psql: fill what a URL leaves unset",
            "  PGVERIFY_<OPTION>         any option above (PGVERIFY_THREADS=8): the flag wins",
            "  NO_COLOR                  no colour when set",
            "  PGVERIFY_JAVA_OPTS        JVM options for bin/pgverify, e.g. -Xmx2g",
            "",
            "Examples:",
            "  pgverify verify --source postgresql://app@old-db/shop \\",
            "                  --target postgresql://app@new-db/shop",
            "  export PGVERIFY_SOURCE=... PGVERIFY_TARGET=...",
            "  pgverify verify --exclude 'audit.*' --format json --report gate.json",
            "  pgverify verify --pairs pairs.yaml --format json --report fleet.json"})
final class VerifyCommand implements Callable<Integer>, PgVerify.HoldsSecrets {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Mixin
    PairsOptions pairs;

    @Mixin
    ShardOptions shard;

    private final Environment env;
    /** Masks the passwords this command was given, once it knows them. */
    private Redactor redactor = Redactor.structural();

    VerifyCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Redactor redactor() {
        return redactor;
    }

    @Override
    public Integer call() {
        output.validate();
        Logging.configure(output.verbose, output.quiet);
        ShardPlan plan = null;
        if (shard.given()) {
            if (pairs.given()) {
                throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "--plan " + shard.plan + " already says"
                        + " what to verify: drop --pairs.");
            }
            if (PairPlanFile.isPairPlan(shard.plan)) {
                if (pairs.shard() == null) {
                    throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "--plan " + shard.plan + " needs --shard"
                            + " I/N: which of the plan's shards this process verifies.");
                }
                PairPlanFile pairPlan = PairPlanFile.read(shard.plan);
                if (pairPlan.shards() != pairs.shard().count()) {
                    throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "The plan " + shard.plan + " is split into "
                            + pairPlan.shards() + " shards, not " + pairs.shard().count() + ": give --shard I/"
                            + pairPlan.shards() + ".");
                }
                return new FleetRun(env, spec.commandLine().getOut(), spec.commandLine().getErr())
                        .run(pairs, pairPlan, VerificationOptions.of(spec), output, masking -> redactor = masking);
            }
            plan = shard.read(pairs.shard());
        } else {
            pairs.validate(connection);
        }
        if (pairs.given()) {
            return new FleetRun(env, spec.commandLine().getOut(), spec.commandLine().getErr())
                    .run(pairs, VerificationOptions.of(spec), output, masking -> redactor = masking);
        }
        ConnectionSettings sourceSettings = connection.source(env);
        ConnectionSettings targetSettings = connection.target(env);
        redactor = Redactor.of(sourceSettings, targetSettings);
        connection.warnOfPasswordsOnTheCommandLine(spec.commandLine().getErr(), output.quiet);
        return new Gate(env, spec.commandLine().getOut(), spec.commandLine().getErr())
                .forShard(plan, pairs.shard())
                .run(sourceSettings, targetSettings, VerificationOptions.of(spec), output);
    }
}
