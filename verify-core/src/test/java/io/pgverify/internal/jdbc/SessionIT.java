package io.pgverify.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.pgverify.ConnectionSettings;
import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.TestDatabase;

/** What a session costs in round trips, and that the settings it pins hold in every transaction. */
@ExtendWith(PostgresPairExtension.class)
class SessionIT {

    private static final SessionSettings SETTINGS = SessionSettings.of("pgverify-test", Duration.ofSeconds(77), Duration.ofSeconds(5));

    private static HikariDataSource ownPool(TestDatabase db, String label) {
        return ConnectionPools.create(ConnectionSettings.parse(db.libpqUri() + "?socketFactory=" + RoundTripCounter.class.getName()
                + "&socketFactoryArg=" + label), "source", 1, "pgverify-test");
    }

    private static String query(Session session, String sql) throws SQLException {
        try (Statement statement = session.connection().createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aSessionOnOurOwnPoolCostsTwoRoundTripsAroundOneQuery(DatabasePair db) throws SQLException {
        try (HikariDataSource pool = ownPool(db.source(), "session-cost")) {
            try (Session first = Session.open(Side.SOURCE, pool, SETTINGS)) {
                query(first, "SELECT 1");
            }
            RoundTripCounter.reset("session-cost");

            String settings;
            try (Session second = Session.open(Side.SOURCE, pool, SETTINGS)) {
                settings = query(second, "SELECT concat_ws(' ', current_setting('search_path'), current_setting('transaction_read_only'),"
                        + " current_setting('statement_timeout'), current_setting('TimeZone'), current_setting('row_security'))");
            }

            // The query with its BEGIN, and the ROLLBACK: no SET per transaction, no isolation level asked for.
            assertThat(RoundTripCounter.count("session-cost")).isEqualTo(2);
            assertThat(settings).isEqualTo("pg_catalog on 77s UTC off");
        }
    }

    @Test
    void aSessionOnOurOwnPoolStaysReadOnly(DatabasePair db) throws SQLException {
        try (HikariDataSource pool = ownPool(db.source(), "read-only")) {
            try (Session first = Session.open(Side.SOURCE, pool, SETTINGS)) {
                query(first, "SELECT 1");
            }
            try (Session second = Session.open(Side.SOURCE, pool, SETTINGS)) {
                assertThatThrownBy(() -> query(second, "CREATE TABLE public.written (id int)"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
            }
        }
    }

    @Test
    void otherSettingsOnAPinnedConnectionStillApplyToTheirTransaction(DatabasePair db) throws SQLException {
        SessionSettings other = SessionSettings.of("pgverify-test", Duration.ofSeconds(9), Duration.ofSeconds(5));
        try (HikariDataSource pool = ownPool(db.source(), "other")) {
            try (Session first = Session.open(Side.SOURCE, pool, SETTINGS)) {
                query(first, "SELECT 1");
            }
            try (Session second = Session.open(Side.SOURCE, pool, other)) {
                assertThat(query(second, "SHOW statement_timeout")).isEqualTo("9s");
            }
        }
    }

    @Test
    void aSessionForOneStatementOnOurOwnPoolCostsOneRoundTripAndStaysReadOnly(DatabasePair db) throws SQLException {
        try (HikariDataSource pool = ownPool(db.source(), "one-statement")) {
            try (Session first = Session.open(Side.SOURCE, pool, SETTINGS)) {
                query(first, "SELECT 1");
            }
            RoundTripCounter.reset("one-statement");

            String settings;
            try (Session second = Session.open(Side.SOURCE, pool, SETTINGS, null, null, true)) {
                settings = query(second, "SELECT concat_ws(' ', current_setting('search_path'), current_setting('transaction_read_only'),"
                        + " current_setting('statement_timeout'))");
            }

            assertThat(RoundTripCounter.count("one-statement")).isEqualTo(1);
            assertThat(settings).isEqualTo("pg_catalog on 77s");
            try (Session third = Session.open(Side.SOURCE, pool, SETTINGS, null, null, true)) {
                assertThatThrownBy(() -> query(third, "CREATE TABLE public.written (id int)"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
            }
        }
    }

    @Test
    void aSessionForOneStatementOnACallersDataSourceIsStillATransactionWithItsSettings(DatabasePair db) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setDataSource(db.source().dataSource());
        config.setMaximumPoolSize(1);
        try (HikariDataSource callers = new HikariDataSource(config);
             Session session = Session.open(Side.SOURCE, callers, SETTINGS, null, null, true)) {
            assertThat(query(session, "SELECT concat_ws(' ', current_setting('search_path'), current_setting('transaction_read_only'))"))
                    .isEqualTo("pg_catalog on");
            assertThat(session.connection().getAutoCommit()).isFalse();
        }
    }

    @Test
    void aCallersDataSourceGetsItsConnectionBackAsItWas(DatabasePair db) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setDataSource(db.source().dataSource());
        config.setMaximumPoolSize(1);
        try (HikariDataSource callers = new HikariDataSource(config)) {
            try (Session session = Session.open(Side.SOURCE, callers, SETTINGS)) {
                assertThat(query(session, "SHOW search_path")).isEqualTo("pg_catalog");
            }
            try (Connection connection = callers.getConnection(); Statement statement = connection.createStatement()) {
                ResultSet rs = statement.executeQuery("SELECT current_setting('search_path'), current_setting('statement_timeout'),"
                        + " current_setting('default_transaction_read_only')");
                rs.next();
                assertThat(rs.getString(1)).isNotEqualTo("pg_catalog");
                assertThat(rs.getString(2)).isEqualTo("0");
                assertThat(rs.getString(3)).isEqualTo("off");
            }
        }
    }
}
