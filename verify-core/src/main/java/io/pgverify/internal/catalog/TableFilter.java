package io.pgverify.internal.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;

/**
 * Which tables to verify: {@code schema.table} globs to include and exclude. System schemas are never selected.
 * A glob without a dot matches the table name in any schema.
 */
public final class TableFilter {

    private final List<Pattern> includes;
    private final List<Pattern> excludes;
    private final List<String> description;

    private TableFilter(List<Pattern> includes, List<Pattern> excludes, List<String> description) {
        this.includes = includes;
        this.excludes = excludes;
        this.description = description;
    }

    public static TableFilter of(List<String> includeGlobs, List<String> excludeGlobs) {
        List<String> description = new ArrayList<>();
        includeGlobs.forEach(g -> description.add("+" + g));
        excludeGlobs.forEach(g -> description.add("-" + g));
        return new TableFilter(compile(includeGlobs), compile(excludeGlobs), List.copyOf(description));
    }

    public static TableFilter all() {
        return of(List.of(), List.of());
    }

    public boolean matches(String schema, String table) {
        if (isSystemSchema(schema)) {
            return false;
        }
        String qualified = schema + "." + table;
        boolean included = includes.isEmpty() || includes.stream().anyMatch(p -> p.matcher(qualified).matches());
        return included && excludes.stream().noneMatch(p -> p.matcher(qualified).matches());
    }

    public static boolean isSystemSchema(String schema) {
        return schema.equals("information_schema") || schema.startsWith("pg_");
    }

    /** The globs as given, for logs. */
    public List<String> description() {
        return description;
    }

    private static List<Pattern> compile(List<String> globs) {
        List<Pattern> patterns = new ArrayList<>();
        for (String glob : globs) {
            if (glob == null || glob.isBlank()) {
                throw new VerifyException(ErrorCode.INVALID_CONFIGURATION,
                        "An empty table pattern was given: use schema.table globs such as public.* or *.orders.");
            }
            String trimmed = glob.trim();
            String full = trimmed.indexOf('.') < 0 ? "*." + trimmed : trimmed;
            patterns.add(Pattern.compile(globToRegex(full)));
        }
        return List.copyOf(patterns);
    }

    private static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
