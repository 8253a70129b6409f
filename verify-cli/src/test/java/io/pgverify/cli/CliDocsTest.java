package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.pgverify.Setting;

import picocli.CommandLine.Model.CommandSpec;

/**
 * docs/cli.md's option tables against the settings table they describe: every setting has its row, with the default
 * the table gives, and every option documented exists. So the docs cannot drift from the code.
 */
class CliDocsTest {

    private static final Path DOCS = Path.of("").toAbsolutePath().resolveSibling("docs").resolve("cli.md");
    private static final Pattern OPTION = Pattern.compile("`(--[a-z-]+)");

    /** Option to the default cell of its row, backticks dropped: {@code --chunk-time -> 1s}. */
    private static Map<String, String> documentedDefaults() throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOCS)) {
            if (!line.startsWith("| `-")) {
                continue;
            }
            // Cells split on the pipes that are not escaped (`--mode stream\|digest`).
            String[] cells = line.split("(?<!\\\\)\\|");
            Matcher option = OPTION.matcher(cells[1]);
            String defaultCell = cells[cells.length - 1].replace("`", "").trim();
            while (option.find()) {
                defaults.put(option.group(1), defaultCell);
            }
        }
        return defaults;
    }

    @ParameterizedTest
    @EnumSource(Setting.class)
    void everySettingIsDocumentedWithTheTablesDefault(Setting setting) throws IOException {
        Map<String, String> defaults = documentedDefaults();

        assertThat(defaults).as("docs/cli.md options tables").containsKey(setting.option());
        assertThat(defaults.get(setting.option())).as(setting.option() + "'s default in docs/cli.md")
                .isEqualTo(setting.defaultText().replace("`", ""));
    }

    @Test
    void everyDocumentedOptionExists() throws IOException {
        CommandSpec verify = PgVerify.commandLine(new Environment(Map.of(), false)).getSubcommands().get("verify")
                .getCommandSpec();

        assertThat(documentedDefaults().keySet()).isNotEmpty()
                .allSatisfy(option -> assertThat(verify.findOption(option)).as(option).isNotNull());
    }
}
