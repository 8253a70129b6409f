package io.pgverify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.pgverify.internal.preflight.PreflightRun;

class PreflightCodesTest {

    @Test
    void everyFindingCodeIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "preflight.md"));
        assertThat(Preflight.findingCodes()).isNotEmpty().allSatisfy(code -> assertThat(docs).contains("| `" + code + "` |"));
    }

    @Test
    void codesAreSnakeCaseAndUnique() {
        assertThat(PreflightRun.codes()).doesNotHaveDuplicates().allMatch(code -> code.matches("[a-z0-9_]+"));
    }

    @Test
    void methodsAreReadByTheirLabels() {
        assertThat(MigrationMethod.of("Dump-Restore")).isEqualTo(MigrationMethod.DUMP_RESTORE);
        assertThat(MigrationMethod.of("logical")).isEqualTo(MigrationMethod.LOGICAL);
        assertThat(MigrationMethod.of("pglogical")).isEqualTo(MigrationMethod.PGLOGICAL);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MigrationMethod.of("rsync"))
                .isInstanceOf(VerifyException.class).hasMessageContaining("use dump-restore, logical or pglogical");
    }
}
