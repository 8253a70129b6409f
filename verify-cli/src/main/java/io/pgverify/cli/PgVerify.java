package io.pgverify.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;
import java.util.concurrent.Callable;

import io.pgverify.VerifyException;
import io.pgverify.Redactor;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code pgverify}: the command-line gate a migrated PostgreSQL database passes before promotion. Its exit code is the
 * verdict (see {@link ExitCodes}); stdout carries only the report.
 */
@Command(name = "pgverify", mixinStandardHelpOptions = true, versionProvider = PgVerify.Version.class,
        usageHelpAutoWidth = true,
        description = {
            "Proves that a migrated PostgreSQL database holds the same data as its source.",
            "",
            "Start with 'pgverify demo' (no database needed), then 'pgverify verify --source URL --target URL'.",
            "Before a migration, 'pgverify preflight --source URL' lists what will break it.",
            "Many databases: 'pgverify verify --pairs FILE' verifies a list of pairs, '--shard I/N' one share of it.",
            "Too big for one machine: 'pgverify plan --shards N' splits the work, 'verify --plan FILE --shard I/N' "
                    + "verifies one share, 'pgverify merge-reports' combines the shares' reports.",
            "Run 'pgverify verify --help' for every option and the environment variables it reads."})
public final class PgVerify implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private PgVerify() {
    }

    public static void main(String[] args) {
        int exitCode = commandLine(Environment.system()).execute(args);
        if (!Gate.INTERRUPTED.get()) {
            // During a Ctrl-C shutdown System.exit would wait for ever on the shutdown hooks; the JVM exits with 130.
            System.exit(exitCode);
        }
    }

    /** The whole command, reading the given environment: what {@link #main} runs and what tests drive. */
    static CommandLine commandLine(Environment env) {
        // Each subcommand as a CommandLine of its own: picocli applies a command's modelTransformer (which adds the
        // verification options) when it builds that CommandLine, not when addSubcommand is handed a bare object.
        CommandLine commandLine = new CommandLine(new PgVerify())
                .addSubcommand("verify", new CommandLine(new VerifyCommand(env)))
                .addSubcommand("preflight", new CommandLine(new PreflightCommand(env)))
                .addSubcommand("demo", new CommandLine(new DemoCommand(env)))
                .addSubcommand("plan", new CommandLine(new PlanCommand(env)))
                .addSubcommand("merge-reports", new CommandLine(new MergeReportsCommand(env)))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(new UsageErrors())
                .setExecutionExceptionHandler(new Failures());
        for (CommandLine command : java.util.List.of(commandLine, commandLine.getSubcommands().get("verify"),
                commandLine.getSubcommands().get("preflight"), commandLine.getSubcommands().get("demo"),
                commandLine.getSubcommands().get("plan"), commandLine.getSubcommands().get("merge-reports"))) {
            command.getCommandSpec().usageMessage().exitCodeListHeading(ExitCodes.HEADING).exitCodeList(ExitCodes.descriptions());
            command.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        }
        commandLine.getSubcommands().get("preflight").getCommandSpec().usageMessage().exitCodeList(PreflightCommand.exitCodes());
        return commandLine;
    }

    /** {@code pgverify} alone: how to use it, and a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** pgverify's version, from the build. */
    static String version() {
        try (InputStream in = PgVerify.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pgverify " + version(), "Java " + System.getProperty("java.version")};
        }
    }

    /** A command that was given passwords: its redactor masks them in any message or stack trace it ends with. */
    interface HoldsSecrets {
        Redactor redactor();
    }

    /** Wrong flags or values: one sentence and where to find the options, exit 2; no wall of usage text. */
    static final class UsageErrors implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            err.println("pgverify: " + Redactor.structural().redact(e.getMessage()));
            UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for the options.");
            err.flush();
            return ExitCodes.USAGE;
        }
    }

    /**
     * Failures while running: the exception's one sentence (already free of passwords, and redacted again to be sure)
     * and its exit code; a stack trace only with --verbose. Anything unexpected exits 3, never 0.
     */
    static final class Failures implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
            PrintWriter err = command.getErr();
            int exitCode;
            String message;
            if (e instanceof VerifyException verify) {
                exitCode = verify.errorCode().exitCode();
                message = verify.getMessage();
            } else {
                exitCode = ExitCodes.INCOMPLETE;
                message = "unexpected failure: " + e + " (run with --verbose for details; please report it).";
            }
            // The command's own redactor knows the passwords it was given; the structural one masks what looks like one.
            Redactor redactor = command.getCommand() instanceof HoldsSecrets holder ? holder.redactor() : Redactor.structural();
            err.println("pgverify: " + redactor.redact(message));
            ParseResult executed = command.getParseResult();
            // A usage error is about the input, not the code: its sentence says all there is.
            boolean usage = exitCode == ExitCodes.USAGE;
            if (!usage && executed != null && executed.hasMatchedOption("--verbose")) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                err.print(redactor.redact(trace.toString()));
            }
            err.flush();
            return exitCode;
        }
    }
}
