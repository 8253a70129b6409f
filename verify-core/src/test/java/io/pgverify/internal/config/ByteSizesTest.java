package io.pgverify.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.pgverify.VerifyException;

class ByteSizesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0, 0", "1048576, 1048576", "500kB, 500000", "500KB, 500000", "10MB, 10000000", "10mb, 10000000",
            "10M, 10000000", "1.5GB, 1500000000", "2TB, 2000000000000", "64MiB, 67108864", "64mib, 67108864",
            "64Mi, 67108864", "1KiB, 1024", "1GiB, 1073741824", "0.5KiB, 512", "' 8 MB ', 8000000", "100B, 100",
            "1.0001kB, 1000"})
    void parses(String text, long bytes) {
        assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "fast", "MB", "-5MB", "10XB", "10 M B", "1e6", "10iB", "5PB", "99999999TB", "1,5MB", ".5MB"})
    void rejects(String text) {
        assertThatThrownBy(() -> ByteSizes.parse(text)).isInstanceOf(VerifyException.class)
                .hasMessageContaining("is not a size in bytes");
    }
}
