package io.pgverify.internal.jdbc;

import java.sql.SQLException;

import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;

/** Turns driver failures into one readable sentence and an {@link ErrorCode}, keeping the SQLSTATE. */
public final class SqlErrors {

    private SqlErrors() {
    }

    /** The error code for a failure on the given side. */
    public static ErrorCode classify(SQLException e) {
        return ErrorCode.QUERY_FAILED;
    }

    /** One sentence for a person, naming the side, e.g. {@code "target: permission denied for table orders"}. */
    public static String describe(String side, SQLException e) {
        return side + ": " + e.getMessage() + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
    }

    /** An exception for a failure that stops the whole verification. */
    public static VerifyException toException(String side, SQLException e) {
        return new VerifyException(classify(e), describe(side, e), e.getSQLState(), e);
    }
}
