package io.pgverify;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.pgverify.internal.jdbc.Cancellation;

/**
 * A verification running in the background, started by {@link Verifier#start()}: it can be cancelled, and its report
 * is there when it ends, partial when it was cancelled.
 *
 * <pre>{@code
 * Verification running = verifier.start();
 * // ... the maintenance window is closing:
 * running.cancel();
 * VerificationReport report = running.report();   // interrupted, with what was finished
 * }</pre>
 *
 * <p>The contract, which {@link Verifier#verify()} keeps too when its thread is interrupted: cancelling stops every
 * statement the verification runs on both servers (the server's cancel request, as {@code pg_cancel_backend}),
 * starts no new one, and waits a bounded time (15 s) for the work to end, so that when the report is there nothing
 * of the verification runs on the servers or on a caller's executor any more. The report is then
 * {@linkplain VerificationReport#interrupted() interrupted}: checks finished before the cancel keep their outcome,
 * the others are incomplete, and the outcome is never a match.
 */
public final class Verification {

    private final CompletableFuture<VerificationReport> report;
    private final Cancellation cancellation;
    private final Thread thread;

    Verification(CompletableFuture<VerificationReport> report, Cancellation cancellation, Thread thread) {
        this.report = report;
        this.cancellation = cancellation;
        this.thread = thread;
    }

    /** Stops the verification; {@link #report()} then returns what it has. Harmless when it has ended already. */
    public void cancel() {
        if (!report.isDone()) {
            cancellation.cancel("cancelled");
            thread.interrupt();
        }
    }

    /** Whether the verification has ended, its report ready. */
    public boolean isDone() {
        return report.isDone();
    }

    /**
     * Waits for the verification to end and returns its report.
     *
     * @throws VerifyException when the verification could not be carried out (see {@link Verifier#verify()}), or
     *                         with {@link ErrorCode#INTERRUPTED} when the calling thread is interrupted while waiting
     */
    public VerificationReport report() {
        return await(null);
    }

    /**
     * Waits at most {@code timeout} for the report.
     *
     * @throws VerifyException with {@link ErrorCode#TIMEOUT} when the verification has not ended by then (it goes on)
     */
    public VerificationReport report(Duration timeout) {
        return await(Objects.requireNonNull(timeout, "timeout"));
    }

    /** @param timeout how long to wait, or null for as long as it takes */
    private VerificationReport await(Duration timeout) {
        try {
            return timeout == null ? report.get() : report.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerifyException(ErrorCode.INTERRUPTED, "Interrupted while waiting for the verification's report;"
                    + " the verification goes on: cancel() it to stop it.");
        } catch (TimeoutException e) {
            throw new VerifyException(ErrorCode.TIMEOUT, "The verification has not ended within " + timeout.toMillis()
                    + " ms; it goes on: wait again, or cancel() it.");
        } catch (ExecutionException e) {
            throw failure(e);
        }
    }

    private static RuntimeException failure(ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e.getCause() instanceof Error error) {
            throw error;
        }
        return new VerifyException(ErrorCode.QUERY_FAILED, "The verification failed: " + e.getCause(), null, e.getCause());
    }
}
