package io.pgverify.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import io.pgverify.ConnectionSettings;
import io.pgverify.ErrorCode;
import io.pgverify.Setting;
import io.pgverify.Shard;
import io.pgverify.VerifyException;

/**
 * Reads a pairs file ({@code verify --pairs FILE}, {@code plan --pairs FILE}): YAML, or JSON, which YAML reads too.
 *
 * <pre>{@code
 * defaults:                 # optional: any verify option by its long name, for every pair
 *   threads: 2
 *   exclude: [audit.*]
 * pairs:
 *   - name: shop
 *     source: ${SHOP_SOURCE}                  # a URL, or ${VARIABLE}s taken from the environment
 *     target: postgresql://app@new-db/shop
 *     checks: [schema, counts, hashes]        # any option again: the pair's own value wins
 * }</pre>
 *
 * <p>Stable API, shared by {@code verify --pairs} and {@code plan --pairs}: {@link #read(Path, Map)},
 * {@link #digest(List, int)} and {@link #shard(List, Shard)}. Every problem with the file is a
 * {@link VerifyException} with {@link ErrorCode#INVALID_CONFIGURATION} (exit 2) and one sentence naming the file
 * and the line. Secrets stay in the environment: a resolved URL is never part of a message.
 */
public final class PairsFile {

    /** The keys of a pair besides the settings. */
    private static final Set<String> PAIR_KEYS = Set.of("name", "source", "target");

    /** {@code ${NAME}}: an environment variable's value. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Map<String, Setting> SETTINGS_BY_KEY = new HashMap<>();

    static {
        for (Setting setting : Setting.values()) {
            SETTINGS_BY_KEY.put(setting.key(), setting);
        }
    }

    private final String file;
    private final Map<String, String> env;

    private PairsFile(Path path, Map<String, String> env) {
        this.file = path.toString();
        this.env = env;
    }

    /**
     * The pairs of the file, in the order they are listed, with the file's defaults applied to each.
     *
     * @param env the environment: {@code ${VAR}} references, and libpq's variables ({@code PGHOST}, {@code PGPASSWORD},
     *            service files) that complete the URLs as psql would
     * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION}, naming the file and the line, when the file
     *                         cannot be read, is not YAML, has an unknown key, a bad value, a duplicate or missing
     *                         name, or refers to a variable that is not set
     */
    public static List<PairSpec> read(Path path, Map<String, String> env) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(env, "env");
        return new PairsFile(path, env).read(path);
    }

    /**
     * The digest that ties the shards of one run together: of the pairs' names and identities (users, servers and
     * databases, never passwords), in name order, and of the shard count. Every shard of a run computes the same
     * digest, and a report of another list or another count has another one.
     */
    public static String digest(List<PairSpec> pairs, int shardCount) {
        List<String> identities = new ArrayList<>();
        for (PairSpec pair : pairs) {
            identities.add(pair.identity());
        }
        identities.sort(Comparator.naturalOrder());
        StringBuilder text = new StringBuilder("pgverify pairs 1\n").append(shardCount).append('\n');
        for (String identity : identities) {
            text.append(identity).append('\n');
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /**
     * The pairs of one shard, in the file's order: the pairs sorted by name are dealt round-robin, so that every pair
     * is in exactly one shard whatever the order of the file, and the shards differ in size by one at most. (A plan
     * balances shards by the databases' sizes; this balances them by count.)
     */
    public static List<PairSpec> shard(List<PairSpec> pairs, Shard shard) {
        List<String> names = new ArrayList<>();
        for (PairSpec pair : pairs) {
            names.add(pair.name());
        }
        names.sort(Comparator.naturalOrder());
        Set<String> mine = new HashSet<>();
        for (int i = shard.index(); i < names.size(); i += shard.count()) {
            mine.add(names.get(i));
        }
        List<PairSpec> selected = new ArrayList<>();
        for (PairSpec pair : pairs) {
            if (mine.contains(pair.name())) {
                selected.add(pair);
            }
        }
        return List.copyOf(selected);
    }

    private List<PairSpec> read(Path path) {
        Node root;
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(reader);
        } catch (NoSuchFileException e) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "--pairs " + file
                    + ": no such file; check the path.");
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            throw problem(line, "not valid YAML or JSON (" + e.getProblem() + ")");
        } catch (YAMLException e) {
            throw problem(1, "not valid YAML or JSON (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "--pairs " + file + ": cannot read it ("
                    + e.getClass().getSimpleName() + "); check the path and its permissions.");
        }
        if (root == null) {
            throw problem(1, "the file is empty; list the pairs under 'pairs:'");
        }
        Map<String, NodeTuple> top = mapping(root, "the file", Set.of("defaults", "pairs"), "defaults and pairs");
        Map<Setting, PairSpec.Value> defaults = new EnumMap<>(Setting.class);
        NodeTuple defaultsEntry = top.get("defaults");
        if (defaultsEntry != null) {
            Node node = defaultsEntry.getValueNode();
            for (Map.Entry<String, NodeTuple> entry : mapping(node, "defaults", null, null).entrySet()) {
                Setting setting = setting(entry.getValue(), "defaults", false);
                if (setting == Setting.STATE) {
                    throw problem(entry.getValue().getKeyNode(),
                            "state cannot be a default, as each pair needs a state file of its own; give it per pair");
                }
                defaults.put(setting, value(setting, entry.getValue(), true));
            }
        }
        NodeTuple pairsEntry = top.get("pairs");
        if (pairsEntry == null) {
            throw problem(root, "there is no 'pairs:' list; list the pairs to verify under it");
        }
        Node pairsNode = pairsEntry.getValueNode();
        if (!(pairsNode instanceof SequenceNode sequence)) {
            throw problem(pairsNode, "'pairs' must be a list of pairs, each '- name: ..., source: ..., target: ...'");
        }
        if (sequence.getValue().isEmpty()) {
            throw problem(pairsNode, "'pairs' is empty; a fleet of no pairs proves nothing");
        }
        List<PairSpec> pairs = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node pairNode : sequence.getValue()) {
            PairSpec pair = pair(pairNode, defaults);
            Integer first = seen.putIfAbsent(pair.name(), pair.line());
            if (first != null) {
                throw problem(pair.line(), "the name '" + pair.name() + "' is used again (first on line " + first
                        + "); give each pair a name of its own");
            }
            pairs.add(pair);
        }
        return List.copyOf(pairs);
    }

    private PairSpec pair(Node node, Map<Setting, PairSpec.Value> defaults) {
        Map<String, NodeTuple> keys = mapping(node, "a pair", null, null);
        String name = required(node, keys, "name", null);
        if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
            throw problem(keys.get("name").getValueNode(), "a pair's name must be printable text, not blank");
        }
        Map<Setting, PairSpec.Value> settings = new EnumMap<>(Setting.class);
        settings.putAll(defaults);
        for (Map.Entry<String, NodeTuple> entry : keys.entrySet()) {
            if (!PAIR_KEYS.contains(entry.getKey())) {
                Setting setting = setting(entry.getValue(), "pair '" + name + "'", true);
                settings.put(setting, value(setting, entry.getValue(), false));
            }
        }
        ConnectionSettings source = side(node, keys, "source", name);
        ConnectionSettings target = side(node, keys, "target", name);
        return new PairSpec(name, line(node), source, target, settings);
    }

    private ConnectionSettings side(Node pair, Map<String, NodeTuple> keys, String side, String name) {
        String written = required(pair, keys, side, name);
        Node node = keys.get(side).getValueNode();
        String url = resolve(written, node, side, name);
        ConnectionSettings settings;
        try {
            settings = ConnectionSettings.parse(url, env);
        } catch (VerifyException e) {
            // The message may quote the URL: as written in the file, references unresolved, it holds no secret.
            throw problem(node, side + " of pair '" + name + "': " + stripPeriod(e.getMessage().replace(url, written)));
        }
        String password = env.get(Environment.PGPASSWORD);
        if (!settings.hasPassword() && password != null && !password.isEmpty()) {
            settings = settings.toBuilder().password(password).build();
        }
        return settings;
    }

    /** Substitutes every {@code ${VAR}}; an unset or empty variable is an error naming it, never a blank. */
    private String resolve(String written, Node node, String side, String name) {
        Matcher matcher = REFERENCE.matcher(written);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            if (!VARIABLE_NAME.matcher(variable).matches()) {
                throw problem(node, side + " of pair '" + name + "' refers to ${" + variable + "}, which is not a "
                        + "variable name (letters, digits and _)");
            }
            String value = env.get(variable);
            if (value == null || value.isEmpty()) {
                throw problem(node, side + " of pair '" + name + "' refers to ${" + variable + "}, which is not set; "
                        + "export it before running pgverify");
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    private String required(Node pair, Map<String, NodeTuple> keys, String key, String name) {
        NodeTuple entry = keys.get(key);
        String of = name == null ? "a pair" : "pair '" + name + "'";
        if (entry == null) {
            throw problem(pair, of + " has no '" + key + "'; every pair needs a name, a source and a target");
        }
        Node value = entry.getValueNode();
        if (!(value instanceof ScalarNode scalar) || scalar.getTag().equals(Tag.NULL)) {
            throw problem(value, "'" + key + "' of " + of + " must be one text value");
        }
        return scalar.getValue();
    }

    private Setting setting(NodeTuple entry, String where, boolean inPair) {
        String key = ((ScalarNode) entry.getKeyNode()).getValue();
        Setting setting = SETTINGS_BY_KEY.get(key);
        if (setting == null) {
            String known = inPair ? "name, source, target or a verify option such as include, exclude, checks, threads"
                    : "a verify option such as include, exclude, checks, threads";
            throw problem(entry.getKeyNode(), "unknown key '" + key + "' in " + where + "; use " + known
                    + " (without the leading --)");
        }
        return setting;
    }

    /** A setting's text: a scalar as written, a list joined with commas as repeated flags are. */
    private PairSpec.Value value(Setting setting, NodeTuple entry, boolean fromDefaults) {
        Node node = entry.getValueNode();
        String text;
        if (node instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL)) {
            text = scalar.getValue();
        } else if (node instanceof SequenceNode sequence && setting.type().isList()) {
            List<String> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                if (!(item instanceof ScalarNode scalar) || scalar.getTag().equals(Tag.NULL)) {
                    throw problem(item, setting.key() + " must be a list of text values");
                }
                items.add(scalar.getValue());
            }
            text = String.join(",", items);
        } else if (node instanceof ScalarNode) {
            throw problem(node, setting.key() + " has no value; give one or remove the key");
        } else {
            throw problem(node, setting.key() + " must be " + (setting.type().isList() ? "a value or a list of values"
                    : "one value"));
        }
        String origin = file + " line " + line(node) + ": " + setting.key();
        try {
            setting.parse(text);
        } catch (VerifyException e) {
            throw problem(node, setting.key() + ": " + stripPeriod(e.getMessage()));
        }
        return new PairSpec.Value(text, origin, fromDefaults);
    }

    /** A mapping's entries by key, in order; keys must be text, and, when {@code allowed} is given, one of them. */
    private Map<String, NodeTuple> mapping(Node node, String what, Set<String> allowed, String allowedText) {
        if (!(node instanceof MappingNode mapping)) {
            throw problem(node, what + " must be a mapping of keys to values");
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw problem(tuple.getKeyNode(), "a key in " + what + " must be text");
            }
            String name = key.getValue();
            if (allowed != null && !allowed.contains(name)) {
                throw problem(key, "unknown key '" + name + "' in " + what + "; use " + allowedText);
            }
            if (entries.putIfAbsent(name, tuple) != null) {
                throw problem(key, "the key '" + name + "' is given twice in " + what + "; keep one");
            }
        }
        return entries;
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    private VerifyException problem(Node node, String what) {
        return problem(line(node), what);
    }

    private VerifyException problem(int line, String what) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, file + ", line " + line + ": " + what + ".");
    }

    private static String stripPeriod(String message) {
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }
}
