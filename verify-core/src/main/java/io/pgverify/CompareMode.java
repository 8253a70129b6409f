package io.pgverify;

/** How the hash check moves rows. */
public enum CompareMode {
    /**
     * Every key range is streamed from both sides and merged row by row: the fastest when the verifier is near the
     * databases, and it names the differing keys in the same pass.
     */
    STREAM,
    /**
     * Each side first computes a digest of every key range in SQL, over the same bytes binary COPY would send, and only
     * the digests cross the network; ranges whose digests differ are then streamed and merged to name the keys. For a
     * verifier far from the databases (another region, a VPN): much less traffic, more CPU on the servers.
     */
    DIGEST;

    /** The name used on the command line, e.g. {@code digest}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
