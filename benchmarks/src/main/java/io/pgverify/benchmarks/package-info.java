/**
 * The end-to-end benchmark: real PostgreSQL 13 and 17 servers, a pgbench_accounts-shaped table, and the time a
 * verification takes against the floor (reading both tables once, at the same time). Never deployed; see
 * {@code docs/benchmarks.md} for how to run it and the figures it gave.
 */
package io.pgverify.benchmarks;
