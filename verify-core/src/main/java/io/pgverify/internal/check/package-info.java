/**
 * The checks (schema, sequences, counts, last rows, row hashes), their planning, retries, resume and pacing.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.check;
