/**
 * What is read of a table and how: the columns both sides share, each in a form that is the same on both servers,
 * the key order, and the key ranges a table is split into. Plans are data; their SQL text is written by
 * {@code internal.sql}.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.plan;
