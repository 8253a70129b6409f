package io.pgverify.internal.preflight;

import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.pgverify.ErrorCode;
import io.pgverify.PreflightFinding.Severity;
import io.pgverify.internal.jdbc.SqlErrors;

/**
 * Btree index entries near the size limit of the target's btree (version 4: 2704 bytes on 8 kB pages). An index built
 * on the source can hold entries the target cannot (an older btree version allowed 8 bytes more, or the value
 * compresses differently), and then the restore or the initial copy fails with "index row size ... exceeds btree
 * version 4 maximum 2704".
 *
 * <p>The entry size is estimated as the sum of {@code pg_column_size} of the indexed values (their stored, possibly
 * compressed, size, which is what the index holds) plus the 8-byte tuple header, from a bounded sample of each table
 * ({@code TABLESAMPLE SYSTEM} and a row limit), or from every row when exact sizes are asked for. Indexes whose
 * columns all have a fixed or small bounded length are not sampled.
 */
final class IndexSizeCheck {

    static final String CODE = "btree_entry_near_limit";

    /** Entries above this share of the limit are worth a warning: a longer value of the same kind will not fit. */
    private static final double WARNING_SHARE = 0.75;
    private static final int INDEX_TUPLE_HEADER = 8;

    private IndexSizeCheck() {
    }

    private record IndexShape(String schema, String table, String index, String predicate, double reltuples,
                              List<String> expressions) {
    }

    static void run(Probe p) throws SQLException {
        int blockSize = Integer.parseInt(Probe.text(p.hasTarget() ? p.target : p.source, "SELECT current_setting('block_size')"));
        int limit = btreeLimit(blockSize);
        int warnAt = (int) (limit * WARNING_SHARE);
        Map<String, IndexShape> indexes = new LinkedHashMap<>();
        Map<String, List<Boolean>> boundedColumns = new LinkedHashMap<>();
        Probe.query(p.source, """
                SELECT n.nspname, t.relname, ic.relname, t.reltuples, pg_get_expr(i.indpred, i.indrelid),
                       pg_get_indexdef(i.indexrelid, k.ord, true), coalesce(a.attlen, -1), a.atttypid, a.atttypmod
                FROM pg_index i
                JOIN pg_class ic ON ic.oid = i.indexrelid AND ic.relkind = 'i'
                JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
                JOIN pg_class t ON t.oid = i.indrelid AND t.relkind IN ('r', 'm')
                JOIN pg_namespace n ON n.oid = t.relnamespace
                CROSS JOIN LATERAL generate_series(1, i.indnatts) AS k(ord)
                LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[k.ord - 1] AND i.indkey[k.ord - 1] <> 0
                WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                ORDER BY 1, 2, 3, k.ord""", rs -> {
            String schema = rs.getString(1);
            String table = rs.getString(2);
            if (!p.settings.filter().matches(schema, table)) {
                return;
            }
            String indexName = rs.getString(3);
            String predicate = rs.getString(5);
            double reltuples = rs.getDouble(4);
            String key = schema + "\u0000" + indexName;
            IndexShape shape = indexes.computeIfAbsent(key,
                    k -> new IndexShape(schema, table, indexName, predicate, reltuples, new ArrayList<>()));
            shape.expressions().add(rs.getString(6));
            boundedColumns.computeIfAbsent(key, k -> new ArrayList<>()).add(small(rs.getInt(7), rs.getLong(8), rs.getInt(9), warnAt));
        });
        List<String> blockers = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Map.Entry<String, IndexShape> entry : indexes.entrySet()) {
            IndexShape index = entry.getValue();
            if (boundedColumns.get(entry.getKey()).stream().allMatch(Boolean::booleanValue)) {
                continue; // every column fixed-length or too short to matter: nothing to sample
            }
            long[] result;
            // A table this role may not read (or that row-level security hides) costs that index, not the check.
            Savepoint savepoint = p.source.setSavepoint();
            try {
                result = largestEntry(p, index);
                p.source.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                p.source.rollback(savepoint);
                if (SqlErrors.classify(e) == ErrorCode.CONNECTION_FAILED) {
                    throw e;
                }
                unreadable.add(Probe.display(index.schema(), index.index()) + " on " + Probe.display(index.schema(),
                        index.table()) + " (" + SqlErrors.describe("source", e) + ")");
                continue;
            }
            long largest = result[0];
            if (largest >= warnAt) {
                String line = Probe.display(index.schema(), index.index()) + " on " + Probe.display(index.schema(), index.table())
                        + " (" + String.join(", ", index.expressions()) + "): largest entry about " + largest + " bytes, limit "
                        + limit + (p.settings.exactIndexSizes() ? ", all " + result[1] + " rows read"
                        : ", in a sample of " + result[1] + " rows");
                (largest >= limit ? blockers : warnings).add(line);
            }
        }
        if (!unreadable.isEmpty()) {
            p.findings.notChecked(CODE, "the sizes of these indexes' entries could not be read: " + String.join("; ", unreadable));
        }
        String why = "A btree index entry may not exceed a third of a page (" + limit + " bytes with the target's "
                + blockSize + "-byte blocks and btree version 4). Entries this close to the limit were accepted on the "
                + "source, but a slightly longer value, another compression or an older source btree version (2704 + 8 "
                + "bytes) makes the restore or the initial copy fail with 'index row size ... exceeds btree version 4 "
                + "maximum " + limit + "'. "
                + (p.settings.exactIndexSizes() ? "Every row was read." : "Sizes come from a sample: a larger value may exist.");
        String whatToDo = "Index a hash of the value instead (e.g. a unique index on md5(col) or a hash index), or "
                + "constrain the column's length; run with exact index sizes (--exact-index-sizes) in a quiet hour to "
                + "find every such row.";
        p.findings.add(CODE, Severity.BLOCKER, "Btree index entries over the target's size limit", blockers, why, whatToDo);
        p.findings.add(CODE, Severity.WARNING, "Btree index entries near the target's size limit", warnings, why, whatToDo);
    }

    /** The largest estimated entry and how many rows were read. */
    private static long[] largestEntry(Probe p, IndexShape index) throws SQLException {
        StringBuilder size = new StringBuilder();
        for (String expression : index.expressions()) {
            size.append(size.length() == 0 ? "" : " + ").append("coalesce(pg_column_size((").append(expression).append(")), 0)");
        }
        String from = Probe.quoted(index.schema(), index.table());
        String sql;
        if (p.settings.exactIndexSizes()) {
            sql = "SELECT coalesce(max(" + size + "), 0), count(*) FROM " + from
                    + (index.predicate() == null ? "" : " WHERE " + index.predicate());
        } else {
            long rows = p.settings.indexSampleRows();
            // SYSTEM samples whole pages: cheap, and the row limit bounds the cost whatever the statistics say.
            double percent = index.reltuples() <= rows ? 100.0 : Math.max(0.0001, 100.0 * rows / index.reltuples());
            sql = "SELECT coalesce(max(s), 0), count(*) FROM (SELECT " + size + " AS s FROM " + from + " TABLESAMPLE SYSTEM ("
                    + String.format(Locale.ROOT, "%.6f", percent) + ")"
                    + (index.predicate() == null ? "" : " WHERE " + index.predicate()) + " LIMIT " + rows + ") sample";
        }
        long[] result = new long[2];
        Probe.query(p.source, sql, rs -> {
            result[0] = rs.getLong(1);
            result[1] = rs.getLong(2);
        });
        result[0] = result[0] == 0 ? 0 : align8(INDEX_TUPLE_HEADER + result[0]);
        return result;
    }

    /**
     * True for a column whose values can never come near the threshold: fixed length, or varchar/char of at most n
     * characters (4 bytes each in the worst encoding).
     */
    private static boolean small(int attlen, long typeOid, int typmod, int warnAt) {
        if (attlen > 0) {
            return true;
        }
        boolean lengthLimited = typeOid == 1043 || typeOid == 1042; // varchar, bpchar
        return lengthLimited && typmod > 4 && (long) (typmod - 4) * 4 + 4 < warnAt;
    }

    /** BTMaxItemSize for btree version 4: a third of the page after the headers, less a heap TID. */
    static int btreeLimit(int blockSize) {
        int pageHeader = align8(24 + 3 * 4);
        int special = align8(16);
        return ((blockSize - pageHeader - special) / 3) / 8 * 8 - 8;
    }

    private static int align8(long size) {
        return (int) ((size + 7) / 8 * 8);
    }
}
