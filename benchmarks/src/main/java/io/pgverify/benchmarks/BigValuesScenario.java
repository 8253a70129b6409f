package io.pgverify.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

import io.pgverify.DifferenceKind;
import io.pgverify.VerificationReport;

/**
 * Big values: {@code id int PRIMARY KEY, body text} with 8,192 characters of md5 hex per row, which pglz cannot
 * compress by the quarter it demands, so each value is stored out of line and uncompressed in TOAST (the load prints
 * the stored size to show it). The target is loaded in reverse order.
 */
final class BigValuesScenario extends OneTableScenario {

    static final int VALUE_BYTES = 8192;

    BigValuesScenario(long rows) {
        super("big-values", rows);
    }

    @Override
    public String data() {
        return String.format(Locale.ROOT, "%,d rows × 8 KB incompressible text", rows);
    }

    @Override
    public long bytesEstimate() {
        return rows * (VALUE_BYTES + 400);
    }

    @Override
    public void load(Connection connection, boolean target) throws SQLException {
        String series = target ? "generate_series(" + rows + ", 1, -1)" : "generate_series(1, " + rows + ")";
        Sql.inOneTransaction(connection,
                "CREATE TABLE docs (id int NOT NULL, body text NOT NULL)",
                "INSERT INTO docs SELECT g, (SELECT string_agg(md5(g || ':' || k), '') FROM generate_series(1, "
                        + VALUE_BYTES / 32 + ") k) FROM " + series + " g");
        Sql.execute(connection, "ALTER TABLE docs ADD PRIMARY KEY (id)");
    }

    @Override
    public List<String> floorQueries() {
        return List.of("COPY (SELECT * FROM docs ORDER BY id) TO STDOUT (FORMAT binary)");
    }

    @Override
    public void plantChange(Connection target) throws SQLException {
        Sql.updateOne(target, "UPDATE docs SET body = body || 'x' WHERE id = " + rows / 2);
    }

    @Override
    public void revertChange(Connection target) throws SQLException {
        Sql.updateOne(target, "UPDATE docs SET body = left(body, -1) WHERE id = " + rows / 2);
        Sql.execute(target, "VACUUM docs");
    }

    @Override
    public void checkChange(VerificationReport report) {
        Verdicts.checkOneDifference(report, 1, rows, "public.docs", DifferenceKind.DIFFERENT,
                "(id=" + rows / 2 + ")", List.of("body"));
    }
}
