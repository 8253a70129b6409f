package io.pgverify;

import java.util.List;

/** The connection pools a {@link Verifier} or a {@link Preflight} created for itself, and so closes. */
final class OwnedResources {

    private OwnedResources() {
    }

    /** Closes each, even when one fails; the first failure is thrown with the others suppressed. */
    static void closeAll(List<AutoCloseable> owned) {
        RuntimeException failure = null;
        for (AutoCloseable closeable : owned) {
            try {
                closeable.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Could not close " + closeable, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
