package io.pgverify.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;
import io.pgverify.internal.io.AtomicFiles;
import io.pgverify.report.FleetReportWriter;
import io.pgverify.report.JsonReportReader;
import io.pgverify.report.ReportFormat;
import io.pgverify.report.ReportOptions;
import io.pgverify.report.ReportWriter;
import io.pgverify.report.ShardMerge;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pgverify merge-reports}: the shards' JSON reports combined into the verdict of one process. */
@Command(name = "merge-reports", mixinStandardHelpOptions = true, versionProvider = PgVerify.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        header = "Combine the JSON reports of every shard of a plan into the verdict one process would give.",
        description = {
            "Reads the JSON reports written by 'verify --plan FILE --shard I/N' (or by 'verify --pairs FILE --shard "
                    + "I/N') and writes one report: row counts summed, differences united and capped as one run "
                    + "caps them, verdicts combined. Its exit code is the merged verdict's (0, 1 or 3).",
            "",
            "Refused with exit 3, naming what is missing, when a shard's report is missing, given twice, or from "
                    + "another plan: a merge of some shards would pass the others' rows unread."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  pgverify merge-reports --report verdict.json --format json shard-0.json shard-1.json shard-2.json",
            "  pgverify merge-reports --report verdict.xml --format junit reports/*.json"})
final class MergeReportsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--report", order = 1, paramLabel = "FILE",
            description = "Write the merged report to FILE (replaced atomically); the text summary still goes to stdout. "
                    + "Default: the report on stdout.")
    Path report;

    @Option(names = "--format", order = 2, paramLabel = "FORMAT", defaultValue = "text",
            description = "The merged report's format: text, json, junit or html. Default: text.")
    ReportFormat format = ReportFormat.TEXT;

    @Option(names = {"-q", "--quiet"}, order = 3, description = "With --report, no summary on stdout.")
    boolean quiet;

    @Option(names = "--no-color", order = 4, description = "No colour, even on a terminal (NO_COLOR does the same).")
    boolean noColor;

    @Parameters(paramLabel = "SHARD.json", arity = "1..*", description = "The JSON report of every shard of the plan.")
    List<Path> shards = new ArrayList<>();

    private final Environment env;

    MergeReportsCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Map<String, JsonReportReader.Parsed> parsed = new LinkedHashMap<>();
        for (Path file : shards) {
            String name = file.toString();
            if (parsed.containsKey(name)) {
                throw incomplete("The report " + file + " is given twice: give each shard's report once.");
            }
            parsed.put(name, read(file));
        }
        ShardMerge.Merged merged = ShardMerge.merge(parsed);
        String version = PgVerify.version();
        boolean color = !noColor && env.colorAllowed();
        PrintWriter out = spec.commandLine().getOut();
        if (report == null) {
            write(merged, format, new ReportOptions(version, color, merged.sourceLabel(), merged.targetLabel()), out);
        } else {
            try {
                AtomicFiles.write(report, AtomicFiles.Access.UMASK, stream -> {
                    Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                    write(merged, format, new ReportOptions(version, false, merged.sourceLabel(), merged.targetLabel()), writer);
                    writer.flush();
                });
            } catch (IOException e) {
                throw new VerifyException(ErrorCode.QUERY_FAILED, "Could not write the report to " + report + ": "
                        + e.getMessage() + "; check the path and free space.", null, e);
            }
            if (!quiet) {
                write(merged, ReportFormat.TEXT, new ReportOptions(version, color, merged.sourceLabel(), merged.targetLabel()), out);
            }
        }
        out.flush();
        return Gate.exitCode(merged.outcome());
    }

    private static void write(ShardMerge.Merged merged, ReportFormat format, ReportOptions options, Writer out) {
        try {
            // Through each format's writer, so a format added later (html) merges as the others do.
            if (merged.report() != null) {
                ReportWriter.of(format).write(merged.report(), options, out);
            } else {
                FleetReportWriter.of(format).write(merged.fleet(), options, out);
            }
            out.flush();
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.QUERY_FAILED, "Could not write the merged report: " + e.getMessage(), null, e);
        }
    }

    private static JsonReportReader.Parsed read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return JsonReportReader.read(in);
        } catch (NoSuchFileException e) {
            throw incomplete("The shard report " + file + " is missing: that shard did not finish, or the path is wrong;"
                    + " merge once every shard has written its report.");
        } catch (IOException e) {
            throw incomplete("Could not read the shard report " + file + ": " + e.getMessage() + ".");
        } catch (IllegalArgumentException | VerifyException e) {
            throw incomplete("The shard report " + file + " is not a JSON report of pgverify (" + e.getMessage()
                    + "): give the reports written with --format json.");
        }
    }

    private static VerifyException incomplete(String message) {
        return new VerifyException(ErrorCode.INCOMPLETE, message);
    }
}
