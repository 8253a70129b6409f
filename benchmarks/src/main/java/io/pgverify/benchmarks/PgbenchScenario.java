package io.pgverify.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

import io.pgverify.DifferenceKind;
import io.pgverify.VerificationReport;

/**
 * {@code pgbench_accounts} as {@code pgbench -i} makes it: {@code aid int primary key, bid int, abalance int,
 * filler char(84)}, one bid per 100,000 rows, abalance 0, filler blank, the key added after the load. Both sides are
 * loaded in the same physical order, as issue 4's figures were, so that they stay comparable.
 */
final class PgbenchScenario extends OneTableScenario {

    PgbenchScenario(long rows) {
        super("pgbench", rows);
    }

    @Override
    public String data() {
        return String.format(Locale.ROOT, "%,d rows of pgbench_accounts (int key, 114 bytes a row)", rows);
    }

    @Override
    public long bytesEstimate() {
        return rows * 160;
    }

    @Override
    public void load(Connection connection, boolean target) throws SQLException {
        Sql.inOneTransaction(connection,
                "CREATE TABLE pgbench_accounts (aid int NOT NULL, bid int, abalance int, filler char(84))",
                "INSERT INTO pgbench_accounts (aid, bid, abalance, filler) "
                        + "SELECT g, (g - 1) / 100000 + 1, 0, '' FROM generate_series(1, " + rows + ") g");
        Sql.execute(connection, "ALTER TABLE pgbench_accounts ADD PRIMARY KEY (aid)");
    }

    @Override
    public List<String> floorQueries() {
        return List.of("COPY (SELECT * FROM pgbench_accounts ORDER BY aid) TO STDOUT (FORMAT binary)");
    }

    @Override
    public void plantChange(Connection target) throws SQLException {
        Sql.updateOne(target, "UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = " + rows / 2);
    }

    @Override
    public void revertChange(Connection target) throws SQLException {
        Sql.updateOne(target, "UPDATE pgbench_accounts SET abalance = abalance - 1 WHERE aid = " + rows / 2);
        Sql.execute(target, "VACUUM pgbench_accounts");
    }

    @Override
    public void checkChange(VerificationReport report) {
        Verdicts.checkOneDifference(report, 1, rows, "public.pgbench_accounts", DifferenceKind.DIFFERENT,
                "(aid=" + rows / 2 + ")", List.of("abalance"));
    }
}
