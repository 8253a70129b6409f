package io.pgverify.embedded;

/** A source and a target database of the same name on the two test servers, fresh for one test. */
public final class DatabasePair {

    private final TestDatabase source;
    private final TestDatabase target;

    DatabasePair(TestDatabase source, TestDatabase target) {
        this.source = source;
        this.target = target;
    }

    public TestDatabase source() {
        return source;
    }

    public TestDatabase target() {
        return target;
    }

    /** Runs the same statements on the source and then on the target: the way tests build an identical copy. */
    public DatabasePair both(String... statements) {
        source.execute(statements);
        target.execute(statements);
        return this;
    }
}
