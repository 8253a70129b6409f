/**
 * Work split over processes: the plan file ({@code pgverify plan}) that records, once, the key ranges of each table
 * and the shard each belongs to, and the view one shard's verification has of it.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.shard;
