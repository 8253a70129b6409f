/**
 * Where pgverify's SQL text is written: quoting ({@link io.pgverify.internal.sql.Sql}), the expressions a column is
 * read through ({@link io.pgverify.internal.sql.ColumnSql}) and every query that reads a table's rows ({@link
 * io.pgverify.internal.sql.TableSql}). Plans decide what to read; this package writes it.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.sql;
