package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.pgverify.Setting;
import io.pgverify.cli.VerificationOptions.Given;

import picocli.CommandLine;

/** What the generated options hand to the builder: flags over variables, repeated flags joined, switches on. */
class VerificationOptionsTest {

    private static Map<Setting, Given> given(Map<String, String> variables, String... args) {
        Environment env = new Environment(variables, false);
        CommandLine pgverify = PgVerify.commandLine(env);
        pgverify.parseArgs(Stream.concat(Stream.of("verify"), Arrays.stream(args)).toArray(String[]::new));
        CommandLine verify = pgverify.getSubcommands().get("verify");
        return VerificationOptions.of(verify.getCommandSpec()).given(env);
    }

    @Test
    void aFlagWinsOverItsVariableAndAVariableStandsInForAMissingFlag() {
        Map<Setting, Given> given = given(Map.of("PGVERIFY_THREADS", "8", "PGVERIFY_CHUNK_TIME", "2s",
                "PGVERIFY_LOCK_TIMEOUT", ""), "--chunk-time", "3s");

        assertThat(given).containsOnly(
                Map.entry(Setting.THREADS, new Given("8", "PGVERIFY_THREADS")),
                Map.entry(Setting.CHUNK_TIME, new Given("3s", "--chunk-time")));
    }

    @Test
    void repeatedFlagsAddUpSwitchesAreOnAndAnOptionalValueFallsBack() {
        Map<Setting, Given> given = given(Map.of(), "--include", "public.orders", "--include", "sales.\"A,B\"",
                "--checks", "schema", "--checks=counts", "--snapshot", "--wait-for-catchup");

        assertThat(given).containsOnly(
                Map.entry(Setting.INCLUDE, new Given("public.orders,sales.\"A,B\"", "--include")),
                Map.entry(Setting.CHECKS, new Given("schema,counts", "--checks")),
                Map.entry(Setting.SNAPSHOT, new Given("true", "--snapshot")),
                Map.entry(Setting.WAIT_FOR_CATCHUP, new Given("10m", "--wait-for-catchup")));
    }

    @Test
    void nothingGivenLeavesEverySettingToTheBuilder() {
        assertThat(given(Map.of("PGVERIFY_SOURCE", "postgresql://h/db"))).isEmpty();
    }
}
