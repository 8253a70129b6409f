package io.pgverify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code pgverify demo} starts its own pair of servers, damages the target and must find every kind of damage. */
class DemoCommandIT {

    @Test
    void findsTheDamageItDidAndExits1() {
        CliRun run = CliRun.of("demo", "--no-color", "--format", "json");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("differences found, as expected");
        // The preflight comes first (on stderr, since stdout carries the JSON report): the key-less audit_log blocks
        // logical replication, and the sequences need a plan.
        assertThat(run.err()).contains("BLOCKER  table_without_replica_identity", "public.audit_log (no primary key)",
                "WARNING  sequences_not_replicated", "public.order_number_seq");
        // Each damage is found: the lost row, the sequence set back, both changed values and the dropped index.
        assertThat(run.out()).contains("\"missing_on_target\"", "\"sequence_behind\"", "\"different\"", "\"missing_index\"",
                "orders_customer_placed", "4242", "4999", "1234");
    }
}
