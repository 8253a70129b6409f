package io.pgverify;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What was found for one source/target pair of a fleet: its verification report, or why there is none.
 *
 * @param name      the pair's name, unique within its fleet
 * @param report    the verification's report, or null when the pair could not be verified at all (e.g. unreachable)
 * @param error     why there is no report (one sentence, secrets masked), or null when there is one
 * @param duration  how long the pair took, connection attempts included
 */
public record PairReport(String name, VerificationReport report, String error, Duration duration) {

    public PairReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(duration, "duration");
        if ((report == null) == (error == null)) {
            throw new IllegalArgumentException("A pair report has either a report or an error, not " +
                    (report == null ? "neither" : "both"));
        }
    }

    /** A pair verified to the end or in part. */
    public static PairReport of(String name, VerificationReport report) {
        return new PairReport(name, report, null, report.duration());
    }

    /** A pair that could not be verified: it counts as {@link Outcome#INCOMPLETE}, never as a match. */
    public static PairReport failed(String name, String error, Duration duration) {
        return new PairReport(name, null, error, duration);
    }

    /** The pair's verdict: its report's, or {@link Outcome#INCOMPLETE} when it has none. */
    public Outcome outcome() {
        return report == null ? Outcome.INCOMPLETE : report.outcome();
    }

    public Optional<VerificationReport> verification() {
        return Optional.ofNullable(report);
    }
}
