package io.pgverify.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class StopOnExitIT {

    @Test
    void aJvmEndedBySigtermLeavesNoServerBehind() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RunUntilKilled.class.getName(), ServerPair.sourceVersion()).redirectErrorStream(true).start();
        long postmaster;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("READY "));
            assertThat(line).as("the child JVM started a server").isNotNull();
            Path dataDir = Path.of(line.substring("READY ".length()));
            postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            assertThat(ProcessHandle.of(postmaster)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

            jvm.destroy(); // SIGTERM, as a CI runner or Kubernetes sends it
            assertThat(jvm.waitFor(90, TimeUnit.SECONDS)).as("the child JVM exited").isTrue();
            // pg_ctl returns once the pid file is gone; the process itself ends a moment later.
            ProcessHandle.of(postmaster).ifPresent(p -> p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join());
            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
                    .as("postmaster %d still running after its JVM ended", postmaster).isFalse();
            assertThat(dataDir).doesNotExist();
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void theDockerImageIsTheSameReleaseAsTheBinaries() {
        for (List<String> pair : List.of(List.of("13.18.0", "postgres:13.18"), List.of("17.4.0", "postgres:17.4"),
                List.of("16.4", "postgres:16.4"))) {
            assertThat(ContainerPostgres.image(pair.get(0))).isEqualTo(pair.get(1));
        }
    }
}
