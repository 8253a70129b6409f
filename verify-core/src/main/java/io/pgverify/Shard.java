package io.pgverify;

import java.util.Objects;

/**
 * One share of work split over several processes, written {@code I/N}: share {@code index} of {@code count}, counted
 * from 0 as Kubernetes counts an Indexed Job's completions ({@code JOB_COMPLETION_INDEX}).
 *
 * @param index  which share, from 0 to {@code count - 1}
 * @param count  how many shares the work is split into, at least 1
 */
public record Shard(int index, int count) {

    public Shard {
        if (count < 1) {
            throw new IllegalArgumentException("A shard count must be at least 1, not " + count);
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("Shard " + index + " is not one of the " + count
                    + " shards: the index counts from 0 to " + (count - 1));
        }
    }

    /** All of the work in one share. */
    public static final Shard WHOLE = new Shard(0, 1);

    /**
     * Parses {@code I/N}, e.g. {@code 2/8}.
     *
     * @throws IllegalArgumentException naming what is wrong, in one sentence
     */
    public static Shard parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("A shard is written INDEX/COUNT, e.g. 0/8, not '" + text + "'");
        }
        int index;
        int count;
        try {
            index = Integer.parseInt(text.substring(0, slash).trim());
            count = Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("A shard is written INDEX/COUNT with whole numbers, e.g. 0/8, not '"
                    + text + "'");
        }
        return new Shard(index, count);
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
