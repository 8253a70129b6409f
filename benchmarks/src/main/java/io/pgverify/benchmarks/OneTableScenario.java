package io.pgverify.benchmarks;

/** A scenario of one table of {@code rows} rows on each side: what its name, table and row counts are. */
abstract class OneTableScenario implements Scenario {

    private final String name;
    protected final long rows;

    OneTableScenario(String name, long rows) {
        this.name = name;
        this.rows = rows;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int tables() {
        return 1;
    }

    @Override
    public final long rows() {
        return rows;
    }
}
