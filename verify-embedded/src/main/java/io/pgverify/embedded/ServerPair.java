package io.pgverify.embedded;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source and target servers of a test run: PostgreSQL 13 and 17 by default, so that every integration test is
 * also a cross-version test. {@link #shared()} starts them once per JVM; each test then takes fresh databases with
 * {@link #newDatabases()}.
 *
 * <p>System properties: {@value #BACKEND_PROPERTY} ({@code embedded}, the default, or {@code testcontainers} where
 * Docker runs), {@code pgverify.postgres.source.version} and {@code pgverify.postgres.target.version}.
 */
public final class ServerPair implements AutoCloseable {

    public static final String BACKEND_PROPERTY = "pgverify.test.backend";

    private static final Logger LOG = LoggerFactory.getLogger(ServerPair.class);
    private static final AtomicInteger DATABASE_COUNTER = new AtomicInteger();
    private static volatile ServerPair shared;

    private final PostgresServer source;
    private final PostgresServer target;

    public ServerPair(PostgresServer source, PostgresServer target) {
        this.source = source;
        this.target = target;
    }

    /** The servers of this JVM, started on first use and stopped when the JVM exits. */
    public static ServerPair shared() {
        ServerPair pair = shared;
        if (pair == null) {
            synchronized (ServerPair.class) {
                pair = shared;
                if (pair == null) {
                    pair = start();
                    shared = pair;
                    Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "pgverify-embedded-shutdown"));
                }
            }
        }
        return pair;
    }

    /** The binaries version of the source server: {@code pgverify.postgres.source.version}, else the bundled one. */
    public static String sourceVersion() {
        return System.getProperty("pgverify.postgres.source.version", EmbeddedPostgres.bundledVersions().get("source"));
    }

    /** The binaries version of the target server: {@code pgverify.postgres.target.version}, else the bundled one. */
    public static String targetVersion() {
        return System.getProperty("pgverify.postgres.target.version", EmbeddedPostgres.bundledVersions().get("target"));
    }

    /** Starts a new pair of the configured versions and backend; the caller closes it. */
    public static ServerPair start() {
        String sourceVersion = sourceVersion();
        String targetVersion = targetVersion();
        String backend = System.getProperty(BACKEND_PROPERTY, "embedded").toLowerCase(Locale.ROOT);
        LOG.info("Starting PostgreSQL {} (source) and {} (target) with the {} backend", sourceVersion, targetVersion, backend);
        switch (backend) {
            case "embedded":
                PostgresServer source = EmbeddedPostgres.builder(sourceVersion).start();
                try {
                    return new ServerPair(source, EmbeddedPostgres.builder(targetVersion).start());
                } catch (RuntimeException e) {
                    source.close();
                    throw e;
                }
            case "testcontainers":
                return new ServerPair(ContainerPostgres.start(sourceVersion), ContainerPostgres.start(targetVersion));
            default:
                throw new IllegalArgumentException(BACKEND_PROPERTY + " must be 'embedded' or 'testcontainers', not '" + backend + "'");
        }
    }

    public PostgresServer source() {
        return source;
    }

    public PostgresServer target() {
        return target;
    }

    /** Fresh, empty databases of one new name on both servers. */
    public DatabasePair newDatabases() {
        return newDatabases("");
    }

    /**
     * Fresh databases, the target's created with extra {@code CREATE DATABASE} options, e.g.
     * {@code "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'de-DE'"} for a target whose default collation differs.
     */
    public DatabasePair newDatabases(String targetOptions) {
        String name = "verify_" + ProcessHandle.current().pid() + "_" + DATABASE_COUNTER.incrementAndGet();
        source.execute("postgres", "CREATE DATABASE " + name);
        target.execute("postgres", "CREATE DATABASE " + name + " " + targetOptions);
        return new DatabasePair(new TestDatabase(source, name), new TestDatabase(target, name));
    }

    @Override
    public void close() {
        try {
            source.close();
        } finally {
            target.close();
        }
    }
}
