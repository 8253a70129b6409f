package io.pgverify;

import java.util.function.UnaryOperator;

import io.pgverify.embedded.DatabasePair;

/** Test helper: runs a verification of a database pair with the given builder adjustments. */
final class Verifications {

    private Verifications() {
    }

    static VerificationReport verify(DatabasePair db) {
        return verify(db, UnaryOperator.identity());
    }

    static VerificationReport verify(DatabasePair db, UnaryOperator<Verifier.Builder> configure) {
        Verifier.Builder builder = Verifier.builder()
                .source(db.source().dataSource())
                .target(db.target().dataSource())
                .threads(2);
        try (Verifier verifier = configure.apply(builder).build()) {
            return verifier.verify();
        }
    }

    static TableReport table(VerificationReport report, String qualifiedName) {
        return report.tables().stream().filter(t -> t.qualifiedName().equals(qualifiedName)).findFirst()
                .orElseThrow(() -> new AssertionError("No table " + qualifiedName + " in " + report.tables()));
    }

    static CheckResult check(VerificationReport report, String qualifiedName, CheckKind kind) {
        return table(report, qualifiedName).check(kind)
                .orElseThrow(() -> new AssertionError("No " + kind + " result for " + qualifiedName));
    }
}
