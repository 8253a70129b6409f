package io.pgverify.internal.jdbc;

/** Which database a piece of work reads. */
public enum Side {
    SOURCE("source"),
    TARGET("target");

    private final String label;

    Side(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
