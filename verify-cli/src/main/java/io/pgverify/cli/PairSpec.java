package io.pgverify.cli;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.pgverify.ConnectionSettings;
import io.pgverify.Setting;

/**
 * One source/target pair of a pairs file, as {@link PairsFile#read} resolved it: its URLs read (the environment
 * references substituted, secrets kept inside the {@link ConnectionSettings}), and its settings, the file's
 * {@code defaults:} overlaid by the pair's own keys. Part of the stable API of {@link PairsFile}.
 *
 * @param name      the pair's name, unique within its file
 * @param line      the line of the file where the pair starts, for messages
 * @param source    the source's connection settings (their {@code toString()} masks the password)
 * @param target    the target's connection settings
 * @param settings  the settings the file gives this pair, each with its text and where it was written
 */
public record PairSpec(String name, int line, ConnectionSettings source, ConnectionSettings target,
                       Map<Setting, Value> settings) {

    /**
     * A setting's text as written in the file, and where: {@code pairs.yaml line 12: threads}, which is how a
     * message about its value names it; {@code fromDefaults} when it comes from the file's {@code defaults:} rather
     * than the pair's own keys (a command-line flag wins over the first, not over the second).
     */
    public record Value(String text, String origin, boolean fromDefaults) {
        public Value {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(origin, "origin");
        }
    }

    public PairSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        settings = Map.copyOf(settings);
    }

    /** The text of a setting the file gives this pair, or null when it leaves it to the command line or default. */
    public String text(Setting setting) {
        Value value = settings.get(setting);
        return value == null ? null : value.text();
    }

    /** The include patterns the file gives this pair (comma-joined lists as the command line joins them), or none. */
    public List<String> include() {
        String text = text(Setting.INCLUDE);
        return text == null ? List.of() : List.of(text);
    }

    /** The exclude patterns the file gives this pair, or none. */
    public List<String> exclude() {
        String text = text(Setting.EXCLUDE);
        return text == null ? List.of() : List.of(text);
    }

    /**
     * What the pair is, without secrets: its name and each side's user, servers and database. Two lists of pairs
     * with the same identities are the same fleet; the plan digest is made of these, never of passwords.
     */
    public String identity() {
        return name + "\t" + side(source) + "\t" + side(target);
    }

    private static String side(ConnectionSettings settings) {
        return (settings.user() == null ? "" : settings.user()) + "@" + settings.endpoint() + "/" + settings.database();
    }
}
