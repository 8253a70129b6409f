package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.pgverify.Setting;
import io.pgverify.Shard;

import picocli.CommandLine;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The manifests of docs/kubernetes.md, read into Kubernetes' own object model (fabric8) and checked against the CLI
 * they run: a misspelt field, a shard count that disagrees with {@code completions}, an exit code the command does not
 * have, or an option pgverify does not know fails the build, not a cluster at 2 a.m.
 */
class KubernetesManifestsTest {

    private static final Path DOCS = Path.of("..", "docs").toAbsolutePath().normalize();
    private static final Path MANIFESTS = DOCS.resolve("kubernetes");


    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final String INDEX = "JOB_COMPLETION_INDEX";
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final Pattern SHARD_ARGUMENT = Pattern.compile("\\$\\(" + INDEX + "\\)/(\\d+)");
    private static final Pattern HEAP = Pattern.compile("-Xmx(\\d+)([kKmMgG])");
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("://[^/@:\\s]+:[^/@\\s]+@");

    static Stream<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            List<Path> yaml = files.filter(file -> file.getFileName().toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).as("manifests in %s", MANIFESTS).isNotEmpty();
            return yaml.stream();
        }
    }

    static Stream<Path> jobManifests() throws IOException {
        return manifests().filter(file -> read(file).stream().anyMatch(Job.class::isInstance));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void everyManifestIsKubernetesWithoutAFieldItDoesNotKnow(Path file) {
        List<HasMetadata> objects = read(file);
        assertThat(objects).as(file.toString()).isNotEmpty();
        assertThat(problems(objects)).as(file.toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobManifests")
    void everyJobRunsACommandPgverifyParses(Path file) {
        for (Job job : jobs(read(file))) {
            List<String> args = expandedArgs(job);
            CommandLine pgverify = PgVerify.commandLine(new Environment(Map.of(), false));
            assertThatCode(() -> pgverify.parseArgs(args.toArray(String[]::new)))
                    .as("%s: pgverify %s", file.getFileName(), String.join(" ", args))
                    .doesNotThrowAnyException();
        }
    }

    /**
     * The pairs file in the fleet's ConfigMap is one {@code verify --pairs} reads: run on it, with the Secret's variables
     * pointing at a port nobody listens on, every pair is unreachable (exit 3), where a file it could not read would be
     * bad input (exit 2) naming the line.
     */
    @Test
    void theFleetsPairsFileIsOneVerifyReads(@TempDir Path dir) throws IOException {
        ConfigMap pairs = read(MANIFESTS.resolve("fleet-job.yaml")).stream().filter(ConfigMap.class::isInstance)
                .map(ConfigMap.class::cast).findFirst().orElseThrow();
        Path file = Files.writeString(dir.resolve("pairs.yaml"), pairs.getData().get("pairs.yaml"));
        Map<String, String> env = new HashMap<>();
        Matcher variable = Pattern.compile("\\$\\{([A-Z_]+)}").matcher(Files.readString(file));
        while (variable.find()) {
            env.put(variable.group(1), "postgresql://verifier:unused@127.0.0.1:1/" + variable.group(1).toLowerCase(Locale.ROOT));
        }
        assertThat(env).as("the ${VARIABLES} of pairs.yaml").isNotEmpty();
        List<String> args = List.of("verify", "--pairs", file.toString(), "--format", "json", "--quiet");
        CommandLine pgverify = PgVerify.commandLine(new Environment(env, false));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        pgverify.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

        int exitCode = pgverify.execute(args.toArray(String[]::new));

        assertThat(exitCode).as("%s%s", out, err).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(out + err.toString()).doesNotContain("unused");
    }

    /** Plan, shards, merge: one plan's shard count everywhere, and the merge reads exactly the reports the shards write. */
    @Test
    void theStepsOfTheBigTableFlowFitTogether() {
        Job plan = onlyJob("plan-job.yaml");
        Job shards = onlyJob("shard-job.yaml");
        Job merge = onlyJob("merge-job.yaml");
        int count = shards.getSpec().getCompletions();
        assertThat(option(plan, "--shards")).as("plan --shards").isEqualTo(Integer.toString(count));
        assertThat(option(shards, "--plan")).as("verify --plan").isEqualTo(option(plan, "--output"));
        assertMergeReadsEveryShard(shards, merge);
        assertSameVolume(plan, option(plan, "--output"), shards);
    }

    @Test
    void theFleetMergeReadsEveryShardOfTheFleet() {
        assertMergeReadsEveryShard(onlyJob("fleet-job.yaml"), onlyJob("fleet-merge-job.yaml"));
    }

    /**
     * The CI version of the big-table flow: the matrix runs every index of --shard I/N once, the plan has N shards, no
     * shard cancels the others, and the merge waits for all of them and reads every report.
     */
    @Test
    void theCiMatrixRunsEveryShardOnceAndMergesThem() throws IOException {
        JsonNode workflow = YAML.readTree(Files.readString(DOCS.resolve("ci/github-actions-shards.yml")));
        JsonNode verify = workflow.path("jobs").path("verify");
        String run = verify.path("steps").findValues("run").get(0).asString();
        Matcher shard = Pattern.compile("--shard \\$\\{\\{ matrix\\.shard }}/(\\d+)").matcher(run);
        assertThat(shard.find()).as("verify's --shard in %s", run).isTrue();
        int count = Integer.parseInt(shard.group(1));
        List<Integer> indexes = new ArrayList<>();
        verify.path("strategy").path("matrix").path("shard").forEach(index -> indexes.add(index.asInt()));
        assertThat(indexes).as("matrix.shard").containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
        assertThat(verify.path("strategy").path("fail-fast").asBoolean(true)).as("fail-fast").isFalse();
        assertThat(workflow.path("jobs").path("plan").path("steps").findValues("run").get(0).asString())
                .contains("--shards " + count + " ");
        JsonNode merge = workflow.path("jobs").path("merge");
        assertThat(merge.path("needs").toString()).contains("\"verify\"");
        assertThat(merge.path("if").asString()).contains("always()");
        String mergeRun = merge.path("steps").findValues("run").get(0).asString();
        for (int i = 0; i < count; i++) {
            assertThat(mergeRun).contains("/shared/shard-" + i + ".json");
        }
        assertThat(mergeRun).doesNotContain("/shared/shard-" + count + ".json");
    }

    /** The checks above can fail: each change below, made to the fleet Job, must be reported. */
    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        "completionMode: Indexed|completionMod: Indexed|completionMod",
        "runAsNonRoot: true|runAsNonRot: true|runAsNonRot",
        "mountPath: /config|mountpath: /config|mountpath",
        "completions: 8 |completions: 7 |--shard $(JOB_COMPLETION_INDEX)/8 runs 8 shards, but completions is 7",
        "parallelism: 4 |parallelism: 9 |parallelism 9 is more than completions 8",
        "completionMode: Indexed|completionMode: NonIndexed|not an Indexed Job",
        "action: FailIndex|action: Count|exit 1 (differences found) must be FailIndex or FailJob",
        "values: [2]|values: [4]|exit 4 is not an exit code of pgverify",
        "action: FailJob|action: Ignore|exit 2 (bad input) must be FailJob",
        "\"-Xmx768m\"|\"-Xmx2g\"|heap -Xmx2g does not fit the memory limit",
        "restartPolicy: Never |restartPolicy: OnFailure |restartPolicy Never",
        "name: PGVERIFY_JAVA_OPTS|name: PGVERIFY_JAVA_OPT|PGVERIFY_JAVA_OPT is not a variable pgverify reads",
        "shard-$(JOB_COMPLETION_INDEX).json|shard-$(JOB_COMPLETION_IDX).json|$(JOB_COMPLETION_IDX)",
    })
    void aMistakeInTheFleetJobIsReported(String original, String mistake, String expected) throws IOException {
        String yaml = Files.readString(MANIFESTS.resolve("fleet-job.yaml"));
        assertThat(yaml).contains(original);
        List<String> problems = problems(readText(yaml.replace(original, mistake)));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).contains(expected));
    }

    @Test
    void aPasswordInTheManifestIsReported() throws IOException {
        String yaml = Files.readString(MANIFESTS.resolve("plan-job.yaml"));
        String literal = yaml.replace("""
                            - name: PGVERIFY_SOURCE_PASSWORD
                              valueFrom:
                                secretKeyRef:
                                  name: pgverify-orders
                                  key: source-password
                """, """
                            - name: PGVERIFY_SOURCE_PASSWORD
                              value: hunter2
                """).replace("verifier@pg17", "verifier:hunter2@pg17");
        assertThat(literal).isNotEqualTo(yaml);
        assertThat(problems(readText(literal)))
                .anySatisfy(problem -> assertThat(problem).contains("PGVERIFY_SOURCE_PASSWORD must come from a Secret"))
                .anySatisfy(problem -> assertThat(problem).contains("a password in a URL"));
    }

    /** docs/kubernetes.md shows the fleet Job as it is in its file, not a copy that drifts. */
    @Test
    void theGuideShowsTheFleetJobAsItIs() throws IOException {
        String guide = Files.readString(DOCS.resolve("kubernetes.md"));
        assertThat(guide).contains("```yaml\n" + Files.readString(MANIFESTS.resolve("fleet-job.yaml")) + "```");
        try (Stream<Path> files = manifests()) {
            files.forEach(file -> assertThat(guide).as("the guide names %s", file.getFileName())
                    .contains("kubernetes/" + file.getFileName()));
        }
    }

    // ---- the checks

    /** Every problem of these objects, one sentence each; empty when they are fine. */
    static List<String> problems(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        for (HasMetadata object : objects) {
            String name = object.getKind() + " " + object.getMetadata().getName();
            if (object instanceof GenericKubernetesResource) {
                problems.add(name + ": apiVersion " + object.getApiVersion() + " and kind are not a type Kubernetes has");
            }
            unknownFields(object, name, problems, new IdentityHashMap<>());
            if (object instanceof Job job) {
                jobProblems(job, name, problems);
            }
        }
        return problems;
    }

    /**
     * fabric8 keeps any field its model does not have in {@code additionalProperties} instead of failing: a misspelt
     * field would pass unnoticed, so every such map in the tree must be empty.
     */
    private static void unknownFields(Object value, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?> || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "." + key, problems, seen));
        } else if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems, seen);
            }
        } else if (value.getClass().getName().startsWith("io.fabric8.")) {
            for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    field.setAccessible(true);
                    Object fieldValue;
                    try {
                        fieldValue = field.get(value);
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                    if (field.getName().equals("additionalProperties")) {
                        if (fieldValue instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                            problems.add(path + ": unknown field(s) " + unknown.keySet() + " (misspelt, or at the wrong level)");
                        }
                    } else {
                        unknownFields(fieldValue, path + "." + field.getName(), problems, seen);
                    }
                }
            }
        }
    }

    private static void jobProblems(Job job, String name, List<String> problems) {
        JobSpec spec = job.getSpec();
        PodSpec pod = spec.getTemplate().getSpec();
        if (pod.getContainers().size() != 1) {
            problems.add(name + ": one container, pgverify, is expected; found " + pod.getContainers().size());
            return;
        }
        Container container = pod.getContainers().get(0);
        boolean indexed = "Indexed".equals(spec.getCompletionMode());
        List<String> args = container.getArgs();
        String command = args.isEmpty() ? "" : args.get(0);

        // Variables: only those Kubernetes defines are expanded; it leaves $(ANYTHING_ELSE) as it is, silently.
        Map<String, String> env = literalEnv(container);
        for (String arg : args) {
            Matcher reference = REFERENCE.matcher(arg);
            while (reference.find()) {
                String variable = reference.group(1);
                if (variable.equals(INDEX) ? !indexed : !env.containsKey(variable)) {
                    problems.add(name + ": args refer to $(" + variable + "), which " + (variable.equals(INDEX)
                            ? "only an Indexed Job sets" : "the container does not define") + "; Kubernetes would pass it on as it is");
                }
            }
        }

        // Shards: the N of --shard I/N is the number of indexes, and every index is one shard.
        int shardAt = args.indexOf("--shard");
        if (shardAt >= 0 || indexed) {
            if (!indexed) {
                problems.add(name + ": --shard needs completionMode Indexed (else JOB_COMPLETION_INDEX is unset): not an Indexed Job");
            }
            String shard = shardAt >= 0 && shardAt + 1 < args.size() ? args.get(shardAt + 1) : "";
            Matcher count = SHARD_ARGUMENT.matcher(shard);
            if (!count.matches()) {
                problems.add(name + ": an Indexed Job runs one shard per index: --shard $(" + INDEX + ")/N expected, found '" + shard + "'");
            } else {
                int shards = Shard.parse("0/" + count.group(1)).count();
                if (spec.getCompletions() == null || spec.getCompletions() != shards) {
                    problems.add(name + ": --shard " + shard + " runs " + shards + " shards, but completions is " + spec.getCompletions());
                }
            }
            if (spec.getParallelism() != null && spec.getCompletions() != null && spec.getParallelism() > spec.getCompletions()) {
                problems.add(name + ": parallelism " + spec.getParallelism() + " is more than completions " + spec.getCompletions());
            }
        }

        exitCodeProblems(spec, pod, container, command, name, problems);
        resourceProblems(container, name, problems);

        // Secrets stay in Secrets.
        for (EnvVar variable : container.getEnv()) {
            String variableName = variable.getName();
            if (!variableName.startsWith("PGVERIFY_") || knownVariables().contains(variableName)) {
                if (variableName.contains("PASSWORD") && (variable.getValueFrom() == null || variable.getValueFrom().getSecretKeyRef() == null)) {
                    problems.add(name + ": " + variableName + " must come from a Secret (valueFrom.secretKeyRef), not a value in the manifest");
                }
            } else {
                problems.add(name + ": " + variableName + " is not a variable pgverify reads (see docs/cli.md)");
            }
        }
        List<String> literals = new ArrayList<>(args);
        literals.addAll(env.values());
        for (String literal : literals) {
            if (PASSWORD_IN_URL.matcher(literal).find()) {
                problems.add(name + ": a password in a URL; give it as PGVERIFY_SOURCE_PASSWORD/PGVERIFY_TARGET_PASSWORD from a Secret");
            }
        }
    }

    /**
     * What Kubernetes does with each exit code must be what the code means (ExitCodes): differences are a verdict, never
     * retried; bad input fails the Job, as every pod would fail the same way; a verification that could not be
     * completed is retried.
     */
    private static void exitCodeProblems(JobSpec spec, PodSpec pod, Container container, String command, String name,
            List<String> problems) {
        if (spec.getPodFailurePolicy() == null) {
            problems.add(name + ": no podFailurePolicy: Kubernetes would retry differences found (exit 1) like a crash");
            return;
        }
        if (!"Never".equals(pod.getRestartPolicy())) {
            problems.add(name + ": a podFailurePolicy needs restartPolicy Never, found " + pod.getRestartPolicy());
        }
        Set<Integer> known = new HashSet<>();
        ExitCodes.descriptions().keySet().forEach(code -> known.add(Integer.valueOf(code)));
        Map<Integer, String> actions = new HashMap<>();
        for (PodFailurePolicyRule rule : spec.getPodFailurePolicy().getRules()) {
            if (rule.getOnExitCodes() == null) {
                continue;
            }
            if (!container.getName().equals(rule.getOnExitCodes().getContainerName())) {
                problems.add(name + ": a podFailurePolicy rule names container " + rule.getOnExitCodes().getContainerName()
                        + ", but the container is " + container.getName());
            }
            if (!"In".equals(rule.getOnExitCodes().getOperator())) {
                problems.add(name + ": podFailurePolicy rules list the exit codes they mean (operator In)");
            }
            for (Integer code : rule.getOnExitCodes().getValues()) {
                if (!known.contains(code)) {
                    problems.add(name + ": exit " + code + " is not an exit code of pgverify " + known);
                }
                actions.putIfAbsent(code, rule.getAction());
            }
            if ("FailIndex".equals(rule.getAction()) && spec.getBackoffLimitPerIndex() == null) {
                problems.add(name + ": FailIndex needs backoffLimitPerIndex");
            }
        }
        String differences = actions.get(ExitCodes.DIFFERENCES);
        String usage = actions.get(ExitCodes.USAGE);
        String incomplete = actions.get(ExitCodes.INCOMPLETE);
        if (!"FailJob".equals(usage)) {
            problems.add(name + ": exit " + ExitCodes.USAGE + " (bad input) must be FailJob: every retry would fail the same way; found " + usage);
        }
        switch (command) {
            case "verify" -> {
                if (!"FailIndex".equals(differences) && !"FailJob".equals(differences)) {
                    problems.add(name + ": exit " + ExitCodes.DIFFERENCES + " (differences found) must be FailIndex or FailJob, "
                            + "not retried; found " + differences);
                }
                retried(spec, incomplete, name, problems);
            }
            case "plan" -> retried(spec, incomplete, name, problems);
            case "merge-reports" -> {
                // The merge reads files: a missing or foreign shard report (3) stays missing on a retry.
                for (int code : new int[] {ExitCodes.DIFFERENCES, ExitCodes.INCOMPLETE}) {
                    if (!"FailJob".equals(actions.get(code))) {
                        problems.add(name + ": merge-reports' exit " + code + " does not change on a retry: FailJob expected");
                    }
                }
            }
            default -> problems.add(name + ": runs '" + command + "', which is not a pgverify command this guide knows");
        }
    }

    private static void retried(JobSpec spec, String incompleteAction, String name, List<String> problems) {
        int retries = spec.getBackoffLimitPerIndex() != null ? spec.getBackoffLimitPerIndex()
                : spec.getBackoffLimit() != null ? spec.getBackoffLimit() : 6;
        if ((incompleteAction != null && !"Count".equals(incompleteAction)) || retries == 0) {
            problems.add(name + ": exit " + ExitCodes.INCOMPLETE + " (could not be completed) must be retried (Count, and a "
                    + "backoff limit above 0); found " + incompleteAction + " with " + retries + " retries");
        }
    }

    /** The heap fits the memory limit, with room for what the JVM holds outside it. */
    private static void resourceProblems(Container container, String name, List<String> problems) {
        Map<String, Quantity> limits = container.getResources() == null ? null : container.getResources().getLimits();
        Map<String, Quantity> requests = container.getResources() == null ? null : container.getResources().getRequests();
        if (limits == null || !limits.containsKey("memory") || requests == null || !requests.containsKey("memory")) {
            problems.add(name + ": memory requests and limits are needed to size the heap");
            return;
        }
        String options = literalEnv(container).getOrDefault("PGVERIFY_JAVA_OPTS", "");
        Matcher heap = HEAP.matcher(options);
        if (!heap.find()) {
            problems.add(name + ": PGVERIFY_JAVA_OPTS should set -Xmx within the memory limit");
            return;
        }
        long bytes = Long.parseLong(heap.group(1)) << switch (Character.toLowerCase(heap.group(2).charAt(0))) {
            case 'k' -> 10;
            case 'm' -> 20;
            default -> 30;
        };
        BigDecimal limit = Quantity.getAmountInBytes(limits.get("memory"));
        if (BigDecimal.valueOf(bytes).compareTo(limit.multiply(BigDecimal.valueOf(0.8))) > 0) {
            problems.add(name + ": heap " + heap.group() + " does not fit the memory limit " + limits.get("memory")
                    + " with room for the JVM's own memory (at most 80%)");
        }
    }

    private static Set<String> knownVariables() {
        Set<String> known = new HashSet<>(Set.of(Environment.SOURCE, Environment.TARGET, Environment.SOURCE_PASSWORD,
                Environment.TARGET_PASSWORD, "PGVERIFY_JAVA_OPTS"));
        for (Setting setting : Setting.values()) {
            known.add(setting.environmentVariable());
        }
        return known;
    }

    // ---- reading

    static List<HasMetadata> read(Path file) {
        try {
            return readText(Files.readString(file));
        } catch (IOException e) {
            throw new AssertionError(file + ": " + e, e);
        }
    }

    static List<HasMetadata> readText(String yaml) {
        try (MappingIterator<HasMetadata> documents = YAML.readerFor(HasMetadata.class).readValues(yaml)) {
            return documents.readAll();
        }
    }

    private static List<Job> jobs(List<HasMetadata> objects) {
        return objects.stream().filter(Job.class::isInstance).map(Job.class::cast).toList();
    }

    private static Job onlyJob(String file) {
        List<Job> jobs = jobs(read(MANIFESTS.resolve(file)));
        assertThat(jobs).as("the Jobs of %s", file).hasSize(1);
        return jobs.get(0);
    }

    private static Container container(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, String> literalEnv(Container container) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValue() != null) {
                env.put(variable.getName(), variable.getValue());
            }
        }
        return env;
    }

    /** The container's args as the first pod (index 0) gets them: $(VAR) expanded as Kubernetes does. */
    private static List<String> expandedArgs(Job job) {
        Map<String, String> env = literalEnv(container(job));
        env.put(INDEX, "0");
        List<String> expanded = new ArrayList<>();
        for (String arg : container(job).getArgs()) {
            expanded.add(REFERENCE.matcher(arg).replaceAll(reference ->
                    Matcher.quoteReplacement(env.getOrDefault(reference.group(1), reference.group()))));
        }
        return expanded;
    }

    private static String option(Job job, String name) {
        List<String> args = container(job).getArgs();
        int at = args.indexOf(name);
        assertThat(at).as("%s in %s", name, args).isNotNegative();
        return args.get(at + 1);
    }

    private static void assertMergeReadsEveryShard(Job shards, Job merge) {
        String pattern = option(shards, "--report");
        assertThat(pattern).contains("$(" + INDEX + ")");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < shards.getSpec().getCompletions(); i++) {
            expected.add(pattern.replace("$(" + INDEX + ")", Integer.toString(i)));
        }
        List<String> args = container(merge).getArgs();
        assertThat(args.get(0)).isEqualTo("merge-reports");
        List<String> inputs = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).startsWith("--")) {
                i++;        // merge-reports' options (--report, --format) all take a value
            } else {
                inputs.add(args.get(i));
            }
        }
        assertThat(inputs).as("the reports merge-reports reads").containsExactlyElementsOf(expected);
        assertSameVolume(shards, pattern, merge);
    }

    /** The file is on the same claim in both Jobs' pods: what one writes, the other reads. */
    private static void assertSameVolume(Job writer, String file, Job reader) {
        assertThat(claim(reader, file)).as("the volume of %s", file).isNotNull().isEqualTo(claim(writer, file));
    }

    private static String claim(Job job, String file) {
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        for (VolumeMount mount : pod.getContainers().get(0).getVolumeMounts()) {
            if (file.startsWith(mount.getMountPath() + "/")) {
                for (Volume volume : pod.getVolumes()) {
                    if (volume.getName().equals(mount.getName()) && volume.getPersistentVolumeClaim() != null) {
                        return volume.getPersistentVolumeClaim().getClaimName();
                    }
                }
            }
        }
        return null;
    }
}
