package io.pgverify.embedded;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** A server in Docker, through Testcontainers: the backend for machines where Docker runs. */
final class ContainerPostgres implements PostgresServer {

    /**
     * The official image of the same release as a binaries version: {@code 13.18.0} runs in {@code postgres:13.18}.
     * Derived, not listed, so the versions are pinned in one place (the parent pom) for both backends.
     */
    static String image(String version) {
        java.util.regex.Matcher release = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)(\\.\\d+)?").matcher(version);
        if (!release.matches()) {
            throw new IllegalArgumentException("Not a PostgreSQL binaries version: '" + version + "'; expected e.g. 17.4.0");
        }
        return "postgres:" + release.group(1) + "." + release.group(2);
    }

    private final PostgreSQLContainer container;
    private final String version;

    private ContainerPostgres(PostgreSQLContainer container, String version) {
        this.container = container;
        this.version = version;
    }

    static ContainerPostgres start(String version) {
        String image = image(version);
        PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(image))
                .withUsername("postgres")
                .withPassword("pgverify-" + Long.toHexString(Double.doubleToLongBits(Math.random())))
                .withCommand("postgres", "-c", "fsync=off", "-c", "wal_level=logical", "-c", "max_connections=100");
        container.start();
        return new ContainerPostgres(container, version);
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public int majorVersion() {
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    }

    @Override
    public String superuser() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public void close() {
        container.stop();
    }
}
