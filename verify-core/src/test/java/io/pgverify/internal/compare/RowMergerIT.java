package io.pgverify.internal.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

import io.pgverify.DifferenceKind;
import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.ServerPair;
import io.pgverify.internal.copy.BinaryCopyReader;

/** Merges real streams from PostgreSQL 13 (source) and 17 (target). */
@ExtendWith(PostgresPairExtension.class)
class RowMergerIT {

    private static final String SETUP = "CREATE TABLE t (name text PRIMARY KEY, n int, amount numeric, at timestamptz)";
    private static final String FILL = "INSERT INTO t SELECT CASE i % 3 WHEN 0 THEN 'é' WHEN 1 THEN 'E' ELSE 'z' END || i,"
            + " i, i / 7.0, timestamptz '1990-01-01' + i * interval '1 hour' FROM generate_series(1, 30000) i";
    private static final String COPY = "COPY (SELECT name, n, amount, at FROM t ORDER BY name COLLATE \"C\")"
            + " TO STDOUT (FORMAT binary)";
    private static final KeyLayout NAME = KeyLayout.builder().key("name", 0, KeyCodec.forType("text")).build();

    @Test
    void findsExactlyTheChangedRowsAcrossMajorVersionsAndCollations(ServerPair servers) throws Exception {
        // The target's default collation orders 'é' and 'E' differently from the source's: COLLATE "C" must hide that.
        DatabasePair db = servers.newDatabases("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'de-DE' LOCALE 'C'");
        db.both(SETUP, FILL);
        db.target().execute(
                "DELETE FROM t WHERE n IN (5, 29999)",
                "INSERT INTO t VALUES ('zzz', 1, 1, now()), ('Ä', 2, 2, now())",
                "UPDATE t SET amount = amount::numeric(40, 25) WHERE n = 100", // same value, larger scale: bytes differ
                "UPDATE t SET at = at + interval '1 microsecond' WHERE n = 200");

        List<String> found = new ArrayList<>();
        MergeSummary summary;
        try (Connection source = db.source().connect(); Connection target = db.target().connect();
             BinaryCopyReader s = BinaryCopyReader.open(source.unwrap(PGConnection.class).getCopyAPI().copyOut(COPY));
             BinaryCopyReader t = BinaryCopyReader.open(target.unwrap(PGConnection.class).getCopyAPI().copyOut(COPY))) {
            summary = RowMerger.ascending(NAME).merge(s, t, new MergeListener() {
                @Override
                public void onDifference(DifferenceKind kind, List<String> key, int[] differingFields) {
                    found.add(kind + " " + key + " " + Arrays.toString(differingFields));
                }
            });
        }
        assertThat(summary).isEqualTo(new MergeSummary(30000, 30000, 29996, 2, 2, 2));
        assertThat(found).containsExactlyInAnyOrder(
                "MISSING_ON_TARGET [z5] []",
                "MISSING_ON_TARGET [z29999] []",
                "EXTRA_ON_TARGET [zzz] []",
                "EXTRA_ON_TARGET [Ä] []",
                "DIFFERENT [E100] [2]",
                "DIFFERENT [z200] [3]");
    }

    @Test
    void theDatabaseCollationsOrderWouldBeCaughtNotMerged(ServerPair servers) throws Exception {
        DatabasePair db = servers.newDatabases("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'de-DE' LOCALE 'C'");
        db.both(SETUP, FILL);
        String unsafe = COPY.replace(" COLLATE \"C\"", "");
        try (Connection source = db.source().connect(); Connection target = db.target().connect();
             BinaryCopyReader s = BinaryCopyReader.open(source.unwrap(PGConnection.class).getCopyAPI().copyOut(COPY));
             BinaryCopyReader t = BinaryCopyReader.open(target.unwrap(PGConnection.class).getCopyAPI().copyOut(unsafe))) {
            assertThatThrownBy(() -> RowMerger.ascending(NAME).merge(s, t, MergeListener.NONE))
                    .isInstanceOf(RowOrderException.class).hasMessageContaining("Rows from the target");
        }
    }
}
