package io.pgverify.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scenarios {@code --scenario} names, at their full sizes (issue 9's) or, with {@code --quick}, scaled down so
 * that all the quick ones together take about two minutes in CI.
 */
final class Scenarios {

    /** Every name, in the order they run. */
    static final List<String> NAMES = List.of("pgbench", "text-key-icu", "many-tables", "wide-rows", "big-values",
            "no-key", "10k-tables");
    /** Run unless named: it takes minutes to load, and it is timed end to end only. */
    static final String NOT_BY_DEFAULT = "10k-tables";
    static final long PGBENCH_ROWS = 5_000_000;
    static final long PGBENCH_QUICK_ROWS = 50_000;

    private Scenarios() {
    }

    /**
     * The scenario of that name. {@code pgbenchRows} overrides pgbench's size when not null; {@code factor} scales
     * every other size (rows, or tables for the many-tables shapes).
     */
    static Scenario of(String name, boolean quick, Long pgbenchRows, double factor) {
        return switch (name) {
            case "pgbench" -> new PgbenchScenario(pgbenchRows != null ? pgbenchRows
                    : scale(quick ? PGBENCH_QUICK_ROWS : PGBENCH_ROWS, factor, 1_000));
            case "text-key-icu" -> new TextKeyScenario(scale(quick ? 100_000 : 2_000_000, factor, 1_000));
            case "many-tables" -> new TenantTablesScenario(name, tables(quick ? 200 : 2_000, factor), quick ? 50 : 500, true);
            case "wide-rows" -> new WideRowsScenario(scale(quick ? 20_000 : 300_000, factor, 1_000));
            case "big-values" -> new BigValuesScenario(scale(quick ? 2_000 : 20_000, factor, 100));
            case "no-key" -> new NoKeyScenario(scale(quick ? 100_000 : 2_000_000, factor, 1_000));
            case "10k-tables" -> new TenantTablesScenario(name, tables(quick ? 1_000 : 10_000, factor), 100, false);
            default -> throw new IllegalArgumentException("Unknown scenario '" + name + "': use one or more of "
                    + String.join(", ", NAMES) + ", or all");
        };
    }

    /** The names {@code --scenario} gave (in the order of {@link #NAMES}); none means all but 10k-tables. */
    static List<String> select(List<String> given) {
        if (given == null || given.isEmpty()) {
            return NAMES.stream().filter(n -> !n.equals(NOT_BY_DEFAULT)).toList();
        }
        List<String> wanted = new ArrayList<>();
        for (String name : given) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            if (trimmed.equals("all")) {
                return NAMES;
            }
            if (!NAMES.contains(trimmed)) {
                throw new IllegalArgumentException("Unknown scenario '" + name + "': use one or more of "
                        + String.join(", ", NAMES) + ", or all");
            }
            wanted.add(trimmed);
        }
        return NAMES.stream().filter(wanted::contains).toList();
    }

    private static long scale(long size, double factor, long minimum) {
        return Math.max(minimum, Math.round(size * factor));
    }

    private static int tables(int tables, double factor) {
        int per = TenantTablesScenario.TABLES_PER_TENANT;
        return (int) Math.max(per, Math.round(tables * factor / per) * per);
    }
}
