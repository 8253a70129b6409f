/**
 * One verification's life: worker pools, exported snapshots, the assembly of the report.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.run;
