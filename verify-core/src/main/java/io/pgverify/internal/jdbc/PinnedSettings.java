package io.pgverify.internal.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import javax.sql.DataSource;

import org.postgresql.PGConnection;

/**
 * Session settings pinned once per physical connection of pgverify's own pools, instead of once per transaction: a
 * round trip saved per session, which on thousands of small tables is most of the fixed cost per table. Only our own
 * pools: a caller's data source lends connections that its other users must get back as they were.
 *
 * <p>The settings are set at session level, in autocommit (a session-level setting made inside a transaction that is
 * then rolled back, as every session of pgverify's is, would be undone). Nothing pgverify sends resets them: a
 * connection whose work failed is aborted and evicted, never lent out again, and a new one is pinned afresh.
 */
final class PinnedSettings {

    /** Per physical connection (the driver's, under the pool's handle), the settings pinned on it. */
    private static final Map<Object, SessionSettings> PINNED = Collections.synchronizedMap(new WeakHashMap<>());

    private PinnedSettings() {
    }

    /**
     * Pins the settings on the connection unless they already are.
     *
     * @return whether the connection's session holds exactly these settings, so a transaction need not set them
     */
    static boolean pin(DataSource dataSource, Connection connection, SessionSettings settings) throws SQLException {
        if (!ConnectionPools.owns(dataSource)) {
            return false;
        }
        Object physical = connection.unwrap(PGConnection.class);
        SessionSettings pinned = PINNED.get(physical);
        if (pinned != null) {
            // Pinned by other settings (another run's timeouts): this transaction sets its own over them.
            return pinned.equals(settings);
        }
        if (!connection.getAutoCommit()) {
            return false;
        }
        try (PreparedStatement statement = connection.prepareStatement(settings.pinSql())) {
            int index = 1;
            for (String value : settings.parameterValues()) {
                statement.setString(index++, value);
            }
            statement.execute();
        }
        PINNED.put(physical, settings);
        return true;
    }
}
