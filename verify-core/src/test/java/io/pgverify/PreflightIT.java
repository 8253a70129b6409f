package io.pgverify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

import io.pgverify.PreflightFinding.Severity;
import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.ServerPair;
import io.pgverify.embedded.TestDatabase;

/** Each condition the preflight knows, created on the real PostgreSQL 13 source and 17 target, and its finding. */
@ExtendWith(PostgresPairExtension.class)
class PreflightIT {

    private static final String CLEAN = """
            CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL UNIQUE);
            CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), total numeric(10,2));
            INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 100) g;
            INSERT INTO orders SELECT g, 1 + g % 100, g * 1.5 FROM generate_series(1, 300) g;
            """;

    @Test
    void aCleanDatabaseHasNoFindingsForDumpAndRestore(DatabasePair db) {
        db.both(CLEAN);
        PreflightReport report = preflight(db, b -> b.method(MigrationMethod.DUMP_RESTORE));
        assertThat(report.findings()).as("%s", report.findings()).isEmpty();
        assertThat(report.notChecked()).isEmpty();
        assertThat(report.skipped()).isEmpty();
        assertThat(report.complete()).isTrue();
        assertThat(report.source().versionNumber()).isBetween(130000, 139999);
        assertThat(report.target().versionNumber()).isBetween(170000, 179999);
    }

    @Test
    void aCleanDatabaseHasNoBlockerOrWarningForLogicalReplication(DatabasePair db) {
        db.both(CLEAN);
        PreflightReport report = preflight(db, b -> b.method(MigrationMethod.LOGICAL));
        assertThat(report.findings()).as("%s", report.findings())
                .allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
        // No publication yet: the one thing to do, named with the tables it must cover.
        assertThat(report.findings("tables_not_published")).singleElement()
                .satisfies(f -> assertThat(f.objects()).containsExactly("public.customers", "public.orders"));
        assertThat(report.complete()).isTrue();
    }

    @Test
    void tablesWithoutAUsableReplicaIdentityBlockLogicalReplication(DatabasePair db) {
        db.source().execute("""
                CREATE TABLE keyed (id int PRIMARY KEY);
                CREATE TABLE events (at timestamptz, what text);
                CREATE TABLE deferred_key (id int PRIMARY KEY DEFERRABLE INITIALLY DEFERRED);
                CREATE TABLE deferrable_unique (id int NOT NULL, code text UNIQUE DEFERRABLE);
                ALTER TABLE deferrable_unique ADD PRIMARY KEY (id);
                CREATE TABLE "Audit Trail" (line text);
                CREATE TABLE wide (a int, b text);
                ALTER TABLE wide REPLICA IDENTITY FULL;
                """);
        PreflightReport logical = preflight(db, b -> b.method(MigrationMethod.LOGICAL));
        assertThat(logical.findings("table_without_replica_identity")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(f.objects()).containsExactly("public.\"Audit Trail\" (no primary key)",
                    "public.deferred_key (its primary key is deferrable or invalid)", "public.events (no primary key)");
        });
        assertThat(logical.findings("replica_identity_full")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.objects()).containsExactly("public.wide (REPLICA IDENTITY FULL)");
        });
        assertThat(logical.findings("deferrable_constraint")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.objects()).containsExactly(
                    "public.deferrable_unique: constraint deferrable_unique_code_key (UNIQUE DEFERRABLE INITIALLY IMMEDIATE)",
                    "public.deferred_key: constraint deferred_key_pkey (PRIMARY KEY DEFERRABLE INITIALLY DEFERRED)");
        });
        assertThat(logical.hasBlockers()).isTrue();

        PreflightReport pglogical = preflight(db, b -> b.method(MigrationMethod.PGLOGICAL));
        assertThat(pglogical.findings("deferrable_constraint")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.BLOCKER));
        assertThat(pglogical.findings("replica_identity_full")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.BLOCKER));
        // The embedded servers have no pglogical at all.
        assertThat(pglogical.findings("pglogical_not_installed")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(f.objects()).singleElement().satisfies(o -> assertThat(o).startsWith("pglogical: not available on the source server"));
        });

        PreflightReport dump = preflight(db, b -> b.method(MigrationMethod.DUMP_RESTORE));
        assertThat(dump.findings("table_without_replica_identity")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
        assertThat(dump.findings("deferrable_constraint")).isEmpty();
        assertThat(dump.hasBlockers()).isFalse();

        PreflightReport filtered = preflight(db, b -> b.method(MigrationMethod.LOGICAL).exclude("public.events"));
        assertThat(filtered.findings("table_without_replica_identity").get(0).objects())
                .noneMatch(o -> o.startsWith("public.events"));
    }

    @Test
    void whatLogicalReplicationDoesNotCarryIsListed(DatabasePair db) {
        db.source().execute("""
                CREATE TABLE invoices (id serial PRIMARY KEY, scan oid);
                CREATE SEQUENCE ticket_numbers;
                CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v text);
                CREATE MATERIALIZED VIEW invoice_count AS SELECT count(*) FROM invoices;
                INSERT INTO invoices (scan) SELECT lo_from_bytea(0, '\\x255044462d'::bytea);
                INSERT INTO invoices (scan) SELECT lo_from_bytea(0, '\\x255044462d'::bytea);
                """);
        PreflightReport report = preflight(db, b -> b.method(MigrationMethod.LOGICAL));
        assertThat(report.findings("sequences_not_replicated")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.objects()).containsExactly("public.invoices_id_seq (for public.invoices.id)", "public.ticket_numbers");
            assertThat(f.whatToDo()).contains("setval").contains("--checks sequences");
        });
        assertThat(report.findings("unlogged_table")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.objects()).containsExactly("public.cache");
        });
        assertThat(report.findings("large_objects")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.objects()).hasSize(2);
            assertThat(f.objects().get(0)).startsWith("2 large objects in pg_largeobject (OIDs ");
            assertThat(f.objects().get(1)).isEqualTo("public.invoices.scan (oid column, may reference large objects)");
        });
        assertThat(report.findings("objects_not_replicated")).singleElement()
                .satisfies(f -> assertThat(f.objects()).containsExactly("public.invoice_count (materialized view)"));

        PreflightReport dump = preflight(db, b -> b.method(MigrationMethod.DUMP_RESTORE));
        assertThat(dump.findings("sequences_not_replicated")).isEmpty();
        assertThat(dump.findings("unlogged_table")).singleElement().satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
        assertThat(dump.findings("large_objects")).singleElement().satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
    }

    @Test
    void indexEntriesNearTheBtreeLimitAreFound(DatabasePair db) {
        // 78 md5 digests: 2496 characters that do not compress, stored and indexed as they are.
        db.source().execute("""
                CREATE TABLE documents (id int PRIMARY KEY, title text, body text, code varchar(40));
                CREATE INDEX documents_title ON documents (title);
                CREATE INDEX documents_body ON documents (body);
                CREATE INDEX documents_code ON documents (code);
                CREATE INDEX documents_lower_body ON documents (lower(body)) WHERE id > 1000;
                INSERT INTO documents SELECT g, 'title ' || g, 'short', 'c' || g FROM generate_series(1, 5000) g;
                INSERT INTO documents SELECT 6000, 'long one', (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 78) g), 'x';
                ANALYZE documents;
                """);
        for (boolean exact : List.of(false, true)) {
            PreflightReport report = preflight(db, b -> b.exactIndexSizes(exact).indexSampleRows(100_000));
            assertThat(report.findings("btree_entry_near_limit")).as("exact %s", exact).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo(Severity.WARNING);
                assertThat(f.objects()).hasSize(2);
                assertThat(f.objects().get(0)).startsWith("public.documents_body on public.documents (body): largest entry about 25")
                        .contains("limit 2704");
                assertThat(f.objects().get(1)).startsWith("public.documents_lower_body on public.documents (lower(body))");
            });
        }
        // The partial index's predicate is applied: without the long row in its range it has no large entry.
        db.source().execute("UPDATE documents SET id = -1 WHERE id = 6000");
        PreflightReport report = preflight(db, b -> b.exactIndexSizes(true));
        assertThat(report.findings("btree_entry_near_limit").get(0).objects()).singleElement()
                .satisfies(o -> assertThat(o).startsWith("public.documents_body "));
    }

    @Test
    void userTypesAreListedWithTheirOids(DatabasePair db) {
        String types = """
                CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
                CREATE TYPE address AS (street text, city text);
                CREATE DOMAIN positive AS int CHECK (VALUE > 0);
                CREATE TABLE people (id int PRIMARY KEY, feeling mood, home address, age positive);
                """;
        db.source().execute(types);
        long moodOid = db.source().queryForLong("SELECT 'mood'::regtype::oid");
        PreflightReport alone = preflight(db, b -> b);
        assertThat(alone.findings("user_type_oids")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.objects()).hasSize(3).anySatisfy(o -> assertThat(o).startsWith("public.mood (enum): oid " + moodOid + ", array oid "));
            assertThat(f.objects()).anySatisfy(o -> assertThat(o).startsWith("public.address (composite): oid "));
            assertThat(f.objects()).anySatisfy(o -> assertThat(o).startsWith("public.positive (domain): oid "));
        });
        // The target's schema was created in another order, as a restore of another dump would: other OIDs.
        db.target().execute("CREATE TYPE filler AS ENUM ('x')", "CREATE TABLE filler_table (id int)", types);
        long targetMoodOid = db.target().queryForLong("SELECT 'mood'::regtype::oid");
        assertThat(targetMoodOid).isNotEqualTo(moodOid);
        PreflightReport compared = preflight(db, b -> b);
        assertThat(compared.findings("user_type_oids")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.objects()).anySatisfy(o -> assertThat(o).startsWith("public.mood (enum): oid " + moodOid)
                    .contains("; oid " + targetMoodOid + ", array oid "));
        });
    }

    @Test
    void md5PasswordsAreFoundAndAnUnprivilegedRoleGetsNotChecked(DatabasePair db) throws Exception {
        db.both(CLEAN);
        String legacy = "legacy_" + db.source().name();
        String reader = "reader_" + db.source().name();
        db.source().execute("CREATE ROLE " + legacy + " LOGIN PASSWORD '" + md5Hash("pw", legacy) + "'",
                "CREATE ROLE " + reader + " LOGIN PASSWORD 'pw'", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + reader,
                // created after the grant: the reader may not read it
                "CREATE TABLE private_notes (id int PRIMARY KEY, body text)", "CREATE INDEX private_notes_body ON private_notes (body)");
        try {
            PreflightReport report = preflight(db, b -> b);
            assertThat(report.findings("md5_passwords")).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo(Severity.WARNING);
                assertThat(f.objects()).contains("role " + legacy + " (md5)").doesNotContain("role " + reader + " (md5)");
                assertThat(f.why()).contains("scram-sha-256").contains("libpq 10");
            });

            PGSimpleDataSource asReader = db.source().dataSource();
            asReader.setUser(reader);
            asReader.setPassword("pw");
            PreflightReport limited;
            try (Preflight preflight = Preflight.builder().source(asReader).target(db.target().dataSource()).build()) {
                limited = preflight.run();
            }
            assertThat(limited.findings("md5_passwords")).isEmpty();
            assertThat(limited.complete()).isFalse();
            assertThat(limited.notChecked()).extracting(PreflightReport.NotChecked::check)
                    .containsExactlyInAnyOrder("md5_passwords", "xmin_held_back", "btree_entry_near_limit");
            assertThat(limited.notChecked()).filteredOn(n -> n.check().equals("btree_entry_near_limit")).singleElement()
                    .satisfies(n -> assertThat(n.reason()).contains("public.private_notes_body on public.private_notes")
                            .contains("permission denied"));
            assertThat(limited.notChecked()).filteredOn(n -> n.check().equals("md5_passwords")).singleElement()
                    .satisfies(n -> assertThat(n.reason()).contains("superuser"));
        } finally {
            db.source().execute("DROP OWNED BY " + reader, "DROP ROLE " + legacy, "DROP ROLE " + reader);
        }
    }

    @Test
    void extensionsAreComparedWithTheTarget(DatabasePair db) {
        // adminpack is gone from PostgreSQL 17; hstore is 1.7 on 13 and 1.8 on 17; cube is not created on the target.
        db.source().execute("CREATE EXTENSION adminpack", "CREATE EXTENSION hstore", "CREATE EXTENSION cube");
        db.target().execute("CREATE EXTENSION hstore");
        PreflightReport report = preflight(db, b -> b.method(MigrationMethod.LOGICAL));
        assertThat(report.findings("extension_missing_on_target")).satisfiesExactly(
                f -> {
                    assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
                    assertThat(f.objects()).containsExactly("adminpack 2.1: not available on the target server");
                },
                f -> {
                    assertThat(f.severity()).isEqualTo(Severity.WARNING);
                    assertThat(f.objects()).singleElement().satisfies(o -> assertThat(o).startsWith("cube 1.4: available"));
                });
        assertThat(report.findings("extension_version_differs")).singleElement()
                .satisfies(f -> assertThat(f.objects()).contains("hstore: 1.7 on the source, 1.8 on the target"));
    }

    @Test
    void settingsThatChangeBehaviourAreCompared(ServerPair servers) {
        DatabasePair db = servers.newDatabases("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'de-DE'");
        db.target().execute("ALTER DATABASE " + db.target().name() + " SET TimeZone = 'Europe/Zurich'");
        PreflightReport report = preflight(db, b -> b);
        assertThat(report.findings("setting_differs")).flatExtracting(PreflightFinding::objects).containsExactly(
                "default collation: 'C' on the source, 'de-DE' on the target",
                "default ctype: 'C' on the source, 'de-DE' on the target",
                "default collation provider: 'libc' on the source, 'icu' on the target",
                "TimeZone: 'Etc/UTC' on the source, 'Europe/Zurich' on the target");
        assertThat(report.findings("setting_differs")).allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
    }

    @Test
    void collationVersionsOfIndexedTextAreCompared(DatabasePair db) {
        // The source's german collation records the version it was created under (as pg_upgrade carries it over);
        // the target's ICU reports its own. french exists only on the source.
        db.source().execute("CREATE COLLATION german (provider = icu, locale = 'de-DE', version = '150.1')",
                "CREATE COLLATION french (provider = icu, locale = 'fr-FR')",
                "CREATE TABLE names (id int PRIMARY KEY, de text COLLATE german, fr text COLLATE french)",
                "CREATE INDEX names_de ON names (de)", "CREATE INDEX names_fr ON names (fr)");
        db.target().execute("CREATE COLLATION german (provider = icu, locale = 'de-DE')");
        String targetVersion = db.target().queryForString("SELECT collversion FROM pg_collation WHERE collname = 'german'");
        PreflightReport report = preflight(db, b -> b);
        assertThat(report.findings("collation_version_differs")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.objects()).containsExactly("public.german (icu): version 150.1 on the source, " + targetVersion
                    + " on the target; used by public.names_de");
        });
        assertThat(report.findings("collation_missing_on_target")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(f.objects()).containsExactly("public.french (icu): used by public.names_fr");
        });
    }

    @Test
    void whatHoldsBackVacuumOnTheSourceIsNamed(DatabasePair db) throws Exception {
        String slot = "preflight_" + db.source().name();
        db.source().execute("CREATE TABLE churn (id int PRIMARY KEY, v text)",
                "INSERT INTO churn SELECT g, 'v' FROM generate_series(1, 30000) g",
                "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        try (Connection holder = db.source().connect()) {
            holder.setAutoCommit(false);
            holder.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            int pid;
            try (Statement statement = holder.createStatement(); ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            db.source().execute("DELETE FROM churn WHERE id > 5000");
            awaitDeadRows(db.source(), 25_000);

            PreflightReport report = preflight(db, b -> b.longTransaction(Duration.ZERO));
            assertThat(report.findings("xmin_held_back")).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo(Severity.WARNING);
                assertThat(f.objects()).anySatisfy(o -> assertThat(o).startsWith("session pid " + pid + " (user ")
                        .contains("idle in transaction").contains("transaction open since"));
                assertThat(f.objects()).anySatisfy(o -> assertThat(o).startsWith("replication slot " + slot + " (logical, "
                        + db.source().name() + ", inactive)"));
            });
            assertThat(report.findings("dead_rows_accumulated")).singleElement().satisfies(f ->
                    assertThat(f.objects()).singleElement().satisfies(o -> assertThat(o).startsWith("public.churn: 25000 dead rows, 5000 live")));

            // An hour's threshold: the transaction is young, but the abandoned slot is reported whatever its age.
            PreflightReport patient = preflight(db, b -> b.longTransaction(Duration.ofHours(1)));
            assertThat(patient.findings("xmin_held_back").get(0).objects()).singleElement()
                    .satisfies(o -> assertThat(o).startsWith("replication slot " + slot));
            holder.rollback();
        } finally {
            db.source().execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    @Test
    void theReplicationRoleAndPublicationsAreChecked(DatabasePair db) {
        String role = "replicator_" + db.source().name();
        db.source().execute(CLEAN, "CREATE ROLE " + role + " LOGIN", "GRANT SELECT ON customers TO " + role,
                "CREATE PUBLICATION some_tables FOR TABLE customers");
        try {
            PreflightReport report = preflight(db, b -> b.method(MigrationMethod.LOGICAL).replicationUser(role));
            assertThat(report.findings("replication_role_privileges")).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
                assertThat(f.objects()).containsExactly("role " + role + " has neither REPLICATION nor SUPERUSER",
                        "public.orders (no SELECT for " + role + ")");
            });
            assertThat(report.findings("tables_not_published")).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo(Severity.WARNING);
                assertThat(f.objects()).containsExactly("public.orders");
            });
        } finally {
            db.source().execute("DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }

    private static void awaitDeadRows(TestDatabase database, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (database.queryForLong("SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables WHERE relname = 'churn'") < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The statistics never showed " + atLeast + " dead rows in churn");
            }
            Thread.sleep(100);
        }
    }

    /** The md5 hash PostgreSQL stores: what a source that still has password_encryption = md5 holds. */
    private static String md5Hash(String password, String role) throws Exception {
        byte[] digest = MessageDigest.getInstance("MD5").digest((password + role).getBytes(StandardCharsets.UTF_8));
        return "md5" + String.format("%032x", new BigInteger(1, digest));
    }

    static PreflightReport preflight(DatabasePair db, UnaryOperator<Preflight.Builder> configure) {
        Preflight.Builder builder = Preflight.builder().source(db.source().dataSource()).target(db.target().dataSource());
        try (Preflight preflight = configure.apply(builder).build()) {
            return preflight.run();
        }
    }
}
