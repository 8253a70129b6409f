/**
 * The checks, one class each: schema, sequences, counts, last rows, and every row ({@link
 * io.pgverify.internal.check.RowCheck}). A check decides what to read and turns what was read into a result; the
 * reading itself (with its retries and rechecks) is in {@code internal.read}, the plans in {@code internal.plan},
 * resume and pacing in {@code internal.resume}.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.check;
