package io.pgverify.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.pgverify.ConnectionSettings;
import io.pgverify.MigrationMethod;
import io.pgverify.Preflight;
import io.pgverify.PreflightReport;
import io.pgverify.report.preflight.PreflightWriter;
import io.pgverify.report.ReportFormat;
import io.pgverify.embedded.PostgresServer;
import io.pgverify.embedded.ServerPair;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pgverify demo}: a newcomer's first run, with no database of their own. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = PgVerify.Version.class,
        modelTransformer = VerificationOptions.Added.class, sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Try pgverify on two embedded servers with a damaged copy (exits 1, as intended).",
        description = {
            "Starts PostgreSQL 13 (source) and 17 (target) from embedded binaries (no Docker, no installed PostgreSQL), "
                    + "loads a small shop on the source, copies it to the target, then damages the target the way "
                    + "migrations do: a row lost in replication, a sequence not advanced, a value changed.",
            "Before damaging the copy it runs a preflight ('pgverify preflight --method logical') and prints what it "
                    + "finds: the shop's audit_log has no primary key, and its sequences would need a plan at cutover.",
            "It then runs the same verification as 'pgverify verify', prints the report and stops the servers. "
                    + "It exits 1: differences found, as intended."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    private final Environment env;

    DemoCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        output.validate();
        Logging.configure(output.verbose, output.quiet);
        PrintWriter err = spec.commandLine().getErr();
        say(err, "pgverify demo: starting PostgreSQL 13 (source) and 17 (target) from the embedded binaries...");
        ServerPair servers = ServerPair.start();
        // Ctrl-C must not leave two servers running: the hook stops them, the finally block does when all goes well.
        Thread stopServers = new Thread(servers::close, "pgverify-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(stopServers);
        try {
            say(err, "pgverify demo: loading the shop on the source and copying it to the target...");
            for (PostgresServer server : List.of(servers.source(), servers.target())) {
                server.execute("postgres", "CREATE DATABASE " + DemoData.DATABASE);
                server.execute(DemoData.DATABASE, DemoData.SCHEMA_AND_ROWS.toArray(String[]::new));
            }
            // The demo's own servers, not the user's: PGSSLMODE or PGSERVICE in the shell must not reach them.
            ConnectionSettings source = ConnectionSettings.parse(servers.source().libpqUri(DemoData.DATABASE), Map.of());
            ConnectionSettings target = ConnectionSettings.parse(servers.target().libpqUri(DemoData.DATABASE), Map.of());
            preflight(source, target, err);
            servers.target().execute(DemoData.DATABASE, DemoData.DAMAGE.toArray(String[]::new));
            say(err, "pgverify demo: damaged the target on purpose:");
            DemoData.DAMAGE_DESCRIPTIONS.forEach(line -> say(err, "  - " + line));
            int exitCode = new Gate(env, spec.commandLine().getOut(), err)
                    .run(source, target, VerificationOptions.of(spec), output);
            say(err, exitCode == ExitCodes.DIFFERENCES
                    ? "pgverify demo: differences found, as expected: the demo damaged the target on purpose, so it exits 1. "
                            + "Now try 'pgverify verify --source URL --target URL' on your own databases."
                    : "pgverify demo: expected differences (exit 1) but the verification ended with exit " + exitCode + ".");
            return exitCode;
        } finally {
            servers.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopServers);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: the servers are being stopped either way
            }
        }
    }

    /**
     * What 'pgverify preflight --method logical' says about the shop: the report goes where the verification's goes
     * when that is text on stdout, else to stderr, so that a JSON or JUnit report on stdout stays one document.
     */
    private void preflight(ConnectionSettings source, ConnectionSettings target, PrintWriter err) {
        say(err, "pgverify demo: first, the preflight: what logical replication of this shop would trip over "
                + "('pgverify preflight --method logical'):");
        PreflightReport report;
        try (Preflight preflight = Preflight.builder().source(source).target(target).method(MigrationMethod.LOGICAL).build()) {
            report = preflight.run();
        }
        PreflightWriter.Options options = new PreflightWriter.Options(PgVerify.version(), source.toString(), target.toString());
        if (output.format == ReportFormat.TEXT && output.report == null) {
            PrintWriter out = spec.commandLine().getOut();
            PreflightCommand.write(report, ReportFormat.TEXT, options, out);
            out.println();
            out.flush();
        } else if (!output.quiet) {
            PreflightCommand.write(report, ReportFormat.TEXT, options, err);
        }
        say(err, "pgverify demo: that preflight would exit " + PreflightCommand.exitCode(report) + " (a blocker). Now the "
                + "copy is damaged and verified, as 'pgverify verify' does it.");
    }

    private void say(PrintWriter err, String line) {
        if (!output.quiet) {
            err.println(line);
            err.flush();
        }
    }
}
