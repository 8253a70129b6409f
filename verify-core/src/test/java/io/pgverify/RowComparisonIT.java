package io.pgverify;

import static io.pgverify.Verifications.check;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.ServerPair;

/**
 * The row checks (hashes and last rows) on the types and table shapes real migrations carry, PostgreSQL 13 to 17:
 * every seeded difference is found with its key, and nothing benign (settings, collation, physical order, version)
 * is reported.
 */
@ExtendWith(PostgresPairExtension.class)
class RowComparisonIT {

    /** How rows are moved; {@link RowComparisonDigestIT} runs every test again in digest mode. */
    protected CompareMode mode() {
        return CompareMode.STREAM;
    }

    private VerificationReport compare(DatabasePair db) {
        return compare(db, UnaryOperator.identity());
    }

    private VerificationReport compare(DatabasePair db, UnaryOperator<Verifier.Builder> configure) {
        return Verifications.verify(db, b -> configure.apply(b).compareMode(mode()));
    }

    private static final String TYPES = """
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
            CREATE TYPE address AS (street text, zip varchar(10));
            CREATE TABLE everything (
                id integer PRIMARY KEY,
                big bigint, small smallint, amount numeric(12,4), plain_numeric numeric,
                f4 real, f8 double precision,
                name text, code varchar(20), fixed char(8), flag boolean,
                day date, at_time time, at_timestamp timestamp, at_timestamptz timestamptz, span interval,
                doc json, docb jsonb, raw bytea, ident uuid, ints integer[], texts text[],
                feeling mood, feelings mood[], positive positive_int, home address, ip inet, big_text text
            );
            """;

    /** Deterministic rows, with the awkward values of each type; {@code order} decides the physical order. */
    private static String everythingRows(String order) {
        return """
                INSERT INTO everything
                SELECT g, g::bigint * 1000000007, (g %% 30000)::smallint, round(g * 3.14159, 4), g / 7.0,
                       CASE g %% 5 WHEN 0 THEN 'NaN'::real WHEN 1 THEN 'Infinity'::real WHEN 2 THEN '-Infinity'::real ELSE g / 3.0 END,
                       CASE g %% 4 WHEN 0 THEN 'NaN'::float8 WHEN 1 THEN -0.0::float8 ELSE g / 7.0 END,
                       CASE g %% 6 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE 'naïve café ' || g || ' 🐘 Ωmega' END,
                       'code-' || g, 'c' || (g %% 100), g %% 2 = 0,
                       date '1999-12-31' + g, time '00:00:01' + g * interval '1 second',
                       timestamp '1970-01-01 00:00:00.000001' + g * interval '1 hour',
                       timestamptz '1999-12-31 23:59:59.999999+00' + g * interval '1 minute',
                       make_interval(years => g %% 3, months => g %% 13, days => g %% 40, secs => g * 1.5),
                       json_build_object('id', g, 'tags', json_build_array('a', 'b')),
                       jsonb_build_object('id', g, 'nested', jsonb_build_object('x', g * 0.5, 'y', NULL)),
                       decode(md5(g::text), 'hex'), md5(g::text)::uuid,
                       CASE WHEN g %% 7 = 0 THEN '{}'::int[] ELSE ARRAY[g, NULL, -g] END,
                       ARRAY['a,b', 'q"uote', NULL, ''],
                       (ARRAY['sad', 'ok', 'happy'])[1 + g %% 3]::mood, ARRAY['ok', 'happy']::mood[],
                       1 + g %% 1000, ROW('Main St ' || g, lpad(g::text, 5, '0'))::address,
                       ('10.0.' || (g %% 256) || '.1')::inet,
                       CASE WHEN g %% 50 = 0 THEN repeat('large TOASTed value ', 10000) || g END
                  FROM generate_series(1, 1000) g ORDER BY g %s;
                """.formatted(order);
    }

    @Test
    void identicalRowsOfEveryTypeMatchAcrossVersions(DatabasePair db) {
        db.both(TYPES);
        db.source().execute(everythingRows("ASC"));
        db.target().execute(everythingRows("DESC")); // a different physical order
        VerificationReport report = compare(db);
        assertThat(report.tables()).singleElement().satisfies(table -> {
            assertThat(table.outcome()).as("%s", table).isEqualTo(Outcome.MATCH);
            assertThat(table.rowsCompared()).isEqualTo(1000);
            if (mode() == CompareMode.DIGEST) {
                // Settled by the servers' digests alone: 13 and 17 digest the same bytes.
                assertThat(table.check(CheckKind.HASHES).orElseThrow().message()).contains("1 of 1 key ranges matched by digest alone");
            }
            assertThat(table.check(CheckKind.LAST_ROWS).orElseThrow().rowsCompared()).isEqualTo(Verifier.DEFAULT_LAST_ROWS);
        });
        assertThat(report.outcome()).isEqualTo(Outcome.MATCH);
    }

    @Test
    void findsEveryKindOfRowDifferenceWithItsKey(DatabasePair db) {
        db.both(TYPES, everythingRows("ASC"));
        db.target().execute(
                "DELETE FROM everything WHERE id = 17",
                "UPDATE everything SET docb = jsonb_set(docb, '{nested,x}', '1') WHERE id = 500",
                "UPDATE everything SET name = NULL WHERE id = 7",          // '' on the source: NULL is not empty
                "UPDATE everything SET big_text = big_text || '!' WHERE id = 950", // inside a TOASTed value
                "UPDATE everything SET feeling = 'sad', feelings = '{sad}' WHERE id = 2", // enum and enum array
                "INSERT INTO everything (id) VALUES (0), (5000)");          // below the lowest and above the highest key
        VerificationReport report = compare(db, b -> b.checks(CheckKind.HASHES));
        CheckResult hashes = check(report, "public.everything", CheckKind.HASHES);
        assertThat(hashes.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(hashes.differences()).extracting(Difference::kind, Difference::key, Difference::columns).containsExactly(
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.EXTRA_ON_TARGET, Map.of("id", "0"), List.of()),
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.DIFFERENT, Map.of("id", "2"), List.of("feeling", "feelings")),
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.DIFFERENT, Map.of("id", "7"), List.of("name")),
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.MISSING_ON_TARGET, Map.of("id", "17"), List.of()),
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.DIFFERENT, Map.of("id", "500"), List.of("docb")),
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.DIFFERENT, Map.of("id", "950"), List.of("big_text")),
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.EXTRA_ON_TARGET, Map.of("id", "5000"), List.of()));
        assertThat(hashes.differenceCount()).isEqualTo(7);
    }

    @Test
    void lastRowsFindsTheNewestRowsTheTargetLacks(DatabasePair db) {
        db.both(TYPES, everythingRows("ASC"));
        db.target().execute("DELETE FROM everything WHERE id IN (1000, 996)", "UPDATE everything SET code = 'x' WHERE id = 999");
        VerificationReport report = compare(db, b -> b.checks(CheckKind.LAST_ROWS).lastRows(5));
        CheckResult lastRows = check(report, "public.everything", CheckKind.LAST_ROWS);
        assertThat(lastRows.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(lastRows.differences()).extracting(Difference::kind, Difference::keyText).containsExactly(
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.MISSING_ON_TARGET, "(id=1000)"),
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.DIFFERENT, "(id=999)"),
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.MISSING_ON_TARGET, "(id=996)"));
    }

    @Test
    void detectsTwoColumnsSwappingTheirValues(DatabasePair db) {
        db.both("CREATE TABLE pairs (id int PRIMARY KEY, a text, b text)",
                "INSERT INTO pairs SELECT g, 'x' || g, 'y' || g FROM generate_series(1, 100) g");
        db.target().execute("UPDATE pairs SET a = b, b = a WHERE id = 50");
        CheckResult hashes = check(compare(db, b -> b.checks(CheckKind.HASHES)), "public.pairs", CheckKind.HASHES);
        assertThat(hashes.differences()).singleElement().satisfies(d -> {
            assertThat(d.keyText()).isEqualTo("(id=50)");
            assertThat(d.columns()).containsExactly("a", "b");
        });
    }

    @Test
    void separatorsInsideValuesCannotMakeDifferentRowsLookAlike(DatabasePair db) {
        db.both("CREATE TABLE tricky (id int PRIMARY KEY, a text, b text, c text[])");
        db.source().execute("INSERT INTO tricky VALUES (1, 'a|b', 'c', '{}'), (2, NULL, '', '{NULL}'), (3, 'x', NULL, '{\"\"}')");
        db.target().execute("INSERT INTO tricky VALUES (1, 'a', 'b|c', '{}'), (2, '', NULL, '{}'), (3, 'x', NULL, '{NULL}')");
        CheckResult hashes = check(compare(db, b -> b.checks(CheckKind.HASHES)), "public.tricky", CheckKind.HASHES);
        assertThat(hashes.differences()).extracting(Difference::keyText, Difference::columns).containsExactly(
                org.assertj.core.groups.Tuple.tuple("(id=1)", List.of("a", "b")),
                org.assertj.core.groups.Tuple.tuple("(id=2)", List.of("a", "b", "c")),
                org.assertj.core.groups.Tuple.tuple("(id=3)", List.of("c")));
    }

    @Test
    void compositeTextAndUuidKeysAcrossManyRanges(DatabasePair db) {
        db.both("""
                CREATE TABLE lines (order_id bigint, line int, sku text, PRIMARY KEY (order_id, line));
                INSERT INTO lines SELECT g / 10, g % 10, 'sku-' || g FROM generate_series(1, 20000) g;
                CREATE TABLE by_code (code text PRIMARY KEY, n int);
                INSERT INTO by_code SELECT 'k' || g, g FROM generate_series(1, 20000) g;
                CREATE TABLE by_uuid (id uuid PRIMARY KEY, n int);
                INSERT INTO by_uuid SELECT md5(g::text)::uuid, g FROM generate_series(1, 20000) g;
                ANALYZE;
                """);
        db.target().execute("DELETE FROM lines WHERE order_id = 1500 AND line = 3",
                "UPDATE by_code SET n = -1 WHERE code = 'k19999'",
                "DELETE FROM by_uuid WHERE id = md5('77')::uuid");
        VerificationReport report = compare(db, b -> b.checks(CheckKind.HASHES).chunkRows(2_000).threads(3));
        CheckResult lines = check(report, "public.lines", CheckKind.HASHES);
        java.util.regex.Matcher ranges = java.util.regex.Pattern.compile("compared in (\\d+) key ranges").matcher(lines.message());
        assertThat(ranges.find()).as(lines.message()).isTrue();
        int rangeCount = Integer.parseInt(ranges.group(1));
        if (mode() == CompareMode.DIGEST) {
            // One range holds the deleted row; every other one is settled without streaming.
            assertThat(lines.message()).contains((rangeCount - 1) + " of " + rangeCount + " key ranges matched by digest alone");
        }
        assertThat(lines.rowsCompared()).isEqualTo(20000);
        assertThat(lines.differences()).extracting(Difference::keyText).containsExactly("(order_id=1500, line=3)");
        CheckResult codes = check(report, "public.by_code", CheckKind.HASHES);
        assertThat(codes.message()).containsPattern("compared in \\d+ key ranges");
        assertThat(codes.differences()).extracting(Difference::keyText).containsExactly("(code=k19999)");
        assertThat(check(report, "public.by_uuid", CheckKind.HASHES).differences())
                .extracting(Difference::keyText).containsExactly("(id=" + db.source().queryForString("SELECT md5('77')::uuid") + ")");
    }

    @Test
    void settingsCollationAndOrderOfTheTargetAreNotDifferences(ServerPair servers) {
        // The target database defaults to an ICU collation and to session settings that change how values print.
        DatabasePair db = servers.newDatabases("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'de-DE' LOCALE 'C'");
        db.target().execute("ALTER DATABASE " + db.target().name()
                + " SET TimeZone = 'America/New_York'",
                "ALTER DATABASE " + db.target().name() + " SET DateStyle = 'SQL, DMY'",
                "ALTER DATABASE " + db.target().name() + " SET IntervalStyle = 'sql_standard'",
                "ALTER DATABASE " + db.target().name() + " SET extra_float_digits = 0",
                "ALTER DATABASE " + db.target().name() + " SET bytea_output = 'escape'");
        String words = """
                CREATE TABLE words (word text PRIMARY KEY, at timestamptz, span interval, f float8, raw bytea, home address);
                INSERT INTO words SELECT w, timestamptz '2024-03-31 01:30:00+00' + n * interval '1 hour',
                       n * interval '1 day 1 second', n / 3.0, convert_to(w, 'UTF8'), ROW(w, n::text)::address
                  FROM unnest(ARRAY['a', 'B', 'é', 'Z', '_x', '10', '9', 'ä', 'Ä', 'z', 'ß', 'ss', '', ' ', 'A b'])
                       WITH ORDINALITY AS t(w, n)
                """;
        db.both("CREATE TYPE address AS (street text, zip varchar(10))", words);
        db.target().execute("DELETE FROM words WHERE word = 'ä'");
        VerificationReport report = compare(db);
        CheckResult hashes = check(report, "public.words", CheckKind.HASHES);
        assertThat(hashes.differences()).extracting(Difference::kind, Difference::keyText)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(DifferenceKind.MISSING_ON_TARGET, "(word=ä)"));
        assertThat(hashes.rowsCompared()).isEqualTo(15);
        db.target().execute("""
                INSERT INTO words VALUES ('ä', timestamptz '2024-03-31 01:30:00+00' + 8 * interval '1 hour',
                       8 * interval '1 day 1 second', 8 / 3.0, convert_to('ä', 'UTF8'), ROW('ä', '8')::address)""");
        assertThat(compare(db).outcome()).isEqualTo(Outcome.MATCH);
    }

    @Test
    void keysWhoseOrderNoIndexServesOnBothSidesAreComparedInKeyBuckets(ServerPair servers) {
        // The target's default collation is ICU: an index on a text key cannot give byte order there, so the table is
        // read unsorted into key buckets and only differing buckets are read again, selected by the server's hash.
        DatabasePair db = servers.newDatabases("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'de-DE' LOCALE 'C'");
        db.both("""
                CREATE TABLE tags (name text, lang varchar(8), uses int, PRIMARY KEY (name, lang));
                INSERT INTO tags SELECT 'tag-' || g || CASE WHEN g % 3 = 0 THEN 'é' ELSE '' END, 'l' || (g % 5), g
                  FROM generate_series(1, 30000) g;
                CREATE TABLE hosts (addr inet PRIMARY KEY, name text);
                INSERT INTO hosts SELECT ('10.0.' || (g / 250) || '.' || (g % 250))::inet, 'h' || g FROM generate_series(1, 20000) g;
                ANALYZE;
                """);
        db.target().execute("DELETE FROM tags WHERE name = 'tag-300é' AND lang = 'l0'",
                "UPDATE tags SET uses = -1 WHERE name = 'tag-17' AND lang = 'l2'",
                "INSERT INTO tags VALUES ('zz-extra', 'l9', 0)",
                "UPDATE hosts SET name = 'changed' WHERE addr = '10.0.3.7'");
        VerificationReport report = compare(db, b -> b.checks(CheckKind.HASHES).chunkRows(1_000));

        CheckResult tags = check(report, "public.tags", CheckKind.HASHES);
        assertThat(tags.differences()).extracting(Difference::kind, Difference::keyText).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.MISSING_ON_TARGET, "(name=tag-300é, lang=l0)"),
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.DIFFERENT, "(name=tag-17, lang=l2)"),
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.EXTRA_ON_TARGET, "(name=zz-extra, lang=l9)"));
        assertThat(tags.rowsCompared()).isEqualTo(30000);
        CheckResult hosts = check(report, "public.hosts", CheckKind.HASHES);
        assertThat(hosts.differences()).extracting(Difference::keyText).containsExactly("(addr=10.0.3.7/32)");
        String firstRead = mode() == CompareMode.STREAM ? "read once unsorted" : "digested by the servers";
        assertThat(tags.message()).contains(firstRead + " in 32 key buckets, 3 read again in key order");
        assertThat(hosts.message()).contains(firstRead + " in 32 key buckets, 1 read again in key order");
        db.target().execute("INSERT INTO tags VALUES ('tag-300é', 'l0', 300)", "UPDATE tags SET uses = 17 WHERE name = 'tag-17'",
                "DELETE FROM tags WHERE name = 'zz-extra'", "UPDATE hosts SET name = 'h757' WHERE addr = '10.0.3.7'");
        assertThat(compare(db, b -> b.checks(CheckKind.HASHES).chunkRows(1_000)).outcome()).isEqualTo(Outcome.MATCH);
    }

    @Test
    void columnsTheTargetLacksOrRetypedKeepTheRowChecksFromMatching(DatabasePair db) {
        db.source().execute("CREATE TABLE notes (id int PRIMARY KEY, body text, score numeric(6,2), secret text)",
                "INSERT INTO notes SELECT g, 'n' || g, g / 4.0, 's' || g FROM generate_series(1, 200) g");
        db.target().execute("CREATE TABLE notes (id int PRIMARY KEY, body text, score numeric(8,2))",
                "INSERT INTO notes SELECT g, 'n' || g, g / 4.0 FROM generate_series(1, 200) g");

        // Without the schema check nothing else would say that secret and score were never compared.
        VerificationReport report = compare(db, b -> b.checks(CheckKind.LAST_ROWS, CheckKind.HASHES));

        assertThat(report.outcome()).isEqualTo(Outcome.INCOMPLETE);
        for (CheckKind kind : List.of(CheckKind.LAST_ROWS, CheckKind.HASHES)) {
            CheckResult result = check(report, "public.notes", kind);
            assertThat(result.outcome()).as("%s", result).isEqualTo(Outcome.INCOMPLETE);
            assertThat(result.message()).contains("columns score, secret not compared");
        }
        db.target().execute("UPDATE notes SET body = 'changed' WHERE id = 7");
        CheckResult hashes = check(compare(db, b -> b.checks(CheckKind.HASHES)), "public.notes", CheckKind.HASHES);
        assertThat(hashes.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(hashes.differences()).extracting(Difference::keyText).containsExactly("(id=7)");
    }

    @Test
    void aComputedNaNEqualsTheNaNACopyThroughTextMakes(DatabasePair db) {
        // Infinity - Infinity gives NaN with the sign bit set; pg_dump and logical replication carry "NaN" as text and
        // the target holds the canonical NaN. Same value, other bits: not a difference.
        db.source().execute("CREATE TABLE m (id int PRIMARY KEY, x float8, y float4, xs float8[])",
                "INSERT INTO m VALUES (1, 'Infinity'::float8 - 'Infinity', 'Infinity'::float4 - 'Infinity',"
                        + " ARRAY['Infinity'::float8 - 'Infinity', 1.5]), (2, 0.1, 0.1, ARRAY[0.1::float8])",
                "CREATE TABLE k (x float8, note text)", "INSERT INTO k VALUES ('Infinity'::float8 - 'Infinity', 'nan')");
        db.target().execute("CREATE TABLE m (id int PRIMARY KEY, x float8, y float4, xs float8[])",
                "INSERT INTO m VALUES (1, 'NaN', 'NaN', ARRAY['NaN', 1.5]::float8[]), (2, 0.1, 0.1, ARRAY[0.1::float8])",
                "CREATE TABLE k (x float8, note text)", "INSERT INTO k VALUES ('NaN', 'nan')");
        assertThat(db.source().queryForString("SELECT float8send(x)::text FROM m WHERE id = 1"))
                .as("the source's NaN really has other bits").isNotEqualTo(db.target().queryForString("SELECT float8send(x)::text FROM m WHERE id = 1"));

        VerificationReport report = compare(db, b -> b.checks(CheckKind.LAST_ROWS, CheckKind.HASHES));
        assertThat(report.outcome()).as("%s", report).isEqualTo(Outcome.MATCH);

        db.target().execute("UPDATE m SET x = 0 WHERE id = 1");
        assertThat(check(compare(db, b -> b.checks(CheckKind.HASHES)), "public.m", CheckKind.HASHES).differences())
                .extracting(Difference::keyText, Difference::columns).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("(id=1)", List.of("x")));
    }

    @Test
    void aTablePartitionedOnTheTargetOnlyIsComparedWhole(DatabasePair db) {
        // A migration that introduces partitioning: a plain table on the source, a partitioned one on the target.
        db.source().execute("CREATE TABLE events (id bigint, at date, payload text, PRIMARY KEY (id, at))");
        db.target().execute("CREATE TABLE events (id bigint, at date, payload text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')",
                "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
        db.both("INSERT INTO events SELECT g, date '2023-06-01' + (g % 400), 'p' || g FROM generate_series(1, 3000) g",
                "ANALYZE events");

        VerificationReport report = compare(db, b -> b.checks(CheckKind.COUNTS, CheckKind.LAST_ROWS, CheckKind.HASHES));
        assertThat(report.outcome()).as("%s", report).isEqualTo(Outcome.MATCH);
        assertThat(check(report, "public.events", CheckKind.HASHES).rowsCompared()).isEqualTo(3000);

        db.target().execute("DELETE FROM events WHERE id = 2999");
        assertThat(check(compare(db, b -> b.checks(CheckKind.HASHES)), "public.events", CheckKind.HASHES).differences())
                .extracting(Difference::keyText).containsExactly("(id=2999, at=" + db.source()
                        .queryForString("SELECT at FROM events WHERE id = 2999") + ")");
    }

    @Test
    void aTargetThatLostItsKeyIndexIsReadInKeyBucketsNotOneScanPerRange(DatabasePair db) {
        db.source().execute("CREATE TABLE ledger (id bigint PRIMARY KEY, amount numeric(12,2))");
        db.target().execute("CREATE TABLE ledger (id bigint, amount numeric(12,2))");
        db.both("INSERT INTO ledger SELECT g, g * 0.5 FROM generate_series(1, 20000) g", "ANALYZE ledger");
        db.target().execute("UPDATE ledger SET amount = 0 WHERE id = 12345", "INSERT INTO ledger VALUES (12345, 0)");

        VerificationReport report = compare(db, b -> b.checks(CheckKind.SCHEMA, CheckKind.HASHES).chunkRows(1_000));

        assertThat(check(report, "public.ledger", CheckKind.SCHEMA).differences()).extracting(Difference::kind)
                .containsExactly(DifferenceKind.MISSING_KEY);
        CheckResult hashes = check(report, "public.ledger", CheckKind.HASHES);
        assertThat(hashes.message()).contains("key buckets");
        // The changed row, and the duplicate the missing key let in: a row the source does not have.
        assertThat(hashes.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(hashes.differences()).extracting(Difference::kind, Difference::keyText).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.DIFFERENT, "(id=12345)"),
                org.assertj.core.groups.Tuple.tuple(DifferenceKind.EXTRA_ON_TARGET, "(id=12345)"));
    }

    @Test
    void aTableWithoutKeyIsComparedAsAMultiset(DatabasePair db) {
        db.both("CREATE TABLE events (kind text, payload jsonb)",
                "INSERT INTO events SELECT 'k' || (g % 10), jsonb_build_object('n', g % 100) FROM generate_series(1, 3000) g");
        assertThat(check(compare(db), "public.events", CheckKind.HASHES).outcome()).isEqualTo(Outcome.MATCH);
        // Same count, but one row duplicated in place of another: only a multiset comparison sees it.
        db.target().execute("DELETE FROM events WHERE ctid = (SELECT ctid FROM events WHERE payload = '{\"n\": 5}' LIMIT 1)",
                "INSERT INTO events SELECT kind, payload FROM events WHERE payload = '{\"n\": 6}' LIMIT 1");
        VerificationReport report = compare(db);
        assertThat(check(report, "public.events", CheckKind.COUNTS).outcome()).isEqualTo(Outcome.MATCH);
        CheckResult hashes = check(report, "public.events", CheckKind.HASHES);
        assertThat(hashes.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(hashes.differences()).extracting(Difference::kind).containsExactly(DifferenceKind.TABLE_CONTENT);
        assertThat(check(report, "public.events", CheckKind.LAST_ROWS).outcome()).isEqualTo(Outcome.SKIPPED);
    }

    @Test
    void partitionedTablesQuotedNamesSchemasAndWideTables(DatabasePair db) {
        StringBuilder wide = new StringBuilder("CREATE TABLE wide (id int PRIMARY KEY");
        StringBuilder wideValues = new StringBuilder("INSERT INTO wide SELECT g");
        for (int c = 1; c <= 300; c++) {
            wide.append(", c").append(c).append(" text");
            wideValues.append(", 'v").append(c).append("-' || g");
        }
        db.both("""
                CREATE SCHEMA billing;
                CREATE TABLE billing."Invoice" ("Invoice ID" int PRIMARY KEY, "Amount ""net""\" numeric);
                INSERT INTO billing."Invoice" SELECT g, g * 2.5 FROM generate_series(1, 300) g;
                CREATE TABLE "Order Items" ("order" int, "select" int, PRIMARY KEY ("order", "select"));
                INSERT INTO "Order Items" SELECT g, g % 3 FROM generate_series(1, 300) g;
                CREATE TABLE measurements (id bigint, taken date, value float8, PRIMARY KEY (id, taken))
                    PARTITION BY RANGE (taken);
                CREATE TABLE measurements_2023 PARTITION OF measurements FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
                CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                INSERT INTO measurements SELECT g, date '2023-06-01' + (g % 400), g / 10.0 FROM generate_series(1, 2000) g;
                """, wide + ")", wideValues + " FROM generate_series(1, 200) g");
        VerificationReport clean = compare(db);
        assertThat(clean.outcome()).as("%s", clean).isEqualTo(Outcome.MATCH);

        db.target().execute("UPDATE billing.\"Invoice\" SET \"Amount \"\"net\"\"\" = 0 WHERE \"Invoice ID\" = 3",
                "DELETE FROM \"Order Items\" WHERE \"order\" = 7",
                "UPDATE measurements SET value = -1 WHERE id = 1999",
                "UPDATE wide SET c300 = 'changed' WHERE id = 100");
        VerificationReport report = compare(db, b -> b.checks(CheckKind.HASHES));
        assertThat(report.tables()).extracting(TableReport::qualifiedName).containsExactly(
                "billing.\"Invoice\"", "public.\"Order Items\"", "public.measurements", "public.wide");
        assertThat(check(report, "billing.\"Invoice\"", CheckKind.HASHES).differences())
                .extracting(Difference::keyText, Difference::columns)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("(Invoice ID=3)", List.of("Amount \"net\"")));
        assertThat(check(report, "public.\"Order Items\"", CheckKind.HASHES).differences())
                .extracting(Difference::keyText).containsExactly("(order=7, select=1)");
        assertThat(check(report, "public.measurements", CheckKind.HASHES).differences())
                .extracting(Difference::key)
                .containsExactly(Map.of("id", "1999", "taken", db.source().queryForString("SELECT taken FROM measurements WHERE id = 1999")));
        assertThat(check(report, "public.wide", CheckKind.HASHES).differences())
                .extracting(Difference::columns).containsExactly(List.of("c300"));
    }

    @Test
    void aTableThatFailsToReadIsIncompleteWhileOthersAreStillCompared(DatabasePair db) {
        String role = "limited_" + db.source().name();
        db.both("CREATE TABLE open_table (id int PRIMARY KEY)", "INSERT INTO open_table VALUES (1), (2)",
                "CREATE TABLE secret (id int PRIMARY KEY)", "INSERT INTO secret VALUES (1)",
                "CREATE ROLE " + role + " LOGIN PASSWORD 'pw'", "GRANT SELECT ON open_table TO " + role);
        VerificationReport report = compare(db, b -> b.source(as(db.source().dataSource(), role)).target(as(db.target().dataSource(), role)));
        assertThat(Verifications.table(report, "public.open_table").outcome()).isEqualTo(Outcome.MATCH);
        TableReport secret = Verifications.table(report, "public.secret");
        assertThat(secret.outcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(secret.check(CheckKind.HASHES).orElseThrow().message()).contains("permission denied");
        assertThat(report.outcome()).isEqualTo(Outcome.INCOMPLETE);
    }

    private static javax.sql.DataSource as(org.postgresql.ds.PGSimpleDataSource dataSource, String role) {
        dataSource.setUser(role);
        dataSource.setPassword("pw");
        return dataSource;
    }
}
