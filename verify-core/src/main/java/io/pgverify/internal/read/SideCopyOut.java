package io.pgverify.internal.read;

import java.sql.SQLException;

import org.postgresql.copy.CopyOut;

import io.pgverify.internal.jdbc.Side;

/**
 * A COPY stream that names its side in the failures it throws: when two streams are merged on one thread, the
 * exception alone must tell which database failed.
 */
final class SideCopyOut implements CopyOut {

    private final Side side;
    private final CopyOut delegate;

    SideCopyOut(Side side, CopyOut delegate) {
        this.side = side;
        this.delegate = delegate;
    }

    /** A failure of one side's COPY. */
    static final class SideSqlException extends SQLException {
        private static final long serialVersionUID = 1L;
        private final Side side;

        SideSqlException(Side side, SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
            this.side = side;
        }

        Side side() {
            return side;
        }
    }

    /**
     * Anything else the driver threw while reading, an {@link Error} included: an {@link OutOfMemoryError} while it
     * allocated a message must be reported as this side's failure, with its class, not get lost on the way out.
     */
    static final class SideReadError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Side side;

        SideReadError(Side side, Throwable cause) {
            super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
            this.side = side;
        }

        Side side() {
            return side;
        }
    }

    /** The side named by a failure from a merge, or null when it came from neither stream. */
    static Side sideOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SideSqlException tagged) {
                return tagged.side();
            }
            if (t instanceof SideReadError tagged) {
                return tagged.side();
            }
        }
        return null;
    }

    @Override
    public byte[] readFromCopy() throws SQLException {
        return readFromCopy(true);
    }

    @Override
    public byte[] readFromCopy(boolean block) throws SQLException {
        try {
            return delegate.readFromCopy(block);
        } catch (SQLException e) {
            throw new SideSqlException(side, e);
        } catch (RuntimeException | Error e) {
            throw new SideReadError(side, e);
        }
    }

    @Override
    public int getFieldCount() {
        return delegate.getFieldCount();
    }

    @Override
    public int getFormat() {
        return delegate.getFormat();
    }

    @Override
    public int getFieldFormat(int field) {
        return delegate.getFieldFormat(field);
    }

    @Override
    public boolean isActive() {
        return delegate.isActive();
    }

    @Override
    public void cancelCopy() throws SQLException {
        delegate.cancelCopy();
    }

    @Override
    public long getHandledRowCount() {
        return delegate.getHandledRowCount();
    }
}
