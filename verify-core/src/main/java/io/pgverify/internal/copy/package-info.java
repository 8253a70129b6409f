/**
 * Parsing binary COPY output as it streams from the server.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.copy;
