package io.pgverify;

import java.util.Objects;

/**
 * Thrown when a verification cannot be carried out at all: bad configuration, a server that cannot be reached.
 * Differences between the databases are never exceptions: they are data in the {@link VerificationReport}.
 * Messages never carry passwords: what looks like one is masked on the way in, and a {@link Verifier} masks its own
 * passwords in what it throws.
 */
public class VerifyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;
    private final String sqlState;

    public VerifyException(ErrorCode errorCode, String message) {
        this(errorCode, message, null, null);
    }

    public VerifyException(ErrorCode errorCode, String message, String sqlState, Throwable cause) {
        super(Redactor.structural().redact(message), cause);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.sqlState = sqlState;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /** The SQLSTATE of the failure that caused this, or null when it did not come from the server. */
    public String sqlState() {
        return sqlState;
    }
}
