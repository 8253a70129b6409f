package io.pgverify.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.zaxxer.hikari.HikariDataSource;

import io.pgverify.ConnectionSettings;
import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;
import io.pgverify.embedded.EmbeddedPostgres;
import io.pgverify.embedded.ServerPair;

/**
 * A real server with a self-signed certificate, and libpq's TLS semantics through the injected environment: what psql
 * refuses, pgverify refuses; what psql accepts, pgverify accepts, encrypted.
 */
class TlsVerificationIT {

    private static Path certificates;
    private static Path serverCertificate;
    private static Path otherCertificate;
    private static EmbeddedPostgres server;

    @BeforeAll
    static void startServerWithSelfSignedCertificate() throws Exception {
        certificates = Files.createTempDirectory("pgverify-tls-");
        // The server runs as another user when the JVM is root: it must reach the directory.
        Files.setPosixFilePermissions(certificates, PosixFilePermissions.fromString("rwxr-xr-x"));
        serverCertificate = certificates.resolve("server.crt");
        Path serverKey = certificates.resolve("server.key");
        selfSigned("server", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", serverCertificate, serverKey);
        otherCertificate = certificates.resolve("other.crt");
        selfSigned("other", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", otherCertificate, certificates.resolve("other.key"));
        // PostgreSQL refuses a key that others can read, or that another user owns.
        Files.setPosixFilePermissions(serverKey, PosixFilePermissions.fromString("rw-------"));
        if ("root".equals(System.getProperty("user.name"))) {
            UserPrincipal owner = serverKey.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty(EmbeddedPostgres.USER_PROPERTY, "nobody"));
            Files.setOwner(serverKey, owner);
        }
        server = EmbeddedPostgres.builder(ServerPair.targetVersion())
                .setting("ssl", "on")
                .setting("ssl_cert_file", serverCertificate.toString())
                .setting("ssl_key_file", serverKey.toString())
                .start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (certificates != null) {
            try (var files = Files.list(certificates)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(certificates);
        }
    }

    @Test
    void verifyFullFromPgsslmodeIsRefusedWithoutTheServersCa(@TempDir Path home) {
        VerifyException e = connectionFailure("", Map.of("PGSSLMODE", "verify-full"), home);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.getMessage()).isEqualTo("target: the root certificate file " + home.resolve(".postgresql/root.crt")
                + " does not exist, and sslmode verify-ca or verify-full needs it to verify the server — put the server's "
                + "CA certificate there or name it with sslrootcert (PGSSLROOTCERT), or use sslmode=require to encrypt "
                + "without verifying.");
    }

    @Test
    void requireWithARootCertificateThatDidNotSignTheServerIsRefused(@TempDir Path home) {
        VerifyException e = connectionFailure("?sslmode=require", Map.of("PGSSLROOTCERT", otherCertificate.toString()), home);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.getMessage()).startsWith("target: the server's certificate is not signed by a CA in the root certificate file");
    }

    @Test
    void requireWithTheSignersRootCertificateConnectsEncrypted(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".postgresql"));
        Files.copy(serverCertificate, home.resolve(".postgresql/root.crt"));

        assertThat(encrypted("?sslmode=require", Map.of(), home)).isTrue();
        assertThat(encrypted("", Map.of("PGSSLMODE", "verify-full"), home)).isTrue();
    }

    @Test
    void requireWithoutARootCertificateConnectsEncryptedWithoutVerifying(@TempDir Path home) throws SQLException {
        assertThat(encrypted("", Map.of("PGSSLMODE", "require"), home)).isTrue();
    }

    private static ConnectionSettings settings(String query, Map<String, String> environment, Path home) {
        Map<String, String> variables = new HashMap<>(environment);
        variables.put("HOME", home.toString());
        return ConnectionSettings.parse(server.libpqUri("postgres") + query, variables);
    }

    private static VerifyException connectionFailure(String query, Map<String, String> environment, Path home) {
        try (HikariDataSource pool = ConnectionPools.create(settings(query, environment, home), "target", 1, "pgverify-test");
             Connection ignored = pool.getConnection()) {
            throw new AssertionError("connected, but should have been refused");
        } catch (SQLException e) {
            return SqlErrors.toException("target", e);
        }
    }

    private static boolean encrypted(String query, Map<String, String> environment, Path home) throws SQLException {
        try (HikariDataSource pool = ConnectionPools.create(settings(query, environment, home), "target", 1, "pgverify-test");
             Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** A self-signed certificate and its PKCS#8 key in PEM, made with the JDK's keytool: no openssl needed. */
    private static void selfSigned(String alias, String name, String extension, Path certificate, Path key)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path keystore = certificates.resolve(alias + ".p12");
        char[] password = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", name,
                "-ext", extension, "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        PrivateKey privateKey = (PrivateKey) store.getKey(alias, password);
        Files.writeString(certificate, pem("CERTIFICATE", store.getCertificate(alias).getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
        Files.delete(keystore);
        certificate.toFile().setReadable(true, false);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
