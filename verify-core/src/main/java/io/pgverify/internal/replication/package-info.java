/**
 * Waiting for a logical replica to catch up before comparing.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.replication;
