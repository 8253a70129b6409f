package io.pgverify.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pgverify.ConnectionSettings;
import io.pgverify.ErrorCode;
import io.pgverify.MigrationMethod;
import io.pgverify.Preflight;
import io.pgverify.Redactor;
import io.pgverify.PreflightReport;
import io.pgverify.VerifyException;
import io.pgverify.report.preflight.PreflightWriter;
import io.pgverify.internal.config.Durations;
import io.pgverify.report.ReportFormat;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code pgverify preflight}: what will break the migration, read from the catalogs before it starts. */
@Command(name = "preflight", mixinStandardHelpOptions = true, versionProvider = PgVerify.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        header = "Find what will break a migration before it starts, from the catalogs (read-only, cheap).",
        description = {
            "Reads the source's catalogs (and the target's, when given) and lists what the chosen migration method will "
                    + "trip over: tables without a primary key or replica identity, deferrable keys, sequences, unlogged "
                    + "tables and large objects that replication does not carry, btree entries near the size limit, user "
                    + "types whose OIDs will change, md5 passwords, missing extensions, differing settings and collation "
                    + "versions, and what holds back vacuum on the source.",
            "",
            "Each finding has a stable code, a severity (blocker, warning, info) and names the objects concerned. What "
                    + "the connecting role may not read is reported as not checked, never as clean.",
            "The report goes to stdout (or --report FILE); logs go to stderr."},
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  PGVERIFY_SOURCE           the source URL when --source is not given",
            "  PGVERIFY_TARGET           the target URL when --target is not given",
            "  PGVERIFY_SOURCE_PASSWORD  the source's password when its URL has none",
            "  PGVERIFY_TARGET_PASSWORD  the target's password when its URL has none",
            "  PGPASSWORD                either side's password when none of the above has it",
            "",
            "Examples:",
            "  pgverify preflight --source postgresql://postgres@old-db/shop --method logical",
            "  pgverify preflight --source postgresql://postgres@old-db/shop \\",
            "                     --target postgresql://postgres@new-db/shop \\",
            "                     --format json --report preflight.json"})
final class PreflightCommand implements Callable<Integer>, PgVerify.HoldsSecrets {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--method", paramLabel = "METHOD", order = 4, defaultValue = "dump-restore",
            description = "How the data will move: dump-restore, logical or pglogical; severities depend on it. "
                    + "Default: dump-restore.")
    String method;

    // Not split here: the library splits on commas outside quotes, so "a,b".t stays one name, as in verify.
    @Option(names = "--include", order = 10, paramLabel = "PATTERN",
            description = "Check only tables matching schema.table patterns, read as verify reads them (psql's \\d "
                    + "rules). Repeatable, comma-separated.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exclude", order = 11, paramLabel = "PATTERN",
            description = "Leave out tables matching these patterns; wins over --include. Repeatable, comma-separated.")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--replication-user", order = 12, paramLabel = "ROLE",
            description = "The role the replication will connect as, for the privilege checks of the logical methods. "
                    + "Default: the role in --source.")
    String replicationUser;

    @Option(names = "--exact-index-sizes", order = 13,
            description = "Read every row of the tables with btree indexes for the index-entry size check, instead of "
                    + "a bounded sample: exact, and as expensive as scanning them all.")
    boolean exactIndexSizes;

    @Option(names = "--index-sample-rows", order = 14, paramLabel = "N",
            description = "At most N rows sampled per index for the index-entry size check. Default: "
                    + Preflight.DEFAULT_INDEX_SAMPLE_ROWS + ".")
    Long indexSampleRows;

    @Option(names = "--long-transaction", order = 15, paramLabel = "DURATION", converter = DurationText.class,
            description = "Report transactions open longer than this on the source as holding back vacuum. Default: 5m.")
    Duration longTransaction;

    @Option(names = "--statement-timeout", order = 16, paramLabel = "DURATION", converter = DurationText.class,
            description = "The longest any one query may run; a check that times out is reported as not checked. "
                    + "Default: 2m.")
    Duration statementTimeout;

    @Mixin
    OutputOptions output;

    private final Environment env;
    /** Masks the passwords this command was given, once it knows them. */
    private Redactor redactor = Redactor.structural();

    PreflightCommand(Environment env) {
        this.env = env;
    }

    /** Durations as {@code verify} reads them ({@code 90s}, {@code 5m}, {@code PT5M}); a bad one is a usage error. */
    static final class DurationText implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (VerifyException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The exit codes in {@code preflight --help}. */
    static java.util.Map<String, String> exitCodes() {
        java.util.Map<String, String> codes = new java.util.LinkedHashMap<>(ExitCodes.descriptions());
        codes.put("0", "no blocker found, and every check that applies was carried out");
        codes.put("1", "at least one blocker was found");
        codes.put("3", "the preflight could not be completed (connection refused, authentication failed, database "
                + "missing), or a check could not be carried out (reported as not checked)");
        return codes;
    }

    /** The exit code of a preflight: a blocker fails it, something not checked leaves it incomplete. */
    static int exitCode(PreflightReport report) {
        if (report.hasBlockers()) {
            return ExitCodes.DIFFERENCES;
        }
        return report.complete() ? ExitCodes.MATCH : ExitCodes.INCOMPLETE;
    }

    @Override
    public Redactor redactor() {
        return redactor;
    }

    @Override
    public Integer call() {
        output.validate();
        if (output.format == ReportFormat.HTML) {
            // Shared with verify, where html is the report people look at; a preflight's few findings read well as text.
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION,
                    "preflight writes its report as text, json or junit, not html: choose one of those.");
        }
        Logging.configure(output.verbose, output.quiet);
        MigrationMethod migrationMethod = MigrationMethod.of(method);
        ConnectionSettings sourceSettings = connection.source(env);
        // Optional here: without a target, the comparisons with it are skipped.
        ConnectionSettings targetSettings = connection.hasTarget(env) ? connection.target(env) : null;
        redactor = Redactor.of(sourceSettings, targetSettings);
        connection.warnOfPasswordsOnTheCommandLine(spec.commandLine().getErr(), output.quiet);
        Preflight.Builder builder = Preflight.builder().source(sourceSettings).method(migrationMethod)
                .include(includes.toArray(String[]::new)).exclude(excludes.toArray(String[]::new))
                .exactIndexSizes(exactIndexSizes);
        if (targetSettings != null) {
            builder.target(targetSettings);
        }
        if (replicationUser != null) {
            builder.replicationUser(replicationUser);
        }
        if (indexSampleRows != null) {
            builder.indexSampleRows(indexSampleRows);
        }
        if (longTransaction != null) {
            builder.longTransaction(longTransaction);
        }
        if (statementTimeout != null) {
            builder.statementTimeout(statementTimeout);
        }
        Logger log = LoggerFactory.getLogger(PreflightCommand.class);
        log.info("Preflight for {} of {}", migrationMethod.label(), sourceSettings);
        PreflightReport report;
        try (Preflight preflight = builder.build()) {
            report = preflight.run();
        }
        PreflightWriter.Options options = new PreflightWriter.Options(PgVerify.version(), sourceSettings.toString(),
                targetSettings == null ? null : targetSettings.toString());
        PrintWriter out = spec.commandLine().getOut();
        if (output.report == null) {
            write(report, output.format, options, out);
        } else {
            writeFile(report, output.report, output.format, options);
            log.info("Wrote the {} preflight report to {}", output.format.label(), output.report);
            if (!output.quiet) {
                write(report, ReportFormat.TEXT, options, out);
            }
        }
        return exitCode(report);
    }

    static void write(PreflightReport report, ReportFormat format, PreflightWriter.Options options, PrintWriter out) {
        try {
            PreflightWriter.of(format).write(report, options, out);
            out.flush();
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.QUERY_FAILED, "Could not write the report to stdout: " + e.getMessage(), null, e);
        }
    }

    /** Written beside the target and moved into place, so that a runbook never reads half a report. */
    private static void writeFile(PreflightReport report, Path destination, ReportFormat format, PreflightWriter.Options options) {
        Path file = destination.toAbsolutePath();
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                PreflightWriter.of(format).write(report, options, writer);
            }
            try {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the original failure is the one to report
            }
            throw new VerifyException(ErrorCode.QUERY_FAILED, "Could not write the report to " + destination + ": "
                    + e.getMessage() + "; check the path and free space.", null, e);
        }
    }
}
