package io.pgverify.internal.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;

@ExtendWith(PostgresPairExtension.class)
class BinaryCopyReaderIT {

    /** Column name, type and three values (the last NULL where the type allows it), one table holding them all. */
    private static final String[][] COLUMNS = {
        {"c_int2", "int2", "-32768", "7", "NULL"},
        {"c_int4", "int4", "-2147483648", "0", "NULL"},
        {"c_int8", "int8", "9223372036854775807", "-1", "NULL"},
        {"c_numeric", "numeric", "'NaN'", "'-12345.67890'", "'1.00'"},
        {"c_float4", "float4", "'NaN'", "'-0'", "'-Infinity'"},
        {"c_float8", "float8", "'Infinity'", "'-0'", "'1.0000000000000002'"},
        {"c_text", "text", "''", "'Grüße 😀'", "NULL"},
        {"c_varchar", "varchar(20)", "'é'", "' x '", "NULL"},
        {"c_char", "char(5)", "'ab'", "''", "NULL"},
        {"c_bool", "bool", "true", "false", "NULL"},
        {"c_date", "date", "'0044-03-15 BC'", "'infinity'", "'2024-02-29'"},
        {"c_time", "time", "'24:00'", "'00:00:00.000001'", "NULL"},
        {"c_timetz", "timetz", "'12:00+05:30'", "'00:00-12'", "NULL"},
        {"c_timestamp", "timestamp", "'1999-12-31 23:59:59.999999'", "'-infinity'", "NULL"},
        {"c_timestamptz", "timestamptz", "'2024-01-02 03:04:05.123456+02'", "'1900-01-01 00:00:00+00'", "NULL"},
        {"c_interval", "interval", "'1 year 2 mons 3 days 04:05:06.789'", "'-1 day +01:00'", "NULL"},
        {"c_json", "json", "'{\"b\": 1,  \"a\": [1, 2.50]}'", "'null'", "NULL"},
        {"c_jsonb", "jsonb", "'{\"b\": 1, \"a\": [1, 2.50], \"c\": \"é\"}'", "'[]'", "NULL"},
        {"c_bytea", "bytea", "'\\x00ff'", "'\\x'", "NULL"},
        {"c_uuid", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'", "NULL"},
        {"c_inet", "inet", "'192.168.0.1/24'", "'::1'", "'10.0.0.0/8'"},
        {"c_int_array", "int[]", "'{1,NULL,3}'", "'{}'", "'{{1,2},{3,4}}'"},
        {"c_text_array", "text[]", "'{a,\"b c\",NULL}'", "'{}'", "NULL"},
        {"c_enum", "mood", "'happy'", "'sad'", "NULL"},
    };

    @Test
    void readsTheServersStreamThroughCopyOut(DatabasePair db) throws Exception {
        db.source().execute("CREATE TABLE t AS SELECT i, repeat('x', i % 50) AS s, CASE WHEN i % 7 = 0 THEN NULL ELSE i END AS n"
                + " FROM generate_series(1, 20000) i");
        try (Connection connection = db.source().connect()) {
            CopyOut copy = copyOut(connection, "COPY (SELECT i, s, n FROM t ORDER BY i) TO STDOUT (FORMAT binary)");
            long nulls = 0;
            try (BinaryCopyReader reader = BinaryCopyReader.open(copy)) {
                int expected = 1;
                while (reader.next()) {
                    assertThat(reader.fieldCount()).isEqualTo(3);
                    byte[] buf = reader.tupleBuffer();
                    int i = ((buf[reader.fieldOffset(0)] & 0xFF) << 24) | ((buf[reader.fieldOffset(0) + 1] & 0xFF) << 16)
                            | ((buf[reader.fieldOffset(0) + 2] & 0xFF) << 8) | (buf[reader.fieldOffset(0) + 3] & 0xFF);
                    assertThat(i).isEqualTo(expected++);
                    assertThat(reader.fieldLength(1)).isEqualTo(i % 50);
                    nulls += reader.fieldLength(2) < 0 ? 1 : 0;
                }
                assertThat(reader.rowsRead()).isEqualTo(20000);
                assertThat(reader.finished()).isTrue();
            }
            assertThat(nulls).isEqualTo(20000 / 7);
            assertThat(copy.isActive()).isFalse();
            assertStillUsable(connection);
        }
    }

    @Test
    void closingBeforeTheEndDrainsTheCopyAndKeepsTheConnection(DatabasePair db) throws Exception {
        db.source().execute("CREATE TABLE t AS SELECT i FROM generate_series(1, 100000) i");
        try (Connection connection = db.source().connect()) {
            CopyOut copy = copyOut(connection, "COPY (SELECT i FROM t) TO STDOUT (FORMAT binary)");
            try (BinaryCopyReader reader = BinaryCopyReader.open(copy)) {
                assertThat(reader.next()).isTrue();
            }
            assertThat(copy.isActive()).isFalse();
            assertStillUsable(connection);
        }
    }

    @Test
    void aServerErrorMidStreamIsAnIoExceptionWithTheSqlState(DatabasePair db) throws Exception {
        try (Connection connection = db.source().connect()) {
            CopyOut copy = copyOut(connection,
                    "COPY (SELECT 1 / (5000 - i) FROM generate_series(1, 10000) i) TO STDOUT (FORMAT binary)");
            try (BinaryCopyReader reader = BinaryCopyReader.open(copy)) {
                assertThatThrownBy(() -> {
                    while (reader.next()) {
                        // read until the division by zero at row 5000
                    }
                }).isInstanceOf(IOException.class).hasMessageContaining("division by zero")
                        .cause().isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22012"));
            }
            assertStillUsable(connection);
        }
    }

    @Test
    void rejectsATextFormatCopy(DatabasePair db) throws Exception {
        try (Connection connection = db.source().connect()) {
            CopyOut copy = copyOut(connection, "COPY (SELECT 1) TO STDOUT");
            assertThatThrownBy(() -> BinaryCopyReader.open(copy)).hasMessageContaining("add (FORMAT binary)");
            assertStillUsable(connection);
        }
    }

    @Test
    void readsToastSizedValues(DatabasePair db) throws Exception {
        db.source().execute("CREATE TABLE t (id int, big text, blob bytea)",
                "INSERT INTO t SELECT i, repeat(md5(i::text), 30000), decode(repeat(md5(i::text), 3000), 'hex')"
                        + " FROM generate_series(1, 5) i");
        try (Connection connection = db.source().connect();
             BinaryCopyReader reader = BinaryCopyReader.open(copyOut(connection, "COPY t TO STDOUT (FORMAT binary)"))) {
            int rows = 0;
            while (reader.next()) {
                assertThat(reader.fieldLength(1)).isEqualTo(960_000);
                assertThat(reader.fieldLength(2)).isEqualTo(48_000);
                rows++;
            }
            assertThat(rows).isEqualTo(5);
        }
    }

    /**
     * The premise of comparing bytes across versions: the same values sent by PostgreSQL 13 and 17 in binary are the
     * same bytes, for every type the comparison sends as-is.
     */
    @Test
    void postgresql13And17SendTheSameBytesForCommonTypes(DatabasePair db) throws Exception {
        StringBuilder create = new StringBuilder("CREATE TABLE t (id int PRIMARY KEY");
        List<String> rows = new ArrayList<>();
        for (String[] column : COLUMNS) {
            create.append(", ").append(column[0]).append(' ').append(column[1]);
        }
        for (int row = 0; row < 3; row++) {
            StringBuilder values = new StringBuilder("INSERT INTO t VALUES (" + row);
            for (String[] column : COLUMNS) {
                values.append(", ").append(column[2 + row]);
            }
            rows.add(values.append(')').toString());
        }
        db.both("CREATE TYPE mood AS ENUM ('sad', 'happy')", create.append(')').toString());
        db.both(rows.toArray(new String[0]));

        String sql = "COPY (SELECT * FROM t ORDER BY id) TO STDOUT (FORMAT binary)";
        List<List<byte[]>> source = fieldsOfEveryRow(db.source().connect(), sql);
        List<List<byte[]>> target = fieldsOfEveryRow(db.target().connect(), sql);
        assertThat(source).hasSize(3);
        assertThat(target).hasSize(3);

        Map<String, String> differing = new LinkedHashMap<>();
        for (int row = 0; row < 3; row++) {
            for (int field = 0; field < source.get(row).size(); field++) {
                byte[] a = source.get(row).get(field);
                byte[] b = target.get(row).get(field);
                if (!Arrays.equals(a, b)) {
                    String column = field == 0 ? "id" : COLUMNS[field - 1][1];
                    differing.put(column + " row " + row, show(a) + " vs " + show(b));
                }
            }
        }
        assertThat(differing).as("types whose binary form differs between 13 and 17").isEmpty();
    }

    private static List<List<byte[]>> fieldsOfEveryRow(Connection connection, String sql) throws SQLException, IOException {
        List<List<byte[]>> rows = new ArrayList<>();
        try (connection; BinaryCopyReader reader = BinaryCopyReader.open(copyOut(connection, sql))) {
            while (reader.next()) {
                List<byte[]> fields = new ArrayList<>();
                for (int i = 0; i < reader.fieldCount(); i++) {
                    int off = reader.fieldOffset(i);
                    fields.add(reader.fieldLength(i) < 0 ? null
                            : Arrays.copyOfRange(reader.tupleBuffer(), off, off + reader.fieldLength(i)));
                }
                rows.add(fields);
            }
        }
        return rows;
    }

    private static String show(byte[] bytes) {
        if (bytes == null) {
            return "NULL";
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02x", b));
        }
        return hex + " (" + new String(bytes, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", ".") + ")";
    }

    static CopyOut copyOut(Connection connection, String sql) throws SQLException {
        return connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
    }

    private static void assertStillUsable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT 42")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }
}
