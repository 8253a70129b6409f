package io.pgverify.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

import io.pgverify.DifferenceKind;
import io.pgverify.VerificationReport;

/**
 * Wide rows: {@code id bigint PRIMARY KEY} and 59 columns {@code c01} ... {@code c59} cycling through twelve types
 * (int, bigint, numeric, text, varchar, timestamptz, date, boolean, double precision, uuid, jsonb, bytea), one value
 * in 50 NULL (never in {@code c01}, the column the change touches). The target is loaded in reverse order.
 */
final class WideRowsScenario extends OneTableScenario {

    static final int COLUMNS = 60;

    /** Each type with the expression of its value from row number g and column number i. */
    private static final String[][] TYPES = {
        {"int", "(g * 31 + i) % 1000000"},
        {"bigint", "g * 1000 + i"},
        {"numeric(14,2)", "((g * 13 + i) % 10000000) / 100.0"},
        {"text", "'text ' || i || ' of row ' || g"},
        {"varchar(40)", "'v' || (g * 7 + i)"},
        {"timestamptz", "timestamptz '2024-01-01 00:00:00+00' + (g + i) * interval '1 second'"},
        {"date", "date '2020-01-01' + ((g + i) % 3650)::int"},
        {"boolean", "(g + i) % 3 = 0"},
        {"double precision", "g * 0.25 + i"},
        {"uuid", "md5(g::text || '/' || i)::uuid"},
        {"jsonb", "jsonb_build_object('n', g, 'c', i)"},
        {"bytea", "decode(lpad(to_hex(g * 64 + i), 16, '0'), 'hex')"},
    };

    WideRowsScenario(long rows) {
        super("wide-rows", rows);
    }

    @Override
    public String data() {
        return String.format(Locale.ROOT, "%,d rows × %d columns of 12 mixed types", rows, COLUMNS);
    }

    @Override
    public long bytesEstimate() {
        return rows * 900;
    }

    @Override
    public void load(Connection connection, boolean target) throws SQLException {
        StringBuilder create = new StringBuilder("CREATE TABLE wide (id bigint NOT NULL");
        StringBuilder insert = new StringBuilder("INSERT INTO wide SELECT g");
        for (int i = 1; i < COLUMNS; i++) {
            String[] type = TYPES[(i - 1) % TYPES.length];
            String value = type[1].replaceAll("\\bi\\b", Integer.toString(i));
            create.append(String.format(Locale.ROOT, ", c%02d %s", i, type[0]));
            insert.append(i == 1 ? ", " + value : ", CASE WHEN (g + " + i + ") % 50 = 0 THEN NULL ELSE " + value + " END");
        }
        create.append(')');
        String series = target ? "generate_series(" + rows + ", 1, -1)" : "generate_series(1, " + rows + ")";
        insert.append(" FROM ").append(series).append(" g");
        Sql.inOneTransaction(connection, create.toString(), insert.toString());
        Sql.execute(connection, "ALTER TABLE wide ADD PRIMARY KEY (id)");
    }

    @Override
    public List<String> floorQueries() {
        return List.of("COPY (SELECT * FROM wide ORDER BY id) TO STDOUT (FORMAT binary)");
    }

    @Override
    public void plantChange(Connection target) throws SQLException {
        Sql.updateOne(target, "UPDATE wide SET c01 = c01 + 1 WHERE id = " + rows / 2);
    }

    @Override
    public void revertChange(Connection target) throws SQLException {
        Sql.updateOne(target, "UPDATE wide SET c01 = c01 - 1 WHERE id = " + rows / 2);
        Sql.execute(target, "VACUUM wide");
    }

    @Override
    public void checkChange(VerificationReport report) {
        Verdicts.checkOneDifference(report, 1, rows, "public.wide", DifferenceKind.DIFFERENT,
                "(id=" + rows / 2 + ")", List.of("c01"));
    }
}
