/**
 * Connections: pools, sessions with pinned settings, the failure of one side, and the translation of SQL errors into
 * sentences.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.jdbc;
