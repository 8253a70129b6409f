package io.pgverify.internal.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.postgresql.ds.PGSimpleDataSource;

import io.pgverify.ConnectionSettings;

/** Builds the connection pool of one side from its settings. */
public final class ConnectionPools {

    private ConnectionPools() {
    }

    /**
     * A pool of at most {@code size} connections.
     *
     * @param side the side's name for thread and pool names, e.g. {@code source}
     */
    public static HikariDataSource create(ConnectionSettings settings, String side, int size, String applicationName) {
        PGSimpleDataSource driver = new PGSimpleDataSource();
        driver.setServerNames(settings.hosts().toArray(String[]::new));
        driver.setPortNumbers(settings.ports().stream().mapToInt(Integer::intValue).toArray());
        driver.setDatabaseName(settings.database());
        if (settings.user() != null) {
            driver.setUser(settings.user());
        }
        if (settings.password() != null) {
            driver.setPassword(settings.password());
        }
        driver.setApplicationName(applicationName);
        HikariConfig config = new HikariConfig();
        config.setDataSource(driver);
        config.setPoolName("pgverify-" + side);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
