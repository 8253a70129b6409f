package io.pgverify.internal.preflight;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.pgverify.PreflightFinding.Severity;

/**
 * User-defined types (enums, composites, domains, ranges, base types) and their OIDs. A restore or a schema copy gives
 * every type a new OID on the target; drivers and applications that cache or hard-code type OIDs then decode values
 * wrongly or fail.
 */
final class TypeOids {

    static final String CODE = "user_type_oids";

    private static final String TYPES = """
            SELECT n.nspname, t.typname, t.oid::bigint, t.typtype, t.typarray::bigint
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype IN ('b', 'c', 'd', 'e', 'r')
              AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
              AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
              AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
                              AND d.deptype = 'e')
            ORDER BY 1, 2""";

    private TypeOids() {
    }

    static void run(Probe p) throws SQLException {
        Map<String, long[]> targetOids = new HashMap<>();
        if (p.hasTarget()) {
            Probe.query(p.target, TYPES, rs -> targetOids.put(rs.getString(1) + "\u0000" + rs.getString(2),
                    new long[] {rs.getLong(3), rs.getLong(5)}));
        }
        List<String> differ = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Probe.query(p.source, TYPES, rs -> {
            String name = Probe.display(rs.getString(1), rs.getString(2));
            String kind = switch (rs.getString(4)) {
                case "e" -> "enum";
                case "c" -> "composite";
                case "d" -> "domain";
                case "r" -> "range";
                default -> "base type";
            };
            long oid = rs.getLong(3);
            long array = rs.getLong(5);
            String source = "oid " + oid + (array != 0 ? ", array oid " + array : "");
            long[] target = targetOids.get(rs.getString(1) + "\u0000" + rs.getString(2));
            if (target == null) {
                unknown.add(name + " (" + kind + "): " + source + " on the source"
                        + (p.hasTarget() ? "; not on the target yet: it gets new OIDs when created" : ""));
            } else if (target[0] != oid || target[1] != array) {
                differ.add(name + " (" + kind + "): " + source + " on the source; oid " + target[0]
                        + (target[1] != 0 ? ", array oid " + target[1] : "") + " on the target");
            }
        });
        String why = "Type OIDs are assigned when a type is created: a restored or replicated schema gets new ones. "
                + "Applications and drivers that hard-code or cache type OIDs (custom codecs, binary protocols, "
                + "ORMs registering enum types at startup) decode these types wrongly or fail after the switch.";
        String whatToDo = "Look types up by name (e.g. 'schema.type'::regtype) instead of by OID, or refresh the "
                + "application's type cache (restart it) after cutover; tell the teams that own the applications which "
                + "types are concerned.";
        p.findings.add(CODE, Severity.WARNING, "User-defined types have other OIDs on the target", differ, why, whatToDo);
        p.findings.add(CODE, Severity.INFO, "User-defined types will get new OIDs on the target", unknown, why, whatToDo);
    }
}
