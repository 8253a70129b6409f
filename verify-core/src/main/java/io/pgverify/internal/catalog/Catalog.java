package io.pgverify.internal.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.pgverify.ServerInfo;

/** What one side holds: its server, tables and sequences, and how many large objects. */
public final class Catalog {

    private final ServerInfo server;
    private final Map<String, TableInfo> tables = new LinkedHashMap<>();
    private final Map<String, SequenceInfo> sequences = new LinkedHashMap<>();
    // Copied once: callers index into tables() per table, and a fresh copy per call made that quadratic.
    private final List<TableInfo> tableList;
    private final List<SequenceInfo> sequenceList;
    private final long largeObjects;

    Catalog(ServerInfo server, List<TableInfo> tables, List<SequenceInfo> sequences, long largeObjects) {
        this.server = server;
        this.largeObjects = largeObjects;
        tables.forEach(t -> this.tables.put(t.qualifiedKey(), t));
        sequences.forEach(s -> this.sequences.put(s.qualifiedKey(), s));
        this.tableList = List.copyOf(this.tables.values());
        this.sequenceList = List.copyOf(this.sequences.values());
    }

    public ServerInfo server() {
        return server;
    }

    /** Large objects in the database (pg_largeobject_metadata), whatever the table selection. */
    public long largeObjects() {
        return largeObjects;
    }

    public List<TableInfo> tables() {
        return tableList;
    }

    public Optional<TableInfo> table(String schema, String name) {
        return Optional.ofNullable(tables.get(schema + "." + name));
    }

    public List<SequenceInfo> sequences() {
        return sequenceList;
    }

    public Optional<SequenceInfo> sequence(String schema, String name) {
        return Optional.ofNullable(sequences.get(schema + "." + name));
    }
}
