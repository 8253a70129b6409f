package io.pgverify.internal.catalog;

/**
 * One row of {@code pg_type}, as much as deciding how to read a column needs.
 *
 * @param typtype   b base, c composite, d domain, e enum, p pseudo, r range, m multirange
 * @param hasSend   whether the type has a binary send function at all
 * @param send      the send function's name, e.g. {@code int4send}: what binary COPY calls, callable in SQL too
 */
public record PgType(long oid, String schema, String name, char typtype, long baseType, long elementType,
                     char category, boolean hasSend, String send) {

    /** Objects with OIDs below this were created by initdb: the same OID means the same type on every server. */
    public static final long FIRST_NORMAL_OBJECT_ID = 16384;

    public boolean builtin() {
        return oid < FIRST_NORMAL_OBJECT_ID;
    }

    public boolean isArray() {
        return category == 'A' && elementType != 0;
    }
}
