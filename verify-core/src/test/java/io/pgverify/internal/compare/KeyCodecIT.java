package io.pgverify.internal.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.TestDatabase;
import io.pgverify.internal.copy.BinaryCopyReader;

/** Each key codec against the server's own ORDER BY and {@code ::text}, on both PostgreSQL 13 and 17. */
@ExtendWith(PostgresPairExtension.class)
class KeyCodecIT {

    /** Column type, then tricky values as SQL literals; the server puts them in order. */
    private static final Map<String, List<String>> VALUES = new LinkedHashMap<>();

    static {
        VALUES.put("int2", List.of("-32768", "-256", "-1", "0", "1", "255", "256", "32767"));
        VALUES.put("int4", List.of("-2147483648", "-65536", "-1", "0", "1", "16777216", "2147483647"));
        VALUES.put("int8", List.of("-9223372036854775808", "-4294967296", "-1", "0", "1", "4294967296", "9223372036854775807"));
        VALUES.put("oid", List.of("0", "1", "2147483647", "2147483648", "4294967295"));
        VALUES.put("bool", List.of("false", "true"));
        List<String> texts = List.of("''", "' '", "'A'", "'Z'", "'a'", "'a b'", "'ab'", "E'a\\x01'", "'b'", "'~'",
                "'é'", "'É'", "'ä'", "'Ä'", "'€'", "'😀'", "'中文'", "'x '");
        VALUES.put("text", texts);
        VALUES.put("varchar(10)", texts);
        VALUES.put("name", texts);
        VALUES.put("char(3)", List.of("''", "'a'", "E'a\\x01'", "'a b'", "'ab'", "'é'", "'😀'"));
        VALUES.put("bpchar", List.of("''", "'a'", "'a  '", "E'a\\x01'", "'ab '", "'ab'", "'é'"));
        VALUES.put("bytea", List.of("'\\x'", "'\\x00'", "'\\x0000'", "'\\x01'", "'\\x7f'", "'\\x80'", "'\\x80ff'", "'\\xff'"));
        VALUES.put("uuid", List.of("'00000000-0000-0000-0000-000000000000'", "'7fffffff-ffff-ffff-ffff-ffffffffffff'",
                "'80000000-0000-0000-0000-000000000000'", "'80000000-0000-0000-8000-000000000000'",
                "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'"));
        VALUES.put("date", List.of("'-infinity'", "'4713-01-01 BC'", "'0044-03-15 BC'", "'0001-12-31 BC'", "'0001-01-01'",
                "'1899-12-31'", "'1999-12-31'", "'2000-01-01'", "'2000-01-02'", "'2024-02-29'", "'10000-01-01'",
                "'5874897-12-31'", "'infinity'"));
        List<String> timestamps = List.of("'-infinity'", "'4713-01-01 00:00:00 BC'", "'0044-03-15 12:00:00 BC'",
                "'1066-10-14 09:00:00.5'", "'1969-07-20 20:17:40.000001'", "'1999-12-31 23:59:59.999999'",
                "'2000-01-01 00:00:00'", "'2000-01-01 00:00:00.01'", "'2024-01-02 03:04:05.123456'", "'12345-06-07 08:09:10'",
                "'294276-12-31 23:59:59.999999'", "'infinity'");
        VALUES.put("timestamp", timestamps);
        VALUES.put("timestamptz", timestamps.stream().map(t -> t.contains("infinity") ? t : t.replace("'", "") + "+00")
                .map(t -> t.startsWith("'") ? t : "'" + t.replace(" BC+00", "+00 BC") + "'").collect(Collectors.toList()));
        VALUES.put("time", List.of("'00:00:00'", "'00:00:00.000001'", "'12:34:56.01'", "'23:59:59.999999'", "'24:00:00'"));
        VALUES.put("numeric", List.of("'-123456789012345678901234567890.5'", "'-10000'", "'-9999.9999'", "'-1.5'", "'-1'",
                "'-0.0001'", "'-0.00001'", "'0'", "'0.000'", "'0.00001'", "'0.0001'", "'0.5'", "'1'", "'1.0'", "'1.00'",
                "'1.000000001'", "'9999'", "'10000'", "'10000.0001'", "'1e20'", "'123456789012345678901234567890.123456789'",
                "'NaN'"));
    }

    @Test
    void codecsOrderAndPrintAsPostgresql13Does(DatabasePair db) throws Exception {
        checkEveryType(db.source(), List.of());
    }

    @Test
    void codecsOrderAndPrintAsPostgresql17Does(DatabasePair db) throws Exception {
        checkEveryType(db.target(), List.of("'Infinity'", "'-Infinity'"));
    }

    private static void checkEveryType(TestDatabase database, List<String> numericInfinities) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            statement.execute("SET DateStyle = 'ISO'");
            statement.execute("SET extra_float_digits = 1");
            int checked = 0;
            for (Map.Entry<String, List<String>> entry : VALUES.entrySet()) {
                String type = entry.getKey();
                List<String> values = new ArrayList<>(entry.getValue());
                if (type.equals("numeric")) {
                    values.addAll(numericInfinities);
                }
                String table = "k_" + type.replaceAll("\\W", "_");
                statement.execute("CREATE TABLE " + table + " (k " + type + " NOT NULL)");
                statement.execute("INSERT INTO " + table + " VALUES (" + String.join("), (", values) + ")");
                String baseType = baseType(statement, table);
                KeyCodec codec = KeyCodec.forType(baseType);
                assertThat(codec).as(type).isNotNull();
                checked += checkOrder(connection, table, codec);
            }
            assertThat(checked).isGreaterThan(100);
        }
    }

    private static String baseType(Statement statement, String table) throws SQLException {
        try (var rs = statement.executeQuery("SELECT t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                + " WHERE a.attrelid = '" + table + "'::regclass AND a.attname = 'k'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Reads the server's order and text, and holds the codec to both; returns the number of values checked. */
    private static int checkOrder(Connection connection, String table, KeyCodec codec) throws SQLException, IOException {
        String order = "k" + (codec.collatable() ? " COLLATE \"C\"" : "");
        String sql = "COPY (SELECT k, k::text AS shown, coalesce(k = lag(k) OVER (ORDER BY " + order + "), false) AS same"
                + " FROM " + table + " ORDER BY " + order + ") TO STDOUT (FORMAT binary)";
        byte[] previous = null;
        int rows = 0;
        try (BinaryCopyReader reader = BinaryCopyReader.open(connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql))) {
            while (reader.next()) {
                byte[] buf = reader.tupleBuffer();
                int off = reader.fieldOffset(0);
                int len = reader.fieldLength(0);
                byte[] value = java.util.Arrays.copyOfRange(buf, off, off + len);
                String serverText = new String(buf, reader.fieldOffset(1), reader.fieldLength(1), StandardCharsets.UTF_8);
                boolean equalToPrevious = buf[reader.fieldOffset(2)] != 0;
                String shown = codec.format(value, 0, value.length);
                assertThat(shown).as("%s %s", table, serverText).isEqualTo(serverText);
                if (previous != null) {
                    int cmp = codec.compare(previous, 0, previous.length, value, 0, value.length);
                    int back = codec.compare(value, 0, value.length, previous, 0, previous.length);
                    if (equalToPrevious) {
                        assertThat(cmp).as("%s: %s equals the previous value", table, serverText).isZero();
                        assertThat(back).isZero();
                    } else {
                        assertThat(cmp).as("%s: %s sorts after the previous value", table, serverText).isNegative();
                        assertThat(back).isPositive();
                    }
                }
                previous = value;
                rows++;
            }
        }
        return rows;
    }
}
