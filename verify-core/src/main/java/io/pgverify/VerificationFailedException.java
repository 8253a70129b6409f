package io.pgverify;

/**
 * Thrown by {@link Verifier#verifyOrThrow()} when the target does not match; carries the whole report. Its message
 * is the report's {@linkplain VerificationReport#summary() summary}: the first differing tables and keys, or what
 * could not be compared. A {@link VerifyException}, so one {@code catch} takes every way a gate can stay closed:
 * {@link ErrorCode#DIFFERENCES_FOUND} for a mismatch, {@link ErrorCode#INCOMPLETE} for an incomplete verification.
 */
public class VerificationFailedException extends VerifyException {

    private static final long serialVersionUID = 1L;

    private final transient VerificationReport report;

    public VerificationFailedException(VerificationReport report) {
        super(report.outcome() == Outcome.MISMATCH ? ErrorCode.DIFFERENCES_FOUND : ErrorCode.INCOMPLETE,
                report.summary(), null, null);
        this.report = report;
    }

    public VerificationReport report() {
        return report;
    }
}
