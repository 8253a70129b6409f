package io.pgverify.internal.run;

import java.util.concurrent.ExecutorService;

import javax.sql.DataSource;

import io.pgverify.VerificationReport;

/** One verification: discovers what to compare, runs the checks on a bounded pool and assembles the report. */
public final class VerificationRun {

    private final VerificationSettings settings;
    private final DataSource source;
    private final DataSource target;
    private final ExecutorService callerExecutor;

    public VerificationRun(VerificationSettings settings, DataSource source, DataSource target, ExecutorService callerExecutor) {
        this.settings = settings;
        this.source = source;
        this.target = target;
        this.callerExecutor = callerExecutor;
    }

    public VerificationReport run() {
        throw new UnsupportedOperationException("not yet");
    }
}
