package io.pgverify.internal.catalog;

import java.util.List;
import java.util.Optional;

/**
 * A table as one side's catalog describes it.
 *
 * @param partitioned   a partitioned parent: read as a whole, through the parent (its partitions are not listed apart)
 * @param keyColumns    the primary key's columns, else those of a unique index on NOT NULL columns, else empty
 * @param keySource     where the key comes from: {@code primary key}, the unique index's name, or empty
 * @param estimatedRows the planner's estimate (pg_class.reltuples, summed over partitions); -1 when unknown
 * @param objects       the table's indexes (those not backing a constraint) and constraints
 */
public record TableInfo(String schema, String name, boolean partitioned, List<ColumnInfo> columns,
                        List<String> keyColumns, String keySource, long estimatedRows, List<SchemaObject> objects) {

    public TableInfo {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
        objects = List.copyOf(objects);
    }

    public String qualifiedKey() {
        return schema + "." + name;
    }

    public Optional<ColumnInfo> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }
}
