package io.pgverify.internal.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;

/**
 * Which tables to verify: {@code schema.table} patterns to include and exclude. System schemas are never selected.
 *
 * <p>The grammar is psql's and pg_dump's for {@code \d} and {@code -t}, so that a name copied from a report, a psql
 * session or a migration script selects what it names:
 * <ul>
 *   <li>a pattern is {@code schema.table}, or {@code table} alone for that table in any schema;</li>
 *   <li>unquoted parts fold to lower case, as PostgreSQL folds unquoted identifiers, and {@code *} and {@code ?}
 *       match any run of characters and any one character;</li>
 *   <li>double quotes keep case and make every character literal ({@code *}, {@code ?}, {@code .} and {@code ,}
 *       included); {@code ""} inside quotes is one quote. This is how reports print names
 *       ({@code sales."Mixed Case"});</li>
 *   <li>commas outside quotes separate patterns, so {@code "public.orders,sales.items"} is two.</li>
 * </ul>
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

    public static TableFilter of(List<String> includePatterns, List<String> excludePatterns) {
        List<String> description = new ArrayList<>();
        List<Pattern> includes = compile(includePatterns, "+", description);
        List<Pattern> excludes = compile(excludePatterns, "-", description);
        return new TableFilter(includes, excludes, List.copyOf(description));
    }

    public static TableFilter all() {
        return of(List.of(), List.of());
    }

    public boolean matches(String schema, String table) {
        if (isSystemSchema(schema)) {
            return false;
        }
        // A NUL cannot occur in an identifier, so it separates the parts without ambiguity, unlike a dot.
        String qualified = schema + '\0' + table;
        boolean included = includes.isEmpty() || includes.stream().anyMatch(p -> p.matcher(qualified).matches());
        return included && excludes.stream().noneMatch(p -> p.matcher(qualified).matches());
    }

    public static boolean isSystemSchema(String schema) {
        return schema.equals("information_schema") || schema.startsWith("pg_");
    }

    /** The patterns as given, one each, {@code +} included and {@code -} excluded, for logs. */
    public List<String> description() {
        return description;
    }

    private static List<Pattern> compile(List<String> lists, String sign, List<String> description) {
        List<Pattern> patterns = new ArrayList<>();
        for (String list : lists) {
            if (list == null) {
                throw emptyPattern();
            }
            for (String pattern : split(list)) {
                patterns.add(Pattern.compile(toRegex(pattern)));
                description.add(sign + pattern);
            }
        }
        return List.copyOf(patterns);
    }

    /** The comma-separated patterns of one argument, trimmed; a comma inside quotes belongs to the name. */
    static List<String> split(String list) {
        List<String> patterns = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                patterns.add(nonEmpty(current.toString().trim(), list));
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "The table pattern '" + list
                    + "' opens a double quote it does not close: close it, and write a quote inside a name as \"\".");
        }
        patterns.add(nonEmpty(current.toString().trim(), list));
        return patterns;
    }

    private static String nonEmpty(String pattern, String list) {
        if (pattern.isEmpty()) {
            throw list.isBlank() ? emptyPattern() : new VerifyException(ErrorCode.INVALID_CONFIGURATION,
                    "The table patterns '" + list + "' hold an empty one between commas: remove the extra comma.");
        }
        return pattern;
    }

    private static VerifyException emptyPattern() {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION,
                "An empty table pattern was given: use schema.table patterns such as public.* or *.orders.");
    }

    /** A regex over {@code schema NUL table}, from one pattern. */
    static String toRegex(String pattern) {
        List<StringBuilder> parts = new ArrayList<>();
        parts.add(new StringBuilder());
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            StringBuilder part = parts.get(parts.size() - 1);
            if (c == '"') {
                if (quoted && i + 1 < pattern.length() && pattern.charAt(i + 1) == '"') {
                    part.append(Pattern.quote("\""));
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (quoted) {
                part.append(Pattern.quote(String.valueOf(c)));
            } else if (c == '.') {
                parts.add(new StringBuilder());
            } else if (c == '*') {
                part.append("[^\\x00]*");
            } else if (c == '?') {
                part.append("[^\\x00]");
            } else {
                part.append(Pattern.quote(String.valueOf(c).toLowerCase(Locale.ROOT)));
            }
        }
        if (parts.size() > 2) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "The table pattern '" + pattern
                    + "' has more than one dot outside quotes: write schema.table, and quote a name that holds a dot.");
        }
        if (parts.size() == 2 && (parts.get(0).isEmpty() || parts.get(1).isEmpty())) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "The table pattern '" + pattern
                    + "' has an empty schema or table name: write schema.table, e.g. public.orders or public.*.");
        }
        String schema = parts.size() == 2 ? parts.get(0).toString() : "[^\\x00]*";
        return schema + "\\x00" + parts.get(parts.size() - 1);
    }
}
