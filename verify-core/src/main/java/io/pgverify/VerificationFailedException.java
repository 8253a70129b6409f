package io.pgverify;

/** Thrown by {@link Verifier#verifyOrThrow()} when the target does not match; carries the whole report. */
public class VerificationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient VerificationReport report;

    public VerificationFailedException(VerificationReport report) {
        super("Verification " + report.outcome().name().toLowerCase(java.util.Locale.ROOT) + ": "
                + report.differenceCount() + " differences in " + report.tables().size() + " tables");
        this.report = report;
    }

    public VerificationReport report() {
        return report;
    }
}
