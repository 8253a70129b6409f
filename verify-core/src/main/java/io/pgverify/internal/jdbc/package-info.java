/**
 * Connections: pools, sessions with pinned settings, and the translation of SQL errors into sentences.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.jdbc;
