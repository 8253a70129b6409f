package io.pgverify.internal.compare;

import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;

/**
 * A stream did not arrive in strictly increasing key order by our comparator: the server's ORDER BY and the codec
 * disagree (a collation or type the caller did not account for) or the key is not unique. Merging on would report
 * rows as missing that are not, or worse, pass rows it never compared, so the comparison stops.
 */
public final class RowOrderException extends VerifyException {

    private static final long serialVersionUID = 1L;

    public RowOrderException(String message) {
        super(ErrorCode.QUERY_FAILED, message);
    }
}
