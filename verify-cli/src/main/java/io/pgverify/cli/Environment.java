package io.pgverify.cli;

import java.util.Map;

/**
 * What the command reads from its surroundings: environment variables and whether a person is watching. Passed in, not
 * read where needed, so that tests drive every fallback in-process.
 *
 * @param variables   the environment variables
 * @param interactive true when stdout is a terminal ({@code System.console() != null}): colour and a live progress line
 */
record Environment(Map<String, String> variables, boolean interactive) {

    static final String SOURCE = "PGVERIFY_SOURCE";
    static final String TARGET = "PGVERIFY_TARGET";
    static final String SOURCE_PASSWORD = "PGVERIFY_SOURCE_PASSWORD";
    static final String TARGET_PASSWORD = "PGVERIFY_TARGET_PASSWORD";
    static final String PGPASSWORD = "PGPASSWORD";
    static final String NO_COLOR = "NO_COLOR";

    Environment {
        variables = Map.copyOf(variables);
    }

    static Environment system() {
        return new Environment(System.getenv(), System.console() != null);
    }

    /** The variable's value, or null when it is unset or empty. */
    String get(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** no-color.org: any non-empty NO_COLOR turns colour off. */
    boolean colorAllowed() {
        return interactive && get(NO_COLOR) == null;
    }
}
