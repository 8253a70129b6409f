package io.pgverify.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets pgverify's log level before the first logger exists (slf4j-simple reads its configuration then) and routes
 * pgjdbc's java.util.logging through SLF4J, so that everything lands on stderr in one format.
 */
final class Logging {

    static final String PGVERIFY_LEVEL = "org.slf4j.simpleLogger.log.io.pgverify";

    private Logging() {
    }

    static void configure(boolean verbose, boolean quiet) {
        if (System.getProperty(PGVERIFY_LEVEL) == null && (verbose || quiet)) {
            System.setProperty(PGVERIFY_LEVEL, verbose ? "debug" : "warn");
        }
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        }
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
