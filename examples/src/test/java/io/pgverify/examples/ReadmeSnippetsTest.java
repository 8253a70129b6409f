package io.pgverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java snippets of the README (and of docs/) are the marked regions of this module's sources, which the build
 * compiles and runs: a snippet edited in one place and not the other fails here.
 */
class ReadmeSnippetsTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @ParameterizedTest(name = "{0} in {2}")
    @CsvSource({
            "runbook,         src/main/java/io/pgverify/examples/RunbookStep.java,      README.md",
            "junit,           src/test/java/io/pgverify/examples/MigrationIT.java,      README.md",
            "runbook-verify,  src/main/java/io/pgverify/examples/MigrationRunbook.java, docs/runbook.md",
    })
    void theReadmeShowsTheCodeTheBuildCompiles(String region, String source, String document) throws IOException {
        String snippet = dedent(region(Files.readString(MODULE.resolve(source)), region));
        List<String> readmeBlocks = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(Files.readString(MODULE.resolveSibling(document)));
        while (block.find()) {
            readmeBlocks.add(dedent(block.group(1)));
        }
        assertThat(readmeBlocks).as("%s's java blocks", document).contains(snippet);
    }

    private static String region(String source, String name) {
        int start = source.indexOf("// README: " + name + "\n");
        int end = source.indexOf("// END README", start);
        assertThat(start).as("region %s", name).isNotNegative();
        assertThat(end).as("end of region %s", name).isPositive();
        String body = source.substring(source.indexOf('\n', start) + 1, end);
        return body.substring(0, body.lastIndexOf('\n') + 1);
    }

    /** Without the indentation all lines share, and without trailing blank lines. */
    static String dedent(String text) {
        List<String> lines = new ArrayList<>(List.of(text.stripTrailing().split("\n", -1)));
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }
}
