package io.pgverify.internal.catalog;

/**
 * A column of a table as one side's catalog describes it.
 *
 * @param typeDisplay  {@code format_type()} with {@code search_path} pinned to pg_catalog, so user types are
 *                     schema-qualified the same way on both sides: what the schema check compares
 * @param baseType     the type after resolving domains
 * @param binaryStable whether the column's binary COPY form is the same on every supported server version and session
 *                     setting; when false, it is read as {@code ::text} under pinned settings
 * @param byteOrdered  whether ordering by the column (as declared, without COLLATE) is byte order: non-collatable
 *                     types, or a collation that is C on this side. Only then can a key range use the index.
 */
public record ColumnInfo(String name, int position, String typeDisplay, PgType baseType, boolean notNull,
                         boolean binaryStable, boolean collatable, boolean byteOrdered) {
}
