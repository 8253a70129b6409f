package io.pgverify.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;
import io.pgverify.report.ReportFormat;

import picocli.CommandLine.Option;

/** Where the report goes and how chatty the command is: shared by {@code verify} and {@code demo}. */
final class OutputOptions {

    @Option(names = "--format", order = 100, paramLabel = "FORMAT", defaultValue = "text",
            description = "The report's format: text, json, junit or html (one self-contained page; not for preflight). Default: text.")
    ReportFormat format = ReportFormat.TEXT;

    @Option(names = "--report", order = 101, paramLabel = "FILE",
            description = "Write the report to FILE in the chosen format; the text summary still goes to stdout.")
    Path report;

    @Option(names = {"-q", "--quiet"}, order = 102,
            description = "No progress and no log lines; with --report, no summary on stdout either.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, order = 103, description = "Debug logging, and a stack trace with any error.")
    boolean verbose;

    @Option(names = "--no-color", order = 104, description = "No colour, even on a terminal (NO_COLOR does the same).")
    boolean noColor;

    /** Conflicting flags and an unwritable report path are usage errors, found before hours of verification. */
    void validate() {
        if (quiet && verbose) {
            throw usage("--quiet and --verbose contradict each other: choose one.");
        }
        if (report != null) {
            Path absolute = report.toAbsolutePath();
            if (Files.isDirectory(absolute)) {
                throw usage("--report " + report + " is a directory: give a file name.");
            }
            Path parent = absolute.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw usage("--report " + report + ": the directory " + parent + " does not exist; create it or choose another path.");
            }
            if (parent != null && !Files.isWritable(parent)) {
                throw usage("--report " + report + ": the directory " + parent + " is not writable; choose another path.");
            }
        }
    }

    private static VerifyException usage(String message) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
