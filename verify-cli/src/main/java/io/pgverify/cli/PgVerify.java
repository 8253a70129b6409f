package io.pgverify.cli;

/** The {@code pgverify} command. */
public final class PgVerify {

    private PgVerify() {
    }

    public static void main(String[] args) {
        System.out.println("pgverify: not yet");
    }
}
