package io.pgverify.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import io.pgverify.DifferenceKind;
import io.pgverify.VerificationReport;

/**
 * A text primary key in an ICU collation: {@code code text COLLATE "en-US-x-icu" PRIMARY KEY}, with codes of mixed
 * case ({@code SKU-} and an md5, upper case for even numbers) so that the ICU order differs from byte order. The target
 * is loaded in the reverse order of the source.
 */
final class TextKeyScenario extends OneTableScenario {

    static final String COLLATION = "en-US-x-icu";

    TextKeyScenario(long rows) {
        super("text-key-icu", rows);
    }

    @Override
    public String data() {
        return String.format(Locale.ROOT, "%,d rows, code text COLLATE \"%s\" PRIMARY KEY", rows, COLLATION);
    }

    @Override
    public long bytesEstimate() {
        return rows * 170;
    }

    @Override
    public void load(Connection connection, boolean target) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_collation WHERE collname = '" + COLLATION + "'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                throw new IllegalStateException("This PostgreSQL has no collation \"" + COLLATION
                        + "\" (built without ICU?): the text-key-icu scenario cannot run on it.");
            }
        }
        String series = target ? "generate_series(" + rows + ", 1, -1)" : "generate_series(1, " + rows + ")";
        Sql.inOneTransaction(connection,
                "CREATE TABLE items (code text COLLATE \"" + COLLATION + "\" NOT NULL, qty int NOT NULL, price numeric(10,2))",
                "INSERT INTO items (code, qty, price) SELECT " + code("g") + ", g % 1000, (g % 100000) / 100.0 FROM " + series + " g");
        Sql.execute(connection, "ALTER TABLE items ADD PRIMARY KEY (code)");
    }

    /** The code of row number {@code n}: the same expression on both sides, and {@link #codeOf} in Java. */
    private static String code(String n) {
        return "'SKU-' || CASE WHEN " + n + " % 2 = 0 THEN upper(md5(" + n + "::text)) ELSE md5(" + n + "::text) END";
    }

    static String codeOf(long n) {
        try {
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(Long.toString(n).getBytes(StandardCharsets.US_ASCII)));
            return "SKU-" + (n % 2 == 0 ? md5.toUpperCase(Locale.ROOT) : md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<String> floorQueries() {
        return List.of("COPY (SELECT * FROM items ORDER BY code) TO STDOUT (FORMAT binary)");
    }

    @Override
    public void plantChange(Connection target) throws SQLException {
        Sql.updateOne(target, "UPDATE items SET qty = qty + 1 WHERE code = '" + codeOf(rows / 2) + "'");
    }

    @Override
    public void revertChange(Connection target) throws SQLException {
        Sql.updateOne(target, "UPDATE items SET qty = qty - 1 WHERE code = '" + codeOf(rows / 2) + "'");
        Sql.execute(target, "VACUUM items");
    }

    @Override
    public void checkChange(VerificationReport report) {
        Verdicts.checkOneDifference(report, 1, rows, "public.items", DifferenceKind.DIFFERENT,
                "(code=" + codeOf(rows / 2) + ")", List.of("qty"));
    }
}
