package io.pgverify.internal.catalog;

/**
 * A sequence and, when it feeds a column (serial, identity, or OWNED BY), that column.
 *
 * @param readable whether this user may read the sequence's state
 */
public record SequenceInfo(String schema, String name, long increment, String ownerSchema, String ownerTable,
                           String ownerColumn, boolean readable) {

    public String qualifiedKey() {
        return schema + "." + name;
    }

    public boolean owned() {
        return ownerTable != null;
    }

    public String ownedBy() {
        return owned() ? ownerSchema + "." + ownerTable + "." + ownerColumn : "";
    }
}
