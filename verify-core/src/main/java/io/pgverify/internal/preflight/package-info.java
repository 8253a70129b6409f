/**
 * The preflight's checks: read-only catalog and statistics queries, and bounded samples, that find what will break a
 * migration before it starts.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify} ({@link io.pgverify.Preflight}).
 */
package io.pgverify.internal.preflight;
