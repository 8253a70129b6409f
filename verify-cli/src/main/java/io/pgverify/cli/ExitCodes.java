package io.pgverify.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import io.pgverify.ErrorCode;

/** The exit codes of {@code pgverify}: what a runbook branches on. The numbers are {@link ErrorCode}'s. */
final class ExitCodes {

    static final int MATCH = 0;
    static final int DIFFERENCES = ErrorCode.DIFFERENCES_FOUND.exitCode();
    static final int USAGE = ErrorCode.INVALID_CONFIGURATION.exitCode();
    static final int INCOMPLETE = ErrorCode.INCOMPLETE.exitCode();
    static final int INTERRUPTED = ErrorCode.INTERRUPTED.exitCode();

    static final String HEADING = "%nExit codes:%n";

    /** For {@code exitCodeList} in every command's help: defined once here. */
    static Map<String, String> descriptions() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "the target matches the source");
        codes.put("1", "differences were found");
        codes.put("2", "the command was used wrongly (unknown option, malformed URL, conflicting flags)");
        codes.put("3", "the verification could not be completed (connection refused, authentication failed, database "
                + "missing, permission denied, timeout, or any part of the report incomplete)");
        codes.put("130", "interrupted (Ctrl-C)");
        return codes;
    }

    private ExitCodes() {
    }
}
