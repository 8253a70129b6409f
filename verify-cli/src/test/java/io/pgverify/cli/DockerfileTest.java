package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;

import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * The Dockerfile cannot be built here (no daemon), so what makes it right is checked by reading it: a runtime stage on
 * a JRE, a user that is not root and matches the manifests' runAsUser, the launcher as entrypoint, the jar copied from
 * where the build really puts it, and nothing secret baked in.
 */
class DockerfileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");
    private static final Pattern SECRET_NAME = Pattern.compile("PASSWORD|PASSWD|SECRET|TOKEN|PGPASS");
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("://[^/@:\\s]+:[^/@\\s]+@");

    private record Instruction(String keyword, String arguments) {
    }

    @Test
    void theDockerfileKeepsItsInvariants() throws IOException {
        assertThat(problems(Files.readString(ROOT.resolve("Dockerfile")))).isEmpty();
        // The image's layout: bin/pgverify beside lib/pgverify.jar, which the launcher prefers to building one.
        assertThat(Files.readString(ROOT.resolve("bin/pgverify"))).contains("jar=\"$repo/lib/pgverify.jar\"");
    }

    /** The Jib profile builds the same image by another road: the same user, the same main class as the shaded jar. */
    @Test
    void theJibProfileRunsAsTheDockerfilesUserTheShadedJarsMainClass() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("verify-cli/pom.xml").toFile());
        var xpath = XPathFactory.newInstance().newXPath();
        String jib = "//*[local-name()='profile'][*[local-name()='id']='jib']//*[local-name()='container']";
        String user = xpath.evaluate(jib + "/*[local-name()='user']", pom).strip();
        String entrypoint = xpath.evaluate(jib + "/*[local-name()='entrypoint']", pom);
        String mainClass = xpath.evaluate("//*[local-name()='transformer']/*[local-name()='mainClass']", pom).strip();
        String dockerfileUser = instructions(Files.readString(ROOT.resolve("Dockerfile"))).stream()
                .filter(instruction -> instruction.keyword().equals("USER")).reduce((first, second) -> second)
                .orElseThrow().arguments();
        assertThat(user).isEqualTo(dockerfileUser);
        assertThat(mainClass).isEqualTo(PgVerify.class.getName());
        assertThat(entrypoint).contains(" " + mainClass + " ").contains("$PGVERIFY_JAVA_OPTS");
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        "USER 10001:10001|USER root|USER root: the image must run as a numeric UID other than 0",
        "USER 10001:10001|USER 0:0|USER 0:0: the image must run as a numeric UID other than 0",
        "USER 10001:10001|USER 10002:10002|USER 10002:10002 is not the UID the manifests run as (10001)",
        "verify-cli/target/pgverify.jar|verify-cli/target/verify-cli.jar|copies verify-cli/target/verify-cli.jar",
        "ENTRYPOINT [\"/opt/pgverify/bin/pgverify\"]|ENTRYPOINT /opt/pgverify/bin/pgverify|ENTRYPOINT in exec form",
        "FROM eclipse-temurin:17-jre|FROM eclipse-temurin:17-jdk|a JRE base",
        "WORKDIR /home/pgverify|ENV PGPASSWORD=hunter2|ENV PGPASSWORD names a secret",
        "WORKDIR /home/pgverify|ENV PGVERIFY_SOURCE=postgresql://app:hunter2@db/shop|a password in a URL",
        "WORKDIR /home/pgverify|ARG DB_TOKEN|ARG DB_TOKEN names a secret",
    })
    void aBrokenInvariantIsReported(String original, String mistake, String expected) throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains(original);
        assertThat(problems(dockerfile.replace(original, mistake))).anySatisfy(problem -> assertThat(problem).contains(expected));
    }

    @Test
    void theBuildContextLeavesOutBuildOutputAndHistoryButNotTheSources() throws IOException {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(ignored).contains("**/target/", ".git");
        assertThat(ignored).noneMatch(line -> line.equals("bin") || line.startsWith("bin/") || line.equals("pom.xml") || line.equals("**/pom.xml")
                || line.equals("*") || line.contains("src"));
    }

    /** Every invariant the Dockerfile breaks, one sentence each. */
    static List<String> problems(String dockerfile) {
        List<String> problems = new ArrayList<>();
        List<Instruction> instructions = instructions(dockerfile);
        List<Integer> stages = new ArrayList<>();
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                stages.add(i);
            }
        }
        if (stages.size() < 2) {
            problems.add("a build stage and a runtime stage are expected; found " + stages.size() + " FROM");
            return problems;
        }
        String build = instructions.get(stages.get(0)).arguments();
        if (!build.matches("maven:\\S*temurin-17\\S*\\s+AS\\s+build")) {
            problems.add("the first stage should be a Maven image on JDK 17 named 'build'; found FROM " + build);
        }
        String runtime = instructions.get(stages.get(stages.size() - 1)).arguments();
        if (!runtime.matches("eclipse-temurin:17-jre\\S*")) {
            problems.add("the runtime stage should be a JRE base, eclipse-temurin:17-jre; found FROM " + runtime);
        }
        List<Instruction> last = instructions.subList(stages.get(stages.size() - 1), instructions.size());

        // The user: numeric (Kubernetes' runAsNonRoot can only check a number), not root, and the manifests' UID.
        String user = null;
        String entrypoint = null;
        List<String[]> copies = new ArrayList<>();
        for (Instruction instruction : last) {
            switch (instruction.keyword()) {
                case "USER" -> user = instruction.arguments();
                case "ENTRYPOINT" -> entrypoint = instruction.arguments();
                case "COPY" -> copies.add(instruction.arguments().split("\\s+"));
                default -> { }
            }
        }
        if (user == null || !user.matches("[1-9][0-9]*(:[0-9]+)?")) {
            problems.add("USER " + user + ": the image must run as a numeric UID other than 0 (runAsNonRoot needs a number)");
        } else {
            String uid = user.split(":")[0];
            if (!dockerfile.contains("--uid " + uid + " ")) {
                problems.add("USER " + user + " is not the UID the image creates its user with (useradd --uid)");
            }
            long manifestsUid = manifestsRunAsUser();
            if (Long.parseLong(uid) != manifestsUid) {
                problems.add("USER " + user + " is not the UID the manifests run as (" + manifestsUid + ")");
            }
        }

        // The entrypoint: the launcher, copied in, beside the jar where the launcher looks for it.
        String launcher = null;
        if (entrypoint == null || !entrypoint.startsWith("[")) {
            problems.add("ENTRYPOINT in exec form (a JSON array) is expected, so that signals reach pgverify; found " + entrypoint);
        } else {
            launcher = entrypoint.replaceAll("^\\[\\s*\"([^\"]+)\".*$", "$1");
        }
        String jar = "verify-cli/target/" + shadedJarName();
        boolean launcherCopied = false;
        boolean jarCopied = false;
        for (String[] copy : copies) {
            String source = copy[copy.length - 2];
            String destination = copy[copy.length - 1];
            if (destination.equals(launcher)) {
                launcherCopied = source.equals("/src/bin/pgverify");
            }
            if (destination.endsWith(".jar")) {
                if (!source.equals("/src/" + jar)) {
                    problems.add("copies " + source.replace("/src/", "") + ", but the build makes " + jar
                            + " (verify-cli's shade finalName)");
                }
                if (launcher != null && !destination.equals(Path.of(launcher).getParent().resolveSibling("lib")
                        .resolve("pgverify.jar").toString())) {
                    problems.add("the jar goes to " + destination + ", where bin/pgverify does not look (lib/pgverify.jar)");
                }
                jarCopied = true;
            }
        }
        if (!launcherCopied) {
            problems.add("the ENTRYPOINT " + launcher + " is not bin/pgverify copied from the build stage");
        }
        if (!jarCopied) {
            problems.add("no jar is copied into the runtime stage");
        }

        // Configuration comes from the environment at run time: nothing secret in ENV or ARG, in any stage.
        for (Instruction instruction : instructions) {
            if (!instruction.keyword().equals("ENV") && !instruction.keyword().equals("ARG")) {
                continue;
            }
            List<String[]> pairs = new ArrayList<>();
            Matcher pair = ENV_PAIR.matcher(instruction.arguments());
            while (pair.find()) {
                pairs.add(new String[] {pair.group(1), pair.group(2)});
            }
            if (pairs.isEmpty()) {      // ENV KEY value, or ARG NAME
                String[] parts = instruction.arguments().split("\\s+", 2);
                pairs.add(new String[] {parts[0], parts.length > 1 ? parts[1] : ""});
            }
            for (String[] variable : pairs) {
                if (SECRET_NAME.matcher(variable[0].toUpperCase(Locale.ROOT)).find()) {
                    problems.add(instruction.keyword() + " " + variable[0] + " names a secret: secrets come from the environment at run time");
                }
                if (PASSWORD_IN_URL.matcher(variable[1]).find()) {
                    problems.add(instruction.keyword() + " " + variable[0] + " holds a password in a URL");
                }
            }
        }
        return problems;
    }

    /** Instructions with their continuation lines joined and comments dropped. */
    private static List<Instruction> instructions(String dockerfile) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(stripped);
            String text = current.toString().strip();
            current.setLength(0);
            if (!text.isEmpty()) {
                String[] parts = text.split("\\s+", 2);
                instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : ""));
            }
        }
        return instructions;
    }

    /** The shaded jar's file name, from verify-cli's pom: the one place it is defined. */
    private static String shadedJarName() {
        try {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("verify-cli/pom.xml").toFile());
            String name = XPathFactory.newInstance().newXPath().evaluate(
                    "//*[local-name()='plugin'][*[local-name()='artifactId']='maven-shade-plugin']//*[local-name()='finalName']",
                    pom).strip();
            assertThat(name).as("the shade plugin's finalName in verify-cli/pom.xml").isNotEmpty();
            return name + ".jar";
        } catch (Exception e) {
            throw new AssertionError("cannot read verify-cli/pom.xml: " + e, e);
        }
    }

    /** The runAsUser of every pod in docs/kubernetes: one UID, which the image's USER must be. */
    private static long manifestsRunAsUser() {
        try (var files = KubernetesManifestsTest.manifests()) {
            List<Long> uids = files.flatMap(file -> KubernetesManifestsTest.read(file).stream())
                    .filter(Job.class::isInstance).map(Job.class::cast)
                    .map(job -> job.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
                    .distinct().toList();
            assertThat(uids).as("the runAsUser of the manifests").hasSize(1);
            return uids.get(0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
