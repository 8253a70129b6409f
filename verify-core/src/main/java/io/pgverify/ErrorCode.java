package io.pgverify;

/**
 * Why a verification could not be carried out. Each code owns the exit code the command-line gate ends with, so a
 * runbook can tell "the copy is wrong" (differences, exit 1) from "we could not find out" (exit 3). The codes are
 * the one place the command's exit codes are defined.
 */
public enum ErrorCode {
    /** The verification ran and found differences ({@link Verifier#verifyOrThrow()}). */
    DIFFERENCES_FOUND(1),
    /** The verification ran but could not compare everything it was asked to ({@link Verifier#verifyOrThrow()}). */
    INCOMPLETE(3),
    /** The configuration or input is wrong: fix the command or the builder call. */
    INVALID_CONFIGURATION(2),
    /** The server could not be reached: wrong host or port, server down, network. */
    CONNECTION_FAILED(3),
    /** The server refused the credentials. */
    AUTHENTICATION_FAILED(3),
    /** The database named in the connection settings does not exist. */
    DATABASE_NOT_FOUND(3),
    /** The user may not read something the verification needs. */
    PERMISSION_DENIED(3),
    /** A query ran longer than the statement timeout, or waited longer than the lock timeout. */
    TIMEOUT(3),
    /** The verification was interrupted before it finished. */
    INTERRUPTED(130),
    /** A query failed for another reason; the message keeps the SQLSTATE. */
    QUERY_FAILED(3);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The exit code of the {@code pgverify} command for this error. */
    public int exitCode() {
        return exitCode;
    }
}
