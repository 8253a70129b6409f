package io.pgverify.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pgverify.internal.catalog.ColumnInfo;
import io.pgverify.internal.catalog.PgType;
import io.pgverify.internal.catalog.TableInfo;

/** How columns that may hold large values are read: as their value or NULL, and an appended digest. */
class TablePlanTest {

    private static final PgType INT4 = new PgType(23, "pg_catalog", "int4", 'b', 0, 0, 'N', true, "int4send");
    private static final PgType BPCHAR = new PgType(1042, "pg_catalog", "bpchar", 'b', 0, 0, 'S', true, "bpcharsend");
    private static final PgType VARCHAR = new PgType(1043, "pg_catalog", "varchar", 'b', 0, 0, 'S', true, "varcharsend");
    private static final PgType TEXT = new PgType(25, "pg_catalog", "text", 'b', 0, 0, 'S', true, "textsend");
    private static final PgType BYTEA = new PgType(17, "pg_catalog", "bytea", 'b', 0, 0, 'U', true, "byteasend");
    private static final PgType JSONB = new PgType(3802, "pg_catalog", "jsonb", 'b', 0, 0, 'U', true, "jsonb_send");
    private static final PgType NUMERIC = new PgType(1700, "pg_catalog", "numeric", 'b', 0, 0, 'N', true, "numeric_send");

    private static ColumnInfo column(String name, String display, PgType type) {
        boolean collatable = type.category() == 'S';
        return new ColumnInfo(name, 0, display, type, false, true, collatable, !collatable);
    }

    private static TablePlan plan(String key, ColumnInfo... columns) {
        List<ColumnInfo> list = new ArrayList<>(List.of(columns));
        TableInfo table = new TableInfo("public", "t", false, list, List.of(key), "primary key", 0, List.of());
        return TablePlan.of(table, table);
    }

    @Test
    void pgbenchAccountsIsReadExactlyAsBefore() {
        TablePlan plan = plan("aid", column("aid", "integer", INT4), column("bid", "integer", INT4),
                column("abalance", "integer", INT4), column("filler", "character(84)", BPCHAR));

        assertThat(plan.sql().copyRange("", false, 0)).isEqualTo(
                "COPY (SELECT \"aid\", \"bid\", \"abalance\", \"filler\" FROM ONLY \"public\".\"t\" ORDER BY \"aid\")"
                        + " TO STDOUT (FORMAT binary)");
        assertThat(plan.fieldCount()).isEqualTo(4);
    }

    @Test
    void columnsThatMayHoldLargeValuesGetADigestFieldAndKeysAndBoundedColumnsDoNot() {
        TablePlan plan = plan("id", column("id", "text", TEXT), column("payload", "bytea", BYTEA),
                column("code", "character varying(20)", VARCHAR), column("note", "character varying", VARCHAR),
                column("doc", "jsonb", JSONB), column("amount", "numeric", NUMERIC));

        String sql = plan.sql().copyRange("", false, 0);
        assertThat(plan.fieldCount()).isEqualTo(6 + 3);
        assertThat(List.of(plan.columnName(6), plan.columnName(7), plan.columnName(8)))
                .containsExactly("payload", "note", "doc");
        assertThat(sql).startsWith("COPY (SELECT \"id\", (CASE WHEN pg_catalog.octet_length(\"payload\") > 1048576 THEN NULL"
                + " ELSE \"payload\" END), \"code\", (CASE WHEN pg_catalog.octet_length(\"note\") > 1048576 THEN NULL ELSE \"note\" END),");
        assertThat(sql).contains(", \"amount\", (CASE WHEN pg_catalog.octet_length(\"payload\") > 1048576 THEN"
                + " pg_catalog.sha256(\"payload\") END)");
        // Not by the stored size, which depends on the server's compression: by the size of what COPY would send.
        assertThat(sql).contains("(CASE WHEN pg_catalog.pg_column_size(\"doc\") <= 2048 THEN false ELSE"
                + " pg_catalog.octet_length(pg_catalog.jsonb_send(\"doc\")) > 1048576 END)");
        assertThat(sql).contains("pg_catalog.sha256(pg_catalog.jsonb_send(\"doc\"))");
    }
}
