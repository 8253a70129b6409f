package io.pgverify;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The table itself: names derived one way, defaults of the right type, every builder method named really there. */
class SettingTest {

    @Test
    void namesAreDerivedFromTheRow() {
        assertThat(Setting.CHUNK_TIME.key()).isEqualTo("chunk-time");
        assertThat(Setting.CHUNK_TIME.option()).isEqualTo("--chunk-time");
        assertThat(Setting.CHUNK_TIME.environmentVariable()).isEqualTo("PGVERIFY_CHUNK_TIME");
        assertThat(Setting.CHUNK_TIME.builderMethod()).isEqualTo("chunkTime");
        assertThat(Setting.MAX_DIFFERENCES.builderMethod()).isEqualTo("maxDifferencesPerTable");
    }

    @ParameterizedTest
    @EnumSource(Setting.class)
    void eachRowHasADescriptionADefaultAndABuilderMethod(Setting setting) {
        assertThat(setting.description()).isNotBlank().endsWith(".").doesNotContain("Default:");
        assertThat(setting.defaultText()).isNotBlank();
        if (setting.defaultValue() != null) {
            assertThat(setting.defaultValue()).isInstanceOf(setting.type().javaType());
        }
        List<Method> methods = Arrays.stream(Verifier.Builder.class.getMethods())
                .filter(m -> m.getName().equals(setting.builderMethod()) && Modifier.isPublic(m.getModifiers()))
                .toList();
        assertThat(methods).as("Verifier.Builder." + setting.builderMethod()).isNotEmpty();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(Setting.THREADS.defaultText()).isEqualTo("4");
        assertThat(Setting.CHUNK_TIME.defaultText()).isEqualTo("1s");
        assertThat(Setting.STATEMENT_TIMEOUT.defaultText()).isEqualTo("30m");
        assertThat(Setting.LOCK_TIMEOUT.defaultText()).isEqualTo("10s");
        assertThat(Setting.RECHECK_DELAY.defaultText()).isEqualTo("2s");
        assertThat(Setting.SNAPSHOT_AGE_WARNING.defaultText()).isEqualTo("10m");
        assertThat(Setting.MODE.defaultText()).isEqualTo("stream");
        assertThat(Setting.SNAPSHOT.defaultText()).isEqualTo("off");
    }

    @Test
    void keysAndVariablesAreUnique() {
        Set<String> keys = Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toSet());
        Set<String> methods = Arrays.stream(Setting.values()).map(Setting::builderMethod).collect(Collectors.toSet());

        assertThat(keys).hasSize(Setting.values().length);
        assertThat(methods).hasSize(Setting.values().length);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "THREADS | ' 8 ' | 8",
            "CHUNK_ROWS | 50000 | 50000",
            "MAX_BYTES_PER_SECOND | 64MiB | 67108864",
            "CHUNK_TIME | 1h30m | PT1H30M",
            "STATEMENT_TIMEOUT | PT45M | PT45M",
            "SNAPSHOT | on | true",
            "SNAPSHOT | NO | false",
            "MODE | Digest | DIGEST",
            "SLOT | 'a, b,,c' | [a, b, c]",
            "INCLUDE | 'public.orders,sales.\"A,B\"' | [public.orders,sales.\"A,B\"]",
            "APPLICATION_NAME | my app | my app",
    })
    void parsesTextAsPeopleWriteIt(Setting setting, String text, String expected) {
        assertThat(setting.parse(text)).hasToString(expected);
    }

    @Test
    void parsesChecksAndFiles() {
        assertThat(Setting.CHECKS.parse("schema,last-rows")).isEqualTo(EnumSet.of(CheckKind.SCHEMA, CheckKind.LAST_ROWS));
        assertThat(Setting.STATE.parse("run/state.json")).isEqualTo(Path.of("run/state.json"));
        assertThat(Setting.CHUNK_TIME.parse("0")).isEqualTo(Duration.ZERO);
    }
}
