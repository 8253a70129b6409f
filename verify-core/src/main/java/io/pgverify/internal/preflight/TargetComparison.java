package io.pgverify.internal.preflight;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import io.pgverify.PreflightFinding.Severity;

/** The source compared with the target: extensions, behaviour-changing settings, collations and their versions. */
final class TargetComparison {

    static final String EXTENSION_MISSING = "extension_missing_on_target";
    static final String EXTENSION_VERSION = "extension_version_differs";
    static final String SETTING = "setting_differs";
    static final String COLLATION_VERSION = "collation_version_differs";
    static final String COLLATION_MISSING = "collation_missing_on_target";

    private TargetComparison() {
    }

    static void extensions(Probe p) throws SQLException {
        Map<String, String> source = new TreeMap<>();
        Probe.query(p.source, "SELECT extname, extversion FROM pg_extension", rs -> source.put(rs.getString(1), rs.getString(2)));
        Map<String, String> installed = new HashMap<>();
        Probe.query(p.target, "SELECT extname, extversion FROM pg_extension", rs -> installed.put(rs.getString(1), rs.getString(2)));
        Map<String, String> available = new HashMap<>();
        Probe.query(p.target, "SELECT name, default_version FROM pg_available_extensions",
                rs -> available.put(rs.getString(1), rs.getString(2)));
        Set<String> availableVersions = new HashSet<>();
        Probe.query(p.target, "SELECT name, version FROM pg_available_extension_versions",
                rs -> availableVersions.add(rs.getString(1) + "\u0000" + rs.getString(2)));
        List<String> unavailable = new ArrayList<>();
        List<String> notCreated = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (Map.Entry<String, String> extension : source.entrySet()) {
            String name = extension.getKey();
            String version = extension.getValue();
            String there = installed.get(name);
            if (there != null) {
                if (!there.equals(version)) {
                    versions.add(name + ": " + version + " on the source, " + there + " on the target");
                }
            } else if (!available.containsKey(name)) {
                unavailable.add(name + " " + version + ": not available on the target server");
            } else {
                notCreated.add(name + " " + version + ": available on the target (default " + available.get(name)
                        + ") but not created in the target database");
                if (!availableVersions.contains(name + "\u0000" + version)) {
                    versions.add(name + ": " + version + " on the source; the target offers " + available.get(name)
                            + " and not " + version);
                }
            }
        }
        p.findings.add(EXTENSION_MISSING, Severity.BLOCKER, "Extensions the target server does not have", unavailable,
                "The restore (CREATE EXTENSION) fails, and so does every object that depends on the extension: "
                        + "columns of its types, indexes using its operator classes, functions calling it.",
                "Install the extension's package on the target server (managed services: check the provider's list of "
                        + "supported extensions), or remove the dependency from the source before the migration.");
        p.findings.add(EXTENSION_MISSING, p.method().replicates() ? Severity.WARNING : Severity.INFO,
                "Extensions not yet created in the target database", notCreated,
                p.method().replicates()
                        ? "Logical replication copies rows only: the schema, extensions included, must exist on the "
                                + "target before the subscription is created."
                        : "pg_restore creates them (it runs CREATE EXTENSION), if the restoring role may.",
                p.method().replicates()
                        ? "CREATE EXTENSION on the target (or restore the schema with pg_dump --schema-only) before "
                                + "subscribing."
                        : "Nothing, if the restore runs as a role allowed to create them.");
        p.findings.add(EXTENSION_VERSION, Severity.WARNING, "Extensions at another version on the target", versions,
                "Another extension version can change functions, types and behaviour the application relies on; a "
                        + "dump made with one version may not restore cleanly into another.",
                "Align the versions (ALTER EXTENSION ... UPDATE on the older side) or test the application against the "
                        + "target's version.");
    }

    private record Setting(String name, Severity severity, String why) {
    }

    private static final List<Setting> SETTINGS = List.of(
            new Setting("server_encoding", Severity.WARNING, "Text the source's encoding allows may not convert into the "
                    + "target's: the restore fails on such rows, or characters change."),
            new Setting("default collation", Severity.WARNING, "Text sorts and compares differently: ORDER BY results, "
                    + "range queries, and which values a unique index on text considers equal can change."),
            new Setting("default ctype", Severity.WARNING, "Upper and lower case, character classes and regular "
                    + "expressions behave differently."),
            new Setting("default collation provider", Severity.WARNING, "libc, ICU and builtin collations sort "
                    + "differently even for the same locale name."),
            new Setting("password_encryption", Severity.WARNING, "Passwords set on the target are hashed differently: "
                    + "with scram-sha-256, clients older than libpq 10 or pgJDBC 42.2.0 cannot log in."),
            new Setting("TimeZone", Severity.WARNING, "timestamptz values are shown, and date arithmetic and date_trunc "
                    + "computed, in another time zone for every session that does not set its own."),
            new Setting("DateStyle", Severity.INFO, "Dates are printed and parsed differently by sessions that do not set "
                    + "their own."),
            new Setting("IntervalStyle", Severity.INFO, "Intervals are printed differently."),
            new Setting("default_text_search_config", Severity.INFO, "Full-text search without an explicit configuration "
                    + "parses text differently."),
            new Setting("standard_conforming_strings", Severity.WARNING, "Backslashes in ordinary string literals mean "
                    + "something else."));

    /** Settings that change what applications see, as each database starts its sessions (config, database, role). */
    static void settings(Probe p) throws SQLException {
        Map<String, String> source = settings(p.source, p.sourceVersion);
        Map<String, String> target = settings(p.target, p.targetVersion);
        for (Setting setting : SETTINGS) {
            String before = source.get(setting.name());
            String after = target.get(setting.name());
            if (before == null || after == null) {
                p.findings.notChecked(SETTING, setting.name() + ": the driver sets it for its own sessions, and the "
                        + (before == null ? "source" : "target") + " server's default is in its configuration files, which "
                        + "only a superuser (or a role allowed to run pg_show_all_file_settings()) may read");
            } else if (!before.equals(after)) {
                p.findings.add(SETTING, setting.severity(), setting.name() + " differs on the target",
                        List.of(setting.name() + ": '" + before + "' on the source, '" + after + "' on the target"),
                        setting.why(),
                        "Decide which is right; set it on the target (ALTER DATABASE ... SET, or CREATE DATABASE with the "
                                + "source's ENCODING, LOCALE and LOCALE_PROVIDER before restoring), or test the application "
                                + "against the target's behaviour.");
            }
        }
    }

    /**
     * The value a session of this database starts with, as an application would see it: a database-level setting
     * (ALTER DATABASE ... SET), else the server's. The driver sends some settings (TimeZone, DateStyle) with every
     * connection, which hides the server's value from {@code reset_val}: then it is read from the configuration files
     * when this role may, and left unknown (null) otherwise.
     */
    private static Map<String, String> settings(Connection connection, int version) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> database = new HashMap<>();
        Probe.query(connection, "SELECT unnest(setconfig) FROM pg_db_role_setting WHERE setrole = 0 AND setdatabase = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database())", rs -> {
            String assignment = rs.getString(1);
            int equals = assignment.indexOf('=');
            if (equals > 0) {
                database.put(assignment.substring(0, equals).toLowerCase(java.util.Locale.ROOT), assignment.substring(equals + 1));
            }
        });
        boolean fileReadable = "t".equals(Probe.text(connection,
                "SELECT has_function_privilege('pg_show_all_file_settings()', 'EXECUTE')"));
        // pg_file_settings is for superusers only by default: without the privilege the column stays empty.
        String fromFile = fileReadable ? "(SELECT f.setting FROM pg_file_settings f WHERE lower(f.name) = lower(s.name) "
                + "AND f.applied ORDER BY f.seqno DESC LIMIT 1)" : "NULL::text";
        Probe.query(connection, "SELECT s.name, s.reset_val, s.source, s.boot_val, " + fromFile + " FROM pg_settings s "
                + "WHERE s.name IN ('password_encryption', 'TimeZone', 'DateStyle', 'IntervalStyle', "
                + "'default_text_search_config', 'standard_conforming_strings', 'server_encoding')",
                rs -> {
                    String name = rs.getString(1);
                    String value = database.get(name.toLowerCase(java.util.Locale.ROOT));
                    if (value == null) {
                        if (!"client".equals(rs.getString(3))) {
                            value = rs.getString(2);
                        } else if (fileReadable) {
                            value = rs.getString(5) != null ? rs.getString(5) : rs.getString(4);
                        }
                    }
                    values.put(name, value);
                });
        String provider = version >= 150000 ? "CASE datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin' "
                + "ELSE datlocprovider::text END" : "'libc'";
        String locale = version >= 170000 ? "datlocale" : version >= 150000 ? "daticulocale" : "NULL::text";
        Probe.query(connection, "SELECT datcollate, datctype, " + provider + ", " + locale
                + " FROM pg_database WHERE datname = current_database()", rs -> {
            String providerLocale = rs.getString(4);
            values.put("default collation", providerLocale != null ? providerLocale : rs.getString(1));
            values.put("default ctype", providerLocale != null ? providerLocale : rs.getString(2));
            values.put("default collation provider", rs.getString(3));
        });
        return values;
    }

    /**
     * Collations that the source's indexes use, with the version the source records or reports, against the version
     * the target's library reports for the same collation. A different version means a different sort order: an index
     * built under one and read under the other returns wrong results (the known corruption across OS upgrades).
     */
    static void collations(Probe p) throws SQLException {
        Map<String, String[]> used = new TreeMap<>(); // schema.name -> provider, source version, indexes
        Map<String, List<String>> indexes = new HashMap<>();
        Probe.query(p.source, """
                SELECT cn.nspname, co.collname, co.collprovider, coalesce(co.collversion, pg_collation_actual_version(co.oid)),
                       n.nspname, ic.relname, t.relname
                FROM pg_index i
                CROSS JOIN LATERAL unnest(i.indcollation::oid[]) AS u(coll)
                JOIN pg_collation co ON co.oid = u.coll
                JOIN pg_namespace cn ON cn.oid = co.collnamespace
                JOIN pg_class ic ON ic.oid = i.indexrelid
                JOIN pg_class t ON t.oid = i.indrelid
                JOIN pg_namespace n ON n.oid = ic.relnamespace
                WHERE co.collname NOT IN ('default', 'C', 'POSIX', 'ucs_basic')
                  AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                ORDER BY 1, 2, 5, 6""", rs -> {
            if (!p.settings.filter().matches(rs.getString(5), rs.getString(7))) {
                return; // an index lives in its table's schema
            }
            String key = rs.getString(1) + "\u0000" + rs.getString(2);
            used.putIfAbsent(key, new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
            List<String> list = indexes.computeIfAbsent(key, k -> new ArrayList<>());
            String index = Probe.display(rs.getString(5), rs.getString(6));
            if (!list.contains(index)) {
                list.add(index);
            }
        });
        List<String> differ = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String[]> entry : used.entrySet()) {
            String[] collation = entry.getValue();
            String name = Probe.display(collation[0], collation[1]);
            String[] target = new String[1];
            boolean[] found = new boolean[1];
            Probe.query(p.target, """
                    SELECT pg_collation_actual_version(co.oid) FROM pg_collation co
                    JOIN pg_namespace n ON n.oid = co.collnamespace WHERE n.nspname = ? AND co.collname = ?""", rs -> {
                found[0] = true;
                target[0] = rs.getString(1);
            }, collation[0], collation[1]);
            String usedBy = "used by " + String.join(", ", indexes.get(entry.getKey()));
            if (!found[0]) {
                missing.add(name + " (" + providerName(collation[2]) + "): " + usedBy);
            } else if (collation[3] != null && target[0] != null && !collation[3].equals(target[0])) {
                differ.add(name + " (" + providerName(collation[2]) + "): version " + collation[3] + " on the source, "
                        + target[0] + " on the target; " + usedBy);
            }
        }
        defaultCollation(p, differ);
        p.findings.add(COLLATION_MISSING, Severity.BLOCKER, "Collations the target does not have", missing,
                "Indexes and columns that name these collations cannot be created on the target: the restore or the "
                        + "schema copy fails for them.",
                "Create the collations on the target (CREATE COLLATION ... (provider = ..., locale = ...)) before the "
                        + "migration, or install the locale or ICU data the target lacks.");
        p.findings.add(COLLATION_VERSION, Severity.WARNING, "Collation versions differ between source and target", differ,
                "The C library or ICU on the target sorts text in another version of these collations. Indexes carried "
                        + "over as files (pg_upgrade, a physical copy, an operating-system upgrade) then return wrong "
                        + "results and can let duplicates into unique indexes: silent corruption. Indexes rebuilt on the "
                        + "target (restore, logical replication) are correct, but text sorts differently than on the source.",
                "Rebuild the listed indexes on the target (REINDEX INDEX CONCURRENTLY ...) if they were not built there, "
                        + "then ALTER COLLATION ... REFRESH VERSION (ALTER DATABASE ... REFRESH COLLATION VERSION for the "
                        + "default); check the application's sort-dependent behaviour.");
    }

    /** The database's default collation: its version is recorded from PostgreSQL 15 on. */
    private static void defaultCollation(Probe p, List<String> differ) throws SQLException {
        String locale = Probe.text(p.source, "SELECT datcollate FROM pg_database WHERE datname = current_database()");
        boolean versionFree = locale.equals("C") || locale.equals("POSIX") || locale.startsWith("C.");
        if (p.sourceVersion >= 150000) {
            String sql = "SELECT coalesce(datcollversion, pg_database_collation_actual_version(oid)), CASE datlocprovider "
                    + "WHEN 'c' THEN datcollate ELSE " + (p.sourceVersion >= 170000 ? "datlocale" : "daticulocale")
                    + " END FROM pg_database WHERE datname = current_database()";
            String[] source = new String[2];
            Probe.query(p.source, sql, rs -> {
                source[0] = rs.getString(1);
                source[1] = rs.getString(2);
            });
            if (p.targetVersion < 150000 || source[0] == null) {
                return;
            }
            String targetSql = "SELECT pg_database_collation_actual_version(oid), CASE datlocprovider WHEN 'c' THEN datcollate "
                    + "ELSE " + (p.targetVersion >= 170000 ? "datlocale" : "daticulocale") + " END FROM pg_database "
                    + "WHERE datname = current_database()";
            String[] target = new String[2];
            Probe.query(p.target, targetSql, rs -> {
                target[0] = rs.getString(1);
                target[1] = rs.getString(2);
            });
            // Another locale altogether is reported as a setting; only the same locale's version is compared here.
            if (Objects.equals(source[1], target[1]) && target[0] != null && !source[0].equals(target[0])) {
                differ.add("the database default collation " + source[1] + ": version " + source[0] + " on the source, "
                        + target[0] + " on the target; used by every text index without an explicit COLLATE");
            }
        } else if (!versionFree) {
            p.findings.notChecked(COLLATION_VERSION, "PostgreSQL " + p.sourceVersion / 10000 + " does not record the version "
                    + "of the database's default collation (" + locale + "); compare the C library (ldd --version) or ICU "
                    + "versions of the source and target hosts by hand");
        }
    }

    private static String providerName(String code) {
        return switch (code) {
            case "c" -> "libc";
            case "i" -> "icu";
            case "b" -> "builtin";
            default -> code;
        };
    }
}
