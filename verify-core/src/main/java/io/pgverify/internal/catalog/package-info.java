/**
 * Reading each side's catalog: the selected tables, their columns, keys, indexes, constraints and sequences.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.catalog;
