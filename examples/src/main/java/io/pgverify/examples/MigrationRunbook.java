package io.pgverify.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pgverify.ConnectionSettings;
import io.pgverify.Outcome;
import io.pgverify.VerificationReport;
import io.pgverify.Verifier;
import io.pgverify.VerifyException;
import io.pgverify.report.ReportFormat;
import io.pgverify.report.ReportOptions;
import io.pgverify.report.ReportWriter;

/**
 * A migration runbook with the verifier as one of its steps: collect the databases, then for each one provision the
 * new server, copy, <b>verify</b>, promote, clean up. The platform's own steps (provisioning, the copy, switching the
 * application over) are behind {@link Steps}; the verification is this class's, and it decides: only a target that
 * matches is promoted, and every verification leaves its JSON report as the evidence.
 *
 * <pre>{@code
 * List<MigrationRunbook.Result> results = new MigrationRunbook(platformSteps, Path.of("evidence")).run();
 * }</pre>
 *
 * <p>Shaped like the runbooks of platforms that moved thousands of databases in maintenance windows: a list of
 * operations applied to each collected database, where a step that fails stops that database's migration and leaves the
 * old one serving.
 */
public final class MigrationRunbook {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationRunbook.class);

    /** One database to move: where it is, and where the new one will be. */
    public record Migration(String name, ConnectionSettings source, ConnectionSettings target) {
    }

    /**
     * What happened to one database.
     *
     * @param outcome  the verification's verdict; {@link Outcome#INCOMPLETE} when it could not run at all
     * @param evidence the JSON report, or null when the verification could not run (the reason is in the log)
     * @param promoted true only when the outcome was {@link Outcome#MATCH}
     */
    public record Result(String name, Outcome outcome, Path evidence, boolean promoted) {
    }

    /** The platform's own steps, around the verification. */
    public interface Steps {
        /** The databases to migrate in this window. */
        List<Migration> collect();

        /** Creates the new database (server, roles, schema) that {@code migration.target()} names. */
        void provision(Migration migration);

        /** Copies the data, writes to the old database stopped (a maintenance page, the application paused). */
        void copy(Migration migration);

        /** Switches the application to the new database. Called only after a verification found it to match. */
        void promote(Migration migration);

        /**
         * After promotion, removes the old database; without it, removes the new one and resumes writes to the old,
         * which still serves. Either way the evidence stays.
         */
        void cleanUp(Migration migration, boolean promoted);
    }

    private final Steps steps;
    private final Path evidenceDirectory;

    public MigrationRunbook(Steps steps, Path evidenceDirectory) {
        this.steps = steps;
        this.evidenceDirectory = evidenceDirectory;
    }

    /** Migrates every collected database, one after the other; one that is not promoted does not stop the others. */
    public List<Result> run() throws IOException {
        Files.createDirectories(evidenceDirectory);
        List<Result> results = new ArrayList<>();
        for (Migration migration : steps.collect()) {
            results.add(migrate(migration));
        }
        return results;
    }

    private Result migrate(Migration migration) {
        steps.provision(migration);
        steps.copy(migration);
        Path evidence = evidenceDirectory.resolve(migration.name() + ".json");
        Outcome outcome = verify(migration, evidence);
        // Anything but MATCH keeps the old database: a difference, and equally a verification that could not finish.
        boolean promote = outcome == Outcome.MATCH;
        if (promote) {
            steps.promote(migration);
        } else {
            LOG.warn("{}: not promoted, the verification's outcome is {}; the old database keeps serving", migration.name(),
                    outcome);
        }
        steps.cleanUp(migration, promote);
        return new Result(migration.name(), outcome, Files.exists(evidence) ? evidence : null, promote);
    }

    /** The verification step: its verdict, and its report written to {@code evidence} as the record of the decision. */
    static Outcome verify(Migration migration, Path evidence) {
        // README: runbook-verify
        try (Verifier verifier = Verifier.builder().source(migration.source()).target(migration.target()).build()) {
            VerificationReport report = verifier.verify();
            try (Writer out = Files.newBufferedWriter(evidence)) {         // what `pgverify --format json` writes
                ReportWriter.of(ReportFormat.JSON).write(report, new ReportOptions("runbook", false,
                        migration.source().toString(), migration.target().toString()), out);
            }
            LOG.info("{}: {}, evidence kept at {}", migration.name(), report.outcome(), evidence.toAbsolutePath());
            return report.outcome();
        } catch (VerifyException e) {        // could not verify at all: unreachable, refused, no permission
            LOG.error("{}: could not be verified ({}): {}", migration.name(), e.errorCode(), e.getMessage());
            return Outcome.INCOMPLETE;
        } catch (IOException e) {            // a verdict without its evidence is no ground for promotion
            throw new UncheckedIOException("cannot keep the evidence at " + evidence, e);
        }
        // END README
    }

    /**
     * The runbook with the platform's steps as stubs that only say what they would do: a dry run that verifies a
     * database already copied.
     *
     * <pre>
     * java -cp ... io.pgverify.examples.MigrationRunbook NAME SOURCE_URL TARGET_URL EVIDENCE_DIR
     * </pre>
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: MigrationRunbook NAME SOURCE_URL TARGET_URL EVIDENCE_DIR");
            System.exit(2);
        }
        Migration migration = new Migration(args[0], ConnectionSettings.parse(args[1]), ConnectionSettings.parse(args[2]));
        List<Result> results = new MigrationRunbook(new StubSteps(List.of(migration)), Path.of(args[3])).run();
        System.exit(results.stream().allMatch(Result::promoted) ? 0 : 1);
    }

    /** Steps that log what a platform would do: provisioning, the copy and the switch are the platform's business. */
    static final class StubSteps implements Steps {
        private final List<Migration> migrations;

        StubSteps(List<Migration> migrations) {
            this.migrations = List.copyOf(migrations);
        }

        @Override
        public List<Migration> collect() {
            return migrations;
        }

        @Override
        public void provision(Migration migration) {
            LOG.info("STUB provision: would create {} on {}", migration.target().database(), migration.target().endpoint());
        }

        @Override
        public void copy(Migration migration) {
            LOG.info("STUB copy: would pause writes and run pg_dump -Fc {} | pg_restore -d {}", migration.source().endpoint(),
                    migration.target().endpoint());
        }

        @Override
        public void promote(Migration migration) {
            LOG.info("STUB promote: would point the application of {} at {}", migration.name(), migration.target().endpoint());
        }

        @Override
        public void cleanUp(Migration migration, boolean promoted) {
            LOG.info("STUB clean up: would drop {}", promoted ? migration.source().endpoint() : migration.target().endpoint());
        }
    }
}
