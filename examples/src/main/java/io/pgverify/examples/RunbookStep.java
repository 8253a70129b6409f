package io.pgverify.examples;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

import io.pgverify.ConnectionSettings;
import io.pgverify.Outcome;
import io.pgverify.VerificationReport;
import io.pgverify.Verifier;
import io.pgverify.report.ReportFormat;
import io.pgverify.report.ReportOptions;
import io.pgverify.report.ReportWriter;

/**
 * A runbook's step before promotion: verify, keep the evidence, and stop the runbook unless the target matches.
 *
 * <pre>
 * java -cp ... io.pgverify.examples.RunbookStep "$SOURCE_URL" "$TARGET_URL" evidence.json
 * </pre>
 */
public final class RunbookStep {

    private RunbookStep() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: RunbookStep SOURCE_URL TARGET_URL EVIDENCE.json");
            System.exit(2);
        }
        System.exit(verifyBeforePromotion(args[0], args[1], Path.of(args[2])));
    }

    /** 0 when the target matches, 1 when it differs, 3 when the verification could not compare everything. */
    static int verifyBeforePromotion(String sourceUrl, String targetUrl, Path evidence) throws IOException {
        // README: runbook
        ConnectionSettings source = ConnectionSettings.parse(sourceUrl);      // or any javax.sql.DataSource
        ConnectionSettings target = ConnectionSettings.parse(targetUrl);
        try (Verifier verifier = Verifier.builder().source(source).target(target)
                .exclude("audit.*")
                .threads(4)
                .build()) {
            VerificationReport report = verifier.verify();      // differences are data, never exceptions
            try (Writer out = Files.newBufferedWriter(evidence)) { // the JSON `pgverify --format json` writes
                ReportWriter.of(ReportFormat.JSON).write(report,
                        new ReportOptions("runbook", false, source.toString(), target.toString()), out);
            }
            if (!report.matches()) {
                System.err.println(report.summary());            // the first differing tables and keys
                return report.outcome() == Outcome.MISMATCH ? 1 : 3;
            }
            return 0;
        }
        // END README
    }
}
