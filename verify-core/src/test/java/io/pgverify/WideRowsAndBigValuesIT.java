package io.pgverify;

import static io.pgverify.Verifications.check;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

/**
 * Issue 9's wide rows and big values, on the paths tuned for them: a difference in the last column of a 60-column row,
 * or in the last byte of an 8 KB value stored out of line, must still be found and named.
 */
@ExtendWith(PostgresPairExtension.class)
class WideRowsAndBigValuesIT {

    private static final String[] TYPES = {"int4", "int8", "text", "numeric", "timestamptz", "bool", "float8", "date",
            "varchar(32)", "uuid"};

    private static String wideTable(int rows) {
        StringBuilder columns = new StringBuilder("id bigint PRIMARY KEY");
        StringBuilder values = new StringBuilder("g");
        for (int j = 1; j < 60; j++) {
            String type = TYPES[j % TYPES.length];
            columns.append(", c").append(j).append(' ').append(type);
            values.append(", ").append(switch (type) {
                case "int4" -> "(g * " + j + ") % 1000000";
                case "int8" -> "g * 1000003 + " + j;
                case "text" -> "'text value ' || g || '/' || " + j;
                case "numeric" -> "(g * " + j + ")::numeric / 7";
                case "timestamptz" -> "timestamptz '2020-01-01' + g * interval '1 second'";
                case "bool" -> "g % 2 = 0";
                case "float8" -> "CASE WHEN g % 100 = 0 THEN NULL ELSE g / 3.0::float8 END";
                case "date" -> "date '2000-01-01' + (g % 10000)::int";
                case "varchar(32)" -> "'v' || g";
                default -> "md5(g::text || '" + j + "')::uuid";
            });
        }
        return "CREATE TABLE wide (" + columns + "); INSERT INTO wide SELECT " + values
                + " FROM generate_series(1::bigint, " + rows + ") g";
    }

    private static VerificationReport verify(DatabasePair db, CompareMode mode) {
        return Verifications.verify(db, b -> b.compareMode(mode).chunkRows(1000).recheck(0, Duration.ofMillis(1)));
    }

    @Test
    void aWideRowDifferingInItsLastColumnIsNamed(DatabasePair db) {
        db.both(wideTable(5000));
        assertThat(verify(db, CompareMode.STREAM).outcome()).isEqualTo(Outcome.MATCH);
        db.target().execute("UPDATE wide SET c59 = md5('changed')::uuid WHERE id = 4321");
        for (CompareMode mode : CompareMode.values()) {
            CheckResult hashes = check(verify(db, mode), "public.wide", CheckKind.HASHES);
            assertThat(hashes.outcome()).as("%s", mode).isEqualTo(Outcome.MISMATCH);
            assertThat(hashes.differences()).as("%s", mode).singleElement().satisfies(d -> {
                assertThat(d.kind()).isEqualTo(DifferenceKind.DIFFERENT);
                assertThat(d.keyText()).isEqualTo("(id=4321)");
                assertThat(d.columns()).isEqualTo(List.of("c59"));
            });
        }
    }

    @Test
    void aBigValueDifferingInItsLastByteIsNamed(DatabasePair db) {
        // 8 KB of md5 hex per value: stored out of line in TOAST, as issue 9's big values are.
        db.both("CREATE TABLE big (id int PRIMARY KEY, v text)",
                "INSERT INTO big SELECT g, (SELECT string_agg(md5(g::text || '-' || i::text), '') FROM generate_series(1, 256) i)"
                        + " FROM generate_series(1, 200) g");
        assertThat(db.target().queryForLong("SELECT min(octet_length(v)) FROM big")).isEqualTo(8192L);
        db.target().execute("UPDATE big SET v = overlay(v PLACING CASE WHEN right(v, 1) = 'x' THEN 'y' ELSE 'x' END"
                + " FROM 8192) WHERE id = 123");
        for (CompareMode mode : CompareMode.values()) {
            CheckResult hashes = check(verify(db, mode), "public.big", CheckKind.HASHES);
            assertThat(hashes.outcome()).as("%s", mode).isEqualTo(Outcome.MISMATCH);
            assertThat(hashes.differences()).as("%s", mode).singleElement().satisfies(d -> {
                assertThat(d.kind()).isEqualTo(DifferenceKind.DIFFERENT);
                assertThat(d.keyText()).isEqualTo("(id=123)");
                assertThat(d.columns()).isEqualTo(List.of("v"));
            });
        }
    }
}
