package io.pgverify.embedded;

/** A JVM that starts a server and waits to be killed, for {@link StopOnExitIT}. */
public final class RunUntilKilled {

    private RunUntilKilled() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedPostgres server = EmbeddedPostgres.builder(args[0]).start();
        System.out.println("READY " + server.dataDirectory());
        System.out.flush();
        Thread.currentThread().join(); // until SIGTERM; the server is never closed by this code
    }
}
