package io.pgverify.internal.jdbc;

import java.sql.SQLException;


/** A failure while reading one side; turns into an incomplete check whose message names the side. */
public final class SideFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final Side side;

    public SideFailure(Side side, Throwable cause) {
        super(cause);
        this.side = side;
    }

    public Side side() {
        return side;
    }

    /** Whether another attempt on a fresh connection may succeed. */
    public boolean isTransient() {
        return io.pgverify.internal.jdbc.Transience.isTransient(getCause());
    }

    /** One sentence for the report, with no secrets: the server's error when there is one, else the cause's. */
    public String describe() {
        for (Throwable t = getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return SqlErrors.describe(side.label(), sql);
            }
        }
        Throwable cause = getCause();
        if (cause == null) {
            return side.label() + ": unknown failure";
        }
        // An Error says little by its message alone ("Java heap space"): name its class.
        String message = io.pgverify.Redactor.structural().message(cause);
        return side.label() + ": " + (cause instanceof Error ? cause.getClass().getSimpleName() + ": " + message : message);
    }
}
