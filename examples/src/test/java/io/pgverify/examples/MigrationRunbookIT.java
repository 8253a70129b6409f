package io.pgverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

import io.pgverify.ConnectionSettings;
import io.pgverify.Outcome;
import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.TestDatabase;

/**
 * The runbook on the real servers (PostgreSQL 13 to 17): three databases in one window, one copied whole, one whose copy
 * loses a row, one whose new server cannot be reached. Only the first is promoted; the other two keep their old
 * database, and every verification that ran left its report.
 */
@ExtendWith(PostgresPairExtension.class)
class MigrationRunbookIT {

    private static final String SCHEMA = "CREATE TABLE orders (id int PRIMARY KEY, customer text, total numeric)";

    /** The platform's steps on the test servers: provisioning is the schema, the copy is COPY through the client. */
    private static final class TestSteps implements MigrationRunbook.Steps {
        private final List<MigrationRunbook.Migration> migrations = new ArrayList<>();
        private final Map<String, DatabasePair> databases;
        private final Set<String> losesARow;
        final List<String> log = new ArrayList<>();

        TestSteps(Map<String, DatabasePair> databases, Set<String> losesARow, List<MigrationRunbook.Migration> migrations) {
            this.databases = databases;
            this.losesARow = losesARow;
            this.migrations.addAll(migrations);
        }

        @Override
        public List<MigrationRunbook.Migration> collect() {
            log.add("collect");
            return migrations;
        }

        @Override
        public void provision(MigrationRunbook.Migration migration) {
            log.add("provision " + migration.name());
            if (databases.containsKey(migration.name())) {
                databases.get(migration.name()).target().execute(SCHEMA);
            }
        }

        @Override
        public void copy(MigrationRunbook.Migration migration) {
            log.add("copy " + migration.name());
            DatabasePair db = databases.get(migration.name());
            if (db == null) {
                return;
            }
            copyTable(db.source(), db.target(), "orders");
            if (losesARow.contains(migration.name())) {
                db.target().execute("DELETE FROM orders WHERE id = 321");
            }
        }

        @Override
        public void promote(MigrationRunbook.Migration migration) {
            log.add("promote " + migration.name());
        }

        @Override
        public void cleanUp(MigrationRunbook.Migration migration, boolean promoted) {
            log.add("clean up " + migration.name() + (promoted ? " (old)" : " (new)"));
        }
    }

    @Test
    void promotesOnlyWhatMatchesAndKeepsTheEvidence(DatabasePair shop, DatabasePair billing, @TempDir Path dir)
            throws IOException {
        for (DatabasePair db : List.of(shop, billing)) {
            db.source().execute(SCHEMA,
                    "INSERT INTO orders SELECT g, 'customer ' || g, g * 1.25 FROM generate_series(1, 2000) g");
        }
        // A new server nobody listens on: the verification cannot connect, which must not read as a match.
        ConnectionSettings unreachableTarget = ConnectionSettings.builder().host("127.0.0.1", 1).database("archive")
                .user("verifier").password("not-used").build();
        List<MigrationRunbook.Migration> migrations = List.of(
                new MigrationRunbook.Migration("shop", settings(shop.source()), settings(shop.target())),
                new MigrationRunbook.Migration("billing", settings(billing.source()), settings(billing.target())),
                new MigrationRunbook.Migration("archive", settings(shop.source()), unreachableTarget));
        TestSteps steps = new TestSteps(Map.of("shop", shop, "billing", billing), Set.of("billing"), migrations);
        Path evidence = dir.resolve("evidence");

        List<MigrationRunbook.Result> results = new MigrationRunbook(steps, evidence).run();

        assertThat(results).extracting(MigrationRunbook.Result::name, MigrationRunbook.Result::outcome,
                MigrationRunbook.Result::promoted).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("shop", Outcome.MATCH, true),
                        org.assertj.core.groups.Tuple.tuple("billing", Outcome.MISMATCH, false),
                        org.assertj.core.groups.Tuple.tuple("archive", Outcome.INCOMPLETE, false));
        assertThat(steps.log).containsExactly("collect",
                "provision shop", "copy shop", "promote shop", "clean up shop (old)",
                "provision billing", "copy billing", "clean up billing (new)",
                "provision archive", "copy archive", "clean up archive (new)");

        String shopEvidence = Files.readString(results.get(0).evidence());
        assertThat(results.get(0).evidence()).isEqualTo(evidence.resolve("shop.json"));
        assertThat(shopEvidence).containsPattern("\"outcome\"\\s*:\\s*\"match\"").doesNotContain(shop.source().password());
        String billingEvidence = Files.readString(results.get(1).evidence());
        assertThat(billingEvidence).containsPattern("\"outcome\"\\s*:\\s*\"mismatch\"").contains("321")
                .doesNotContain(billing.target().password());
        assertThat(results.get(2).evidence()).as("no report when the verification could not run").isNull();
    }

    private static ConnectionSettings settings(TestDatabase database) {
        return ConnectionSettings.parse(database.libpqUri());
    }

    /** The copy a platform would do with pg_dump | pg_restore, here through the client so the test needs no binaries. */
    private static void copyTable(TestDatabase from, TestDatabase to, String table) {
        try (Connection source = from.connect(); Connection target = to.connect()) {
            StringWriter rows = new StringWriter();
            source.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + table + " TO STDOUT", rows);
            target.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN",
                    new StringReader(rows.toString()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
