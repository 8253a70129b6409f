package io.pgverify;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.pgverify.internal.config.ByteSizes;
import io.pgverify.internal.config.Durations;

/**
 * Every setting of a verification, one row each: its key, type, default, bounds, environment variable and the one
 * sentence that describes it. {@link Verifier.Builder} validates every row in one place from its bounds, and the
 * command line generates its options, their help text ("Default: 1s. Environment: PGVERIFY_CHUNK_TIME.") and the
 * environment variables it reads from these rows, so a setting is defined once.
 *
 * <pre>{@code
 * Verifier.builder()
 *         .source(source).target(target)
 *         .fromEnvironment(System.getenv())        // PGVERIFY_THREADS=8, PGVERIFY_CHUNK_TIME=2s, ...
 *         .set(Setting.STATEMENT_TIMEOUT, "1h")    // text as people write it, parsed as the command line parses it
 *         .build();
 * }</pre>
 *
 * <p>Why a table: a setting used to be written five times (builder field and check, the internal settings record, the
 * picocli option, the mapping between them, and its default retyped in the help), and the copies drifted. pgjdbc keeps
 * one {@code PGProperty} row per connection property for the same reason; HikariCP validates each property in one
 * place and names it in the message. Here the message names the setting the way the person gave it: the builder
 * method ({@code threads}), the option ({@code --threads}) or the variable ({@code PGVERIFY_THREADS}).
 *
 * <p>The library never reads the environment on its own: an application embedding it decides, by calling
 * {@link Verifier.Builder#fromEnvironment}, whether {@code PGVERIFY_*} variables apply. The command line does, and a
 * flag wins over its variable.
 *
 * <p>Not rows, because they are objects rather than values a person types: the source and target (connection
 * settings or data sources, which the command line reads from {@code --source}/{@code PGVERIFY_SOURCE} with their
 * password rules), the progress listener and the executor.
 */
public enum Setting {

    INCLUDE(row(Type.PATTERNS, List.of()).label("PATTERN").defaultText("every table outside the system schemas")
            .describe("Verify only tables matching schema.table patterns, as psql's \\d reads them: * and ? are "
                    + "wildcards, unquoted names fold to lower case, \"Double Quotes\" keep case and make every "
                    + "character literal, a pattern without a dot matches the table in any schema. Repeatable, "
                    + "comma-separated.")),
    EXCLUDE(row(Type.PATTERNS, List.of()).label("PATTERN").defaultText("none")
            .describe("Leave out tables matching these patterns (as --include); wins over --include. Repeatable, "
                    + "comma-separated.")),
    CHECKS(row(Type.CHECKS, Collections.unmodifiableSet(EnumSet.allOf(CheckKind.class))).label("CHECK")
            .defaultText("all")
            .describe("The checks to run, comma-separated: schema, sequences, counts, last-rows, hashes.")),
    LAST_ROWS(row(Type.INTEGER, Verifier.DEFAULT_LAST_ROWS).between(1, 100_000)
            .describe("How many rows with the highest keys the last-rows check compares.")),
    THREADS(row(Type.INTEGER, Verifier.DEFAULT_THREADS).between(1, 64)
            .describe("Tables or key ranges compared at once; each holds one connection per side.")),
    CHUNK_ROWS(row(Type.LONG, Verifier.DEFAULT_CHUNK_ROWS).between(1_000, 100_000_000)
            .describe("About how many rows the smallest key range of the hash check holds; consecutive ranges are "
                    + "read at once while they fit in --chunk-time.")),
    CHUNK_TIME(row(Type.DURATION, Verifier.DEFAULT_CHUNK_TIME).between(0, Duration.ofHours(1).toMillis())
            .describe("About how long one read of a key range should take, measured as each table is read, e.g. "
                    + "500ms, 2s; 0 reads each range of --chunk-rows alone.")),
    STATEMENT_TIMEOUT(row(Type.DURATION, Verifier.DEFAULT_STATEMENT_TIMEOUT)
            .describe("The longest any one query may run, e.g. 90s, 30m, 1h30m, 500ms or ISO-8601 PT30M.")),
    LOCK_TIMEOUT(row(Type.DURATION, Verifier.DEFAULT_LOCK_TIMEOUT)
            .describe("The longest any query waits for a lock (never queue behind a migration's DDL for long).")),
    DEADLINE(row(Type.DURATION, null).label("DURATION").defaultText("none")
            .describe("Stop the whole verification after DURATION (e.g. 45m, to fit a maintenance window): its "
                    + "statements are cancelled on both servers and the report says what was not finished, which "
                    + "is incomplete (exit 3).")),
    MODE(row(Type.MODE, CompareMode.STREAM).label("MODE").method("compareMode")
            .describe("How the hash check moves rows: stream (every key range streamed from both sides and merged; "
                    + "fastest near the databases) or digest (each server digests its key ranges and only the digests "
                    + "cross the network; differing ranges are then streamed; for verifiers far from the databases).")),
    MAX_DIFFERENCES(row(Type.INTEGER, Verifier.DEFAULT_MAX_DIFFERENCES).between(1, 1_000_000)
            .method("maxDifferencesPerTable")
            .describe("How many differences are listed per table and check; all are counted.")),
    SOURCE_THREADS(row(Type.INTEGER, 0).between(0, 64).defaultText("--threads")
            .describe("At most N concurrent queries on the source (protects production); 0 for as many as "
                    + "--threads.")),
    TARGET_THREADS(row(Type.INTEGER, 0).between(0, 64).defaultText("--threads")
            .describe("At most N concurrent queries on the target; 0 for as many as --threads.")),
    MAX_ROWS_PER_SECOND(row(Type.LONG, 0L).between(0, Long.MAX_VALUE).defaultText("no limit")
            .describe("Read at most N rows per second from each side; 0 for no limit.")),
    MAX_BYTES_PER_SECOND(row(Type.SIZE, 0L).between(0, Long.MAX_VALUE).label("SIZE").defaultText("no limit")
            .describe("Read at most SIZE bytes of rows per second from each side (as binary COPY sends them), e.g. "
                    + "50MB or 64MiB (MB is 10^6 bytes, MiB 2^20); 0 for no limit. Both limits hold when both are "
                    + "given.")),
    RECHECK(row(Type.INTEGER, Verifier.DEFAULT_RECHECK).between(0, 100)
            .describe("Re-read a key range that differs up to N times before reporting it: differences that go "
                    + "away were rows in flight (replication lag).")),
    RECHECK_DELAY(row(Type.DURATION, Verifier.DEFAULT_RECHECK_DELAY)
            .describe("How long to wait before each recheck.")),
    WAIT_FOR_CATCHUP(row(Type.DURATION, null).label("TIMEOUT").defaultText("off").whenGivenAlone("10m")
            .describe("Before comparing, wait until the target has applied the source's current WAL position "
                    + "(logical replication), at most TIMEOUT (10m when given without a value); exit 3 if it does "
                    + "not. With writes stopped, this is the exact cutover gate.")),
    SLOT(row(Type.NAMES, List.of()).label("NAME").method("replicationSlots")
            .defaultText("the target's subscriptions' slots, else every logical slot of the source database")
            .describe("The source's logical replication slot(s) feeding the target, for --wait-for-catchup; "
                    + "repeatable, comma-separated.")),
    SNAPSHOT(row(Type.BOOLEAN, false)
            .describe("Read each side from one exported snapshot, so counts and rows are from one instant. Holds "
                    + "back vacuum while it runs: the progress line shows its age, and a warning is printed when it "
                    + "is held longer than --snapshot-age-warning.")),
    SNAPSHOT_AGE_WARNING(row(Type.DURATION, Verifier.DEFAULT_SNAPSHOT_AGE_WARNING)
            .describe("With --snapshot: warn when the snapshot is older than this.")),
    RETRIES(row(Type.INTEGER, Verifier.DEFAULT_RETRIES).between(0, 100)
            .describe("Retry work that failed transiently (connection lost, server restarted, query cancelled or "
                    + "timed out) up to N times with a doubling backoff.")),
    RETRY_BACKOFF(row(Type.DURATION, Verifier.DEFAULT_RETRY_BACKOFF)
            .describe("How long to wait before the first retry; each further retry waits twice as long.")),
    STATE(row(Type.FILE, null).label("FILE").method("stateFile").defaultText("off")
            .describe("Record verified key ranges in FILE; a rerun of an interrupted run with the same FILE skips "
                    + "ranges already verified as matching. FILE is bound to the databases, options and tables it "
                    + "verified; a finished run's FILE is verified again in full.")),
    FRESH(row(Type.BOOLEAN, false)
            .describe("With --state: verify everything again, ignoring what FILE records; a FILE of another "
                    + "verification is started anew, with a warning.")),
    ALLOW_SAME_DATABASE(row(Type.BOOLEAN, false)
            .describe("Verify even when the source and the target are the same database of the same server (or a "
                    + "primary and its own standby), which is otherwise refused: a database always matches itself.")),
    APPLICATION_NAME(row(Type.TEXT, Verifier.DEFAULT_APPLICATION_NAME).label("NAME")
            .describe("The application_name DBAs see in pg_stat_activity; one given in a URL wins."));

    /** What a setting holds, and so how its text is read and its bounds are checked. */
    public enum Type {
        /** An {@link Integer}: {@code 4}. */
        INTEGER(Integer.class, "N"),
        /** A {@link Long}: {@code 20000}. */
        LONG(Long.class, "N"),
        /** A {@link Long} of bytes: {@code 1048576}, {@code 50MB}, {@code 64MiB}. */
        SIZE(Long.class, "SIZE"),
        /** A {@link Duration}: {@code 90s}, {@code 1h30m}, {@code 500ms}, {@code PT30M}; bounds in milliseconds. */
        DURATION(Duration.class, "DURATION"),
        /** A {@link Boolean}: {@code true}/{@code false}, {@code on}/{@code off}, {@code yes}/{@code no}, 1/0. */
        BOOLEAN(Boolean.class, null),
        /** A {@code Set<CheckKind>}: {@code schema,counts}. */
        CHECKS(Set.class, "CHECK"),
        /** A {@code List<String>} of table patterns; the commas outside quotes are split when the filter is made. */
        PATTERNS(List.class, "PATTERN"),
        /** A {@code List<String>} of names: {@code slot_a,slot_b}. */
        NAMES(List.class, "NAME"),
        /** A {@link Path}. */
        FILE(Path.class, "FILE"),
        /** A {@link CompareMode}: {@code stream} or {@code digest}. */
        MODE(CompareMode.class, "MODE"),
        /** A {@link String}. */
        TEXT(String.class, "TEXT");

        private final Class<?> javaType;
        private final String label;

        Type(Class<?> javaType, String label) {
            this.javaType = javaType;
            this.label = label;
        }

        /** The class of this type's values. */
        public Class<?> javaType() {
            return javaType;
        }

        /** True for a setting given as several values, which may be given several times on the command line. */
        public boolean isList() {
            return this == CHECKS || this == PATTERNS || this == NAMES;
        }

        /** False for a switch, which is on when given without a value. */
        public boolean takesValue() {
            return this != BOOLEAN;
        }
    }

    private final String key;
    private final Type type;
    private final Object defaultValue;
    private final String defaultText;
    private final long min;
    private final long max;
    private final String paramLabel;
    private final String builderMethod;
    private final String whenGivenAlone;
    private final String description;

    Setting(Row row) {
        this.key = name().toLowerCase(Locale.ROOT).replace('_', '-');
        this.type = row.type;
        this.defaultValue = row.defaultValue;
        this.defaultText = row.defaultText != null ? row.defaultText : format(row.type, row.defaultValue);
        this.min = row.min;
        this.max = row.max;
        this.paramLabel = row.label != null ? row.label : row.type.label;
        this.builderMethod = row.method != null ? row.method : camelCase(key);
        this.whenGivenAlone = row.whenGivenAlone;
        this.description = row.description;
    }

    /** The setting's name: {@code chunk-time}. */
    public String key() {
        return key;
    }

    /** The command-line option: {@code --chunk-time}. */
    public String option() {
        return "--" + key;
    }

    /** The environment variable: {@code PGVERIFY_CHUNK_TIME}. */
    public String environmentVariable() {
        return "PGVERIFY_" + name();
    }

    /** The {@link Verifier.Builder} method that sets it: {@code chunkTime}. */
    public String builderMethod() {
        return builderMethod;
    }

    public Type type() {
        return type;
    }

    /** The default as {@link Type#javaType()}, or null when unset means off ({@link #WAIT_FOR_CATCHUP}, {@link #STATE}). */
    public Object defaultValue() {
        return defaultValue;
    }

    /** The default as help and docs print it: {@code 1s}, {@code 20000}, {@code no limit}. */
    public String defaultText() {
        return defaultText;
    }

    /** What the value is called in help: {@code N}, {@code DURATION}, {@code FILE}; null for a switch. */
    public String paramLabel() {
        return paramLabel;
    }

    /** The value an option given without one stands for ({@code --wait-for-catchup} is 10m), or null when it needs one. */
    public String valueWhenGivenAlone() {
        return whenGivenAlone;
    }

    /** One sentence (or two) for {@code --help} and the docs, without the default. */
    public String description() {
        return description;
    }

    /**
     * Reads a value as people write it, as {@link #type()} says.
     *
     * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION} and one sentence when the text is not one
     */
    public Object parse(String text) {
        String value = text.trim();
        return switch (type) {
            case INTEGER -> (int) parseWhole(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case LONG -> parseWhole(text, Long.MIN_VALUE, Long.MAX_VALUE);
            case SIZE -> ByteSizes.parse(text);
            case DURATION -> Durations.parse(text);
            case BOOLEAN -> switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "on", "yes", "1" -> Boolean.TRUE;
                case "false", "off", "no", "0" -> Boolean.FALSE;
                default -> throw invalid("'" + text + "' is not true or false.");
            };
            case CHECKS -> {
                Set<CheckKind> kinds = EnumSet.noneOf(CheckKind.class);
                for (String label : names(value)) {
                    kinds.add(CheckKind.fromLabel(label));
                }
                yield Collections.unmodifiableSet(kinds);
            }
            case PATTERNS -> value.isEmpty() ? List.of() : List.of(value);
            case NAMES -> names(value);
            case FILE -> {
                try {
                    yield Path.of(value);
                } catch (InvalidPathException e) {
                    throw invalid("'" + text + "' is not a file name.");
                }
            }
            case MODE -> {
                for (CompareMode mode : CompareMode.values()) {
                    if (mode.label().equalsIgnoreCase(value)) {
                        yield mode;
                    }
                }
                throw invalid("'" + text + "' is not a mode; use stream or digest.");
            }
            case TEXT -> text;
        };
    }

    /**
     * What is wrong with a value of this setting, as one sentence naming it as {@code name}, or null when it is
     * within the row's bounds (null, unset, always is).
     */
    String problem(Object value, String name) {
        if (value == null) {
            return null;
        }
        switch (type) {
            case INTEGER, LONG, SIZE -> {
                long number = ((Number) value).longValue();
                if (number < min || number > max) {
                    return outOfBounds(name, String.valueOf(min), String.valueOf(max), String.valueOf(number));
                }
            }
            case DURATION -> {
                Duration duration = (Duration) value;
                if (duration.compareTo(Duration.ofMillis(min)) < 0 || duration.compareTo(Duration.ofMillis(max)) > 0) {
                    return outOfBounds(name, Durations.format(Duration.ofMillis(min)),
                            Durations.format(Duration.ofMillis(max)), Durations.format(duration));
                }
            }
            case CHECKS -> {
                if (((Set<?>) value).isEmpty()) {
                    return name + " must name at least one check: schema, sequences, counts, last-rows or hashes.";
                }
            }
            default -> {
                // booleans, patterns (the table filter reads them), names, files, modes and text have no bounds
            }
        }
        return null;
    }

    private String outOfBounds(String name, String low, String high, String value) {
        if (max == Long.MAX_VALUE && min == 0) {
            return name + " must not be negative, not " + value + ".";
        }
        return name + " must be between " + low + " and " + high + ", not " + value + ".";
    }

    private static long parseWhole(String text, long low, long high) {
        try {
            long number = Long.parseLong(text.trim());
            if (number >= low && number <= high) {
                return number;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw invalid("'" + text + "' is not a whole number.");
    }

    private static List<String> names(String text) {
        List<String> names = new ArrayList<>();
        for (String name : text.split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        return List.copyOf(names);
    }

    private static String format(Type type, Object value) {
        if (value == null) {
            throw new IllegalStateException("A setting without a default needs a default text.");
        }
        return switch (type) {
            case DURATION -> Durations.format((Duration) value);
            case BOOLEAN -> (Boolean) value ? "on" : "off";
            case MODE -> ((CompareMode) value).label();
            default -> String.valueOf(value);
        };
    }

    private static String camelCase(String key) {
        StringBuilder name = new StringBuilder();
        for (String word : key.split("-")) {
            name.append(name.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return name.toString();
    }

    private static VerifyException invalid(String message) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    private static Row row(Type type, Object defaultValue) {
        return new Row(type, defaultValue);
    }

    /** A row as written above: named steps instead of ten positional arguments. */
    private static final class Row {
        private final Type type;
        private final Object defaultValue;
        private String defaultText;
        // Durations are never negative by default; numbers say their bounds with between().
        private long min;
        private long max = Long.MAX_VALUE;
        private String label;
        private String method;
        private String whenGivenAlone;
        private String description;

        private Row(Type type, Object defaultValue) {
            this.type = type;
            this.defaultValue = defaultValue;
        }

        Row between(long min, long max) {
            this.min = min;
            this.max = max;
            return this;
        }

        Row defaultText(String text) {
            this.defaultText = text;
            return this;
        }

        Row label(String label) {
            this.label = label;
            return this;
        }

        Row method(String method) {
            this.method = method;
            return this;
        }

        Row whenGivenAlone(String text) {
            this.whenGivenAlone = text;
            return this;
        }

        Row describe(String description) {
            this.description = description;
            return this;
        }
    }
}
