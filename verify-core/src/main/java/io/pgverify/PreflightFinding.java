package io.pgverify;

import java.util.List;
import java.util.Objects;

/**
 * One thing the preflight found before a migration: what, how bad for the chosen method, which objects, why it matters
 * and what to do.
 *
 * @param code      a stable identifier a runbook can match on, e.g. {@code table_without_replica_identity} (the codes
 *                  are listed in {@code docs/preflight.md}); several findings may share a code
 * @param severity  how much it matters for the chosen {@link MigrationMethod}
 * @param title     one line for people
 * @param objects   the objects concerned, schema-qualified where they live in a schema, each with its detail
 * @param why       why it matters
 * @param whatToDo  what to do about it
 */
public record PreflightFinding(String code, Severity severity, String title, List<String> objects, String why,
                               String whatToDo) {

    /** How much a finding matters. */
    public enum Severity {
        /** The migration will fail or lose data unless this is dealt with first. */
        BLOCKER,
        /** The migration can go ahead, but this needs a plan (a step at cutover, a decision, a rebuild). */
        WARNING,
        /** Worth knowing; nothing has to be done for the chosen method. */
        INFO;

        /** Lower case, as in reports: {@code blocker}, {@code warning}, {@code info}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public PreflightFinding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(title, "title");
        objects = List.copyOf(objects);
        why = why == null ? "" : why;
        whatToDo = whatToDo == null ? "" : whatToDo;
    }
}
