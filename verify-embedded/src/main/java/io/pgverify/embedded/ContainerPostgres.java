package io.pgverify.embedded;

import java.util.Map;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** A server in Docker, through Testcontainers: the backend for machines where Docker runs. */
final class ContainerPostgres implements PostgresServer {

    /** The images used for each bundled binaries version, pinned in one place. */
    static final Map<String, String> IMAGES = Map.of(
            "13.18.0", "postgres:13.18",
            "17.4.0", "postgres:17.4");

    private final PostgreSQLContainer container;
    private final String version;

    private ContainerPostgres(PostgreSQLContainer container, String version) {
        this.container = container;
        this.version = version;
    }

    static ContainerPostgres start(String version) {
        String image = IMAGES.get(version);
        if (image == null) {
            throw new IllegalArgumentException("No Docker image is pinned for PostgreSQL " + version + "; pinned: " + IMAGES.keySet());
        }
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
