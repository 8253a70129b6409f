package io.pgverify.internal.shard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;

/**
 * A fleet planned once for {@code shards} processes ({@code pgverify plan --pairs FILE}): each pair of the pairs file,
 * by name and identity (users, servers, databases; never passwords), with its source's size as read at planning and the
 * shard it belongs to. Pairs are assigned largest first, each to the shard holding the fewest bytes so far, so that
 * shards finish together; a pair whose size could not be read weighs nothing and goes to the shard with fewest pairs.
 *
 * <pre>
 * {"format_version": 1, "kind": "pairs", "digest": "...", "shards": 8, "pairs_file": "/etc/pgverify/pairs.yaml",
 *  "pairs": [{"name": "shop", "identity": "...", "source_bytes": 123456, "shard": 3}, ...]}
 * </pre>
 */
public record PairPlanFile(int shards, String pairsFile, List<Pair> pairs) {

    /** One pair, its source's size in bytes (null when it could not be read) and its shard. */
    public record Pair(String name, String identity, Long sourceBytes, int shard) {
    }

    /** A pair to assign. */
    public record Sized(String name, String identity, Long sourceBytes) {
    }

    public PairPlanFile {
        pairs = List.copyOf(pairs);
    }

    public static PairPlanFile assign(int shards, String pairsFile, List<Sized> pairs) {
        if (pairs.size() < shards) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "The pairs file " + pairsFile + " lists "
                    + pairs.size() + " pair" + (pairs.size() == 1 ? "" : "s") + ", fewer than the " + shards
                    + " shards asked for: ask for at most " + Math.max(1, pairs.size()) + " shards (--shards).");
        }
        List<Sized> order = new ArrayList<>(pairs);
        order.sort(Comparator.comparingLong((Sized p) -> p.sourceBytes() == null ? -1 : p.sourceBytes()).reversed()
                .thenComparing(Sized::name));
        long[] bytes = new long[shards];
        int[] count = new int[shards];
        Map<String, Integer> shardOf = new LinkedHashMap<>();
        for (Sized pair : order) {
            int least = 0;
            for (int s = 1; s < shards; s++) {
                if (bytes[s] < bytes[least] || (bytes[s] == bytes[least] && count[s] < count[least])) {
                    least = s;
                }
            }
            shardOf.put(pair.name(), least);
            bytes[least] += pair.sourceBytes() == null ? 0 : pair.sourceBytes();
            count[least]++;
        }
        List<Pair> assigned = new ArrayList<>();
        for (Sized pair : pairs) {
            assigned.add(new Pair(pair.name(), pair.identity(), pair.sourceBytes(), shardOf.get(pair.name())));
        }
        return new PairPlanFile(shards, pairsFile, assigned);
    }

    private Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("format_version", (long) PlanFile.FORMAT_VERSION);
        body.put("kind", "pairs");
        body.put("shards", (long) shards);
        body.put("pairs_file", pairsFile);
        List<Object> list = new ArrayList<>();
        for (Pair pair : pairs) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", pair.name());
            p.put("identity", pair.identity());
            p.put("source_bytes", pair.sourceBytes());
            p.put("shard", (long) pair.shard());
            list.add(p);
        }
        body.put("pairs", list);
        return body;
    }

    public String digest() {
        return PlanFile.digestOf(body());
    }

    public String toJson() {
        return PlanFile.fileText(body());
    }

    public void write(Path file) {
        PlanFile.writeText(file, toJson());
    }

    /** The names of the pairs of one shard. */
    public List<String> pairsOf(int shard) {
        return pairs.stream().filter(p -> p.shard() == shard).map(Pair::name).toList();
    }

    /**
     * Whether {@code file} is a plan of pairs (else a plan of tables, or no plan, which {@link PlanFile#read} reports).
     */
    public static boolean isPairPlan(Path file) {
        try {
            Object json = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            return json instanceof Map<?, ?> map && "pairs".equals(map.get("kind"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static PairPlanFile read(Path file) {
        String text = PlanFile.text(file);
        PairPlanFile plan;
        Object recorded;
        try {
            Map<?, ?> json = (Map<?, ?>) Json.parse(text);
            if (!Long.valueOf(PlanFile.FORMAT_VERSION).equals(json.get("format_version"))) {
                throw invalid("The plan " + file + " has format_version " + json.get("format_version") + ", which this"
                        + " pgverify does not read: make the plan again with this version.");
            }
            recorded = json.get("digest");
            List<Pair> pairs = new ArrayList<>();
            for (Object item : (List<?>) json.get("pairs")) {
                Map<?, ?> pair = (Map<?, ?>) item;
                pairs.add(new Pair((String) pair.get("name"), (String) pair.get("identity"), (Long) pair.get("source_bytes"),
                        ((Long) pair.get("shard")).intValue()));
            }
            plan = new PairPlanFile(((Long) json.get("shards")).intValue(), (String) json.get("pairs_file"), pairs);
        } catch (VerifyException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid("The plan " + file + " is not a pgverify plan of pairs (" + e.getMessage() + "): write it again"
                    + " with 'pgverify plan --pairs'.");
        }
        if (!plan.digest().equals(recorded)) {
            throw invalid("The plan " + file + " was changed after it was written (its digest does not match its"
                    + " content): write it again with 'pgverify plan' rather than editing it.");
        }
        for (Pair pair : plan.pairs()) {
            if (pair.shard() < 0 || pair.shard() >= plan.shards()) {
                throw invalid("The plan " + file + " puts the pair " + pair.name() + " in no shard of its "
                        + plan.shards() + ": write it again with 'pgverify plan --pairs'.");
            }
        }
        return plan;
    }

    private static VerifyException invalid(String message) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
