package io.pgverify.internal.catalog;

/**
 * An index or a constraint of a table, as the server defines it ({@code pg_get_indexdef} without the index's name,
 * {@code pg_get_constraintdef}), read with {@code search_path} pinned so that names are qualified the same way on both
 * sides.
 *
 * @param valid false for an index a failed {@code CREATE INDEX CONCURRENTLY} left behind: queries do not use it and, if
 *              unique, it enforces nothing
 */
public record SchemaObject(Kind kind, String name, String definition, boolean valid) {

    public enum Kind {
        INDEX("index"),
        CONSTRAINT("constraint");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
