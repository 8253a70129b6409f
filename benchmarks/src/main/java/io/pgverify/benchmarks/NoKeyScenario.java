package io.pgverify.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

import io.pgverify.DifferenceKind;
import io.pgverify.VerificationReport;

/**
 * A table without a primary key, a unique index or any index: {@code events (seq bigint, account int, kind text,
 * amount numeric(12,2), at timestamptz)}, compared as a multiset. Its floor reads it in physical order. The target is
 * loaded in reverse order, so that a comparison that depended on order would fail.
 */
final class NoKeyScenario extends OneTableScenario {

    NoKeyScenario(long rows) {
        super("no-key", rows);
    }

    @Override
    public String data() {
        return String.format(Locale.ROOT, "%,d rows, no primary or unique key", rows);
    }

    @Override
    public long bytesEstimate() {
        return rows * 90;
    }

    @Override
    public void load(Connection connection, boolean target) throws SQLException {
        String series = target ? "generate_series(" + rows + ", 1, -1)" : "generate_series(1, " + rows + ")";
        Sql.inOneTransaction(connection,
                "CREATE TABLE events (seq bigint, account int, kind text, amount numeric(12,2), at timestamptz)",
                "INSERT INTO events SELECT g, g % 50000, (ARRAY['deposit', 'withdrawal', 'fee', 'refund'])[g % 4 + 1], "
                        + "(g * 7 % 1000000) / 100.0, timestamptz '2025-01-01 00:00:00+00' + g * interval '1 second' FROM "
                        + series + " g");
    }

    @Override
    public List<String> floorQueries() {
        return List.of("COPY events TO STDOUT (FORMAT binary)");
    }

    @Override
    public void plantChange(Connection target) throws SQLException {
        Sql.updateOne(target, "UPDATE events SET amount = amount + 1 WHERE seq = " + rows / 2);
    }

    @Override
    public void revertChange(Connection target) throws SQLException {
        Sql.updateOne(target, "UPDATE events SET amount = amount - 1 WHERE seq = " + rows / 2);
        Sql.execute(target, "VACUUM events");
    }

    @Override
    public void checkChange(VerificationReport report) {
        Verdicts.checkOneDifference(report, 1, rows, "public.events", DifferenceKind.TABLE_CONTENT, "", List.of());
    }
}
