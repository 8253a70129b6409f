package io.pgverify.internal.compare;

/** Placeholder until the hot path lands. */
public interface KeyCodec {
    int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen);

    String format(byte[] buf, int off, int len);

    boolean collatable();

    static KeyCodec forType(String typeName) {
        return null;
    }

    static KeyCodec text() {
        return null;
    }
}
