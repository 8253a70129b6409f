package io.pgverify.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.pgverify.ConnectionSettings;

/** A dead peer must not block a worker for ever: every pooled connection reads with a timeout. */
class SocketTimeoutTest {

    private static int socketTimeout(String url, Duration statementTimeout) {
        try (HikariDataSource pool = ConnectionPools.create(ConnectionSettings.parse(url), "source", 1, "pgverify",
                statementTimeout)) {
            return ((PGSimpleDataSource) pool.getDataSource()).getSocketTimeout();
        }
    }

    @Test
    void isTheStatementTimeoutPlusAMargin() {
        assertThat(socketTimeout("postgresql://h/db", Duration.ofMinutes(30))).isEqualTo(30 * 60 + 60);
        assertThat(socketTimeout("postgresql://h/db", Duration.ofMillis(1500))).isEqualTo(2 + 60);
    }

    @Test
    void isUnsetWithoutAStatementTimeout() {
        assertThat(socketTimeout("postgresql://h/db", Duration.ZERO)).isZero();
    }

    @Test
    void theUrlsSocketTimeoutWins() {
        assertThat(socketTimeout("postgresql://h/db?socketTimeout=7", Duration.ofMinutes(30))).isEqualTo(7);
        assertThat(socketTimeout("postgresql://h/db?socketTimeout=0", Duration.ofMinutes(30))).isZero();
    }
}
