/**
 * Reading both sides at once and merging them: the sessions of a check ({@link
 * io.pgverify.internal.read.CheckContext}), binary COPY of a range on each side, server-side digests of ranges and
 * key buckets, the sampling of key boundaries, the collection of differences within a table's budget, and the
 * retries and rechecks that let a read survive a dropped connection and tell rows in flight from rows that differ.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.read;
