package io.pgverify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.TestDatabase;

/**
 * A database verified against itself always matches, so a runbook whose target URL is a copy of the source's would
 * pass without proving anything: refused unless asked for.
 */
@ExtendWith(PostgresPairExtension.class)
class SameDatabaseIT {

    private static VerificationReport verify(TestDatabase source, TestDatabase target, boolean allowSameDatabase) {
        try (Verifier verifier = Verifier.builder().source(source.dataSource()).target(target.dataSource())
                .allowSameDatabase(allowSameDatabase).threads(2).build()) {
            return verifier.verify();
        }
    }

    @Test
    void aDatabaseVerifiedAgainstItselfIsRefused(DatabasePair db) {
        db.source().execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 10)");

        assertThatThrownBy(() -> verify(db.source(), db.source(), false))
                .isInstanceOfSatisfying(VerifyException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageStartingWith("Source and target are the same database, database " + db.source().name() + " (OID ")
                .hasMessageContaining("so comparing them proves nothing")
                .hasMessageEndingWith("or pass --allow-same-database (allowSameDatabase(true)) if this is meant.");
    }

    @Test
    void aDatabaseVerifiedAgainstItselfPassesWhenAllowed(DatabasePair db) {
        db.source().execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 10)");

        assertThat(verify(db.source(), db.source(), true).outcome()).isEqualTo(Outcome.MATCH);
    }

    @Test
    void databasesOfTheSameNameOnTwoServersAreNotTheSame(DatabasePair db) {
        // The pair has one name on two servers (two system identifiers): the usual case, never refused.
        assertThat(db.source().name()).isEqualTo(db.target().name());
        db.both("CREATE TABLE t (id int PRIMARY KEY)");

        assertThat(verify(db.source(), db.target(), false).outcome()).isEqualTo(Outcome.MATCH);
    }
}
