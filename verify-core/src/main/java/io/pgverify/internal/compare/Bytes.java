package io.pgverify.internal.compare;

/** Big-endian reads, the network order of every binary send function. */
final class Bytes {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Bytes() {
    }

    static short readShort(byte[] b, int p) {
        return (short) ((b[p] << 8) | (b[p + 1] & 0xFF));
    }

    static int readUnsignedShort(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static int readInt(byte[] b, int p) {
        return (b[p] << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    static long readLong(byte[] b, int p) {
        return ((long) readInt(b, p) << 32) | (readInt(b, p + 4) & 0xFFFF_FFFFL);
    }

    static void appendHex(StringBuilder text, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            text.append(HEX[(b[i] >> 4) & 0xF]).append(HEX[b[i] & 0xF]);
        }
    }
}
