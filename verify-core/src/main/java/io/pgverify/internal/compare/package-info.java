/**
 * Comparing rows: key codecs and orders, the merge of two key-ordered streams, row hashing and multiset digests.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.compare;
