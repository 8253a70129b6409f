package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pgverify.ErrorCode;
import io.pgverify.Setting;
import io.pgverify.Shard;
import io.pgverify.VerifyException;

class PairsFileTest {

    private static final Map<String, String> ENV = Map.of(
            "SHOP_SOURCE", "postgresql://app:s3cret-pass@old-db:5432/shop",
            "SHOP_PASSWORD", "an0ther-secret");

    @TempDir
    Path dir;

    @Test
    void readsPairsWithDefaultsAndEnvironmentReferences() throws IOException {
        Path file = write("""
                defaults:
                  threads: 2
                  exclude: [audit.*, "Log.*"]
                pairs:
                  - name: shop
                    source: ${SHOP_SOURCE}
                    target: postgresql://app:${SHOP_PASSWORD}@new-db/shop
                    checks: [schema, counts]
                  - name: billing
                    source: postgresql://app@old-db/billing
                    target: postgresql://app@new-db/billing
                    threads: 6
                """);

        List<PairSpec> pairs = PairsFile.read(file, ENV);

        assertThat(pairs).extracting(PairSpec::name).containsExactly("shop", "billing");
        PairSpec shop = pairs.get(0);
        assertThat(shop.source().password()).isEqualTo("s3cret-pass");
        assertThat(shop.target().password()).isEqualTo("an0ther-secret");
        assertThat(shop.source().endpoint()).isEqualTo("old-db:5432");
        assertThat(shop.text(Setting.THREADS)).isEqualTo("2");
        assertThat(shop.text(Setting.CHECKS)).isEqualTo("schema,counts");
        assertThat(shop.exclude()).containsExactly("audit.*,Log.*");
        assertThat(shop.settings().get(Setting.CHECKS).origin()).isEqualTo(file + " line 8: checks");
        assertThat(pairs.get(1).text(Setting.THREADS)).as("the pair's own value wins").isEqualTo("6");
        assertThat(pairs.get(1).line()).isEqualTo(9);
        assertThat(shop.identity()).doesNotContain("s3cret").doesNotContain("an0ther");
    }

    @Test
    void readsJson() throws IOException {
        Path file = write("""
                {"pairs": [
                  {"name": "shop", "source": "postgresql://app@old-db/shop",
                   "target": "postgresql://app@new-db/shop", "threads": 3}
                ]}
                """);

        assertThat(PairsFile.read(file, Map.of())).singleElement()
                .satisfies(pair -> assertThat(pair.text(Setting.THREADS)).isEqualTo("3"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key in a pair         | 5 | unknown key 'thread' in pair 'shop'
            unknown top-level key         | 1 | unknown key 'pair' in the file
            missing variable              | 4 | refers to ${MISSING}, which is not set
            duplicate name                | 5 | the name 'shop' is used again (first on line 2)
            bad value                     | 5 | threads: 'many' is not a whole number
            not YAML                      | 3 | not valid YAML or JSON
            missing target                | 2 | pair 'shop' has no 'target'
            state as a default            | 2 | state cannot be a default
            duplicate key                 | 5 | the key 'source' is given twice
            """)
    void problemsNameTheFileAndTheLine(String problem, int line, String message) throws IOException {
        Path file = write(switch (problem) {
            case "unknown key in a pair" -> pairs("    thread: 4\n");
            case "unknown top-level key" -> "pair:\n  - name: x\n";
            case "missing variable" -> """
                    pairs:
                      - name: shop
                        source: postgresql://app@old-db/shop
                        target: ${MISSING}
                    """;
            case "duplicate name" -> pairs("") + """
                      - name: shop
                        source: postgresql://app@old-db/shop
                        target: postgresql://app@new-db/shop
                    """;
            case "bad value" -> pairs("    threads: many\n");
            case "not YAML" -> "pairs:\n  - name: shop\n  source: [unclosed\n";
            case "missing target" -> "pairs:\n  - name: shop\n    source: postgresql://app@old-db/shop\n";
            case "state as a default" -> "defaults:\n  state: run.state\n" + pairs("");
            case "duplicate key" -> pairs("    source: postgresql://app@other/shop\n");
            default -> throw new IllegalArgumentException(problem);
        });

        assertThatThrownBy(() -> PairsFile.read(file, ENV))
                .isInstanceOfSatisfying(VerifyException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageStartingWith(file + ", line " + line + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void aMalformedUrlIsNamedAsWrittenNeverResolved() throws IOException {
        Path file = write("""
                pairs:
                  - name: shop
                    source: ${SHOP_SOURCE}
                    target: mysql://${SHOP_PASSWORD}@new-db/shop
                """);

        assertThatThrownBy(() -> PairsFile.read(file, ENV))
                .hasMessageStartingWith(file + ", line 4: target of pair 'shop'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("an0ther-secret").doesNotContain("s3cret"));
    }

    @Test
    void shardsCoverEveryPairExactlyOnceWhateverTheOrder() throws IOException {
        StringBuilder text = new StringBuilder("pairs:\n");
        for (int i = 0; i < 7; i++) {
            text.append("  - {name: db").append((i * 5) % 7).append(", source: postgresql://a@s/d").append(i)
                    .append(", target: postgresql://a@t/d").append(i).append("}\n");
        }
        List<PairSpec> pairs = PairsFile.read(write(text.toString()), Map.of());

        for (int count : new int[] {1, 2, 3, 7, 9}) {
            Set<String> seen = new HashSet<>();
            int total = 0;
            for (int index = 0; index < count; index++) {
                List<PairSpec> shard = PairsFile.shard(pairs, new Shard(index, count));
                assertThat(shard.size()).isBetween(pairs.size() / count, pairs.size() / count + 1);
                for (PairSpec pair : shard) {
                    seen.add(pair.name());
                    total++;
                }
            }
            assertThat(total).as("%d shards", count).isEqualTo(pairs.size());
            assertThat(seen).hasSize(pairs.size());
        }
        assertThat(PairsFile.shard(reversed(pairs), new Shard(1, 3))).extracting(PairSpec::name)
                .containsExactlyInAnyOrderElementsOf(
                        PairsFile.shard(pairs, new Shard(1, 3)).stream().map(PairSpec::name).toList());
    }

    @Test
    void theDigestHoldsNoSecretAndChangesWithTheListAndTheCount() throws IOException {
        List<PairSpec> pairs = PairsFile.read(write(pairs("")), ENV);
        List<PairSpec> other = PairsFile.read(write(pairs("").replace("shop", "shop2")), ENV);

        assertThat(PairsFile.digest(pairs, 2)).startsWith("sha256:").isEqualTo(PairsFile.digest(pairs, 2))
                .isNotEqualTo(PairsFile.digest(pairs, 3)).isNotEqualTo(PairsFile.digest(other, 2));
    }

    private static String pairs(String extra) {
        return """
                pairs:
                  - name: shop
                    source: postgresql://app@old-db/shop
                    target: postgresql://app@new-db/shop
                """ + extra;
    }

    private static List<PairSpec> reversed(List<PairSpec> pairs) {
        List<PairSpec> copy = new java.util.ArrayList<>(pairs);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "pairs", ".yaml");
        Files.writeString(file, text);
        return file;
    }
}
