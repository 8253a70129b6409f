package io.pgverify.internal.read;

import java.sql.ResultSet;
import java.sql.Statement;

import io.pgverify.internal.jdbc.SideFailure;

/** A range's row count and digest as one side's server computes them ({@link TablePlan#digestQuery}). */
public record RangeDigest(long rows, String low, String high) {

    /** Both sides' digests of the same range. */
    public record Pair(RangeDigest source, RangeDigest target) {
        public boolean equal() {
            return source.equals(target);
        }
    }

    /** Computes the digest on both sides at once. */
    public static Pair read(CheckContext context, String sql) throws SideFailure {
        CheckContext.Pair<RangeDigest> digests = context.onBothSidesInOneStatement(session -> {
            try (Statement statement = session.connection().createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                return new RangeDigest(rs.getLong(1), rs.getString(2), rs.getString(3));
            }
        });
        return new Pair(digests.source(), digests.target());
    }
}
