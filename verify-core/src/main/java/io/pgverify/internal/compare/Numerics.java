package io.pgverify.internal.compare;

/**
 * numeric's binary form: int16 ndigits, int16 weight, uint16 sign, uint16 dscale, then ndigits base-10000 digits,
 * the first multiplying 10000^weight. Ordered by value like cmp_numerics: 1.0 and 1.00 are equal keys although their
 * dscale, and so their bytes, differ; NaN sorts above everything, the infinities (PostgreSQL 14+) beyond all numbers.
 */
final class Numerics {

    private static final int POSITIVE = 0x0000;
    private static final int NEGATIVE = 0x4000;
    private static final int NAN = 0xC000;
    private static final int PLUS_INFINITY = 0xD000;
    private static final int MINUS_INFINITY = 0xF000;

    private static final int HEADER = 8;

    private Numerics() {
    }

    static int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        int aRank = rank(a, aOff, aLen);
        int bRank = rank(b, bOff, bLen);
        if (aRank != bRank) {
            return Integer.compare(aRank, bRank);
        }
        if (aRank == 1) {
            return -compareMagnitudes(a, aOff, b, bOff);
        }
        if (aRank == 3) {
            return compareMagnitudes(a, aOff, b, bOff);
        }
        return 0;
    }

    /** -infinity 0, negative 1, zero 2, positive 3, +infinity 4, NaN 5. */
    private static int rank(byte[] buf, int off, int len) {
        int ndigits = checkedDigitCount(buf, off, len);
        int sign = Bytes.readUnsignedShort(buf, off + 4);
        switch (sign) {
            case POSITIVE:
                return isZero(buf, off, ndigits) ? 2 : 3;
            case NEGATIVE:
                return isZero(buf, off, ndigits) ? 2 : 1;
            case NAN:
                return 5;
            case PLUS_INFINITY:
                return 4;
            case MINUS_INFINITY:
                return 0;
            default:
                throw new IllegalArgumentException("numeric with unknown sign 0x" + Integer.toHexString(sign));
        }
    }

    private static int checkedDigitCount(byte[] buf, int off, int len) {
        if (len < HEADER) {
            throw new IllegalArgumentException("numeric value of " + len + " bytes is shorter than its header");
        }
        int ndigits = Bytes.readShort(buf, off);
        if (ndigits < 0 || len != HEADER + 2 * ndigits) {
            throw new IllegalArgumentException("numeric value of " + len + " bytes claims " + ndigits + " digits");
        }
        return ndigits;
    }

    private static boolean isZero(byte[] buf, int off, int ndigits) {
        for (int i = 0; i < ndigits; i++) {
            if (digit(buf, off, i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static int digit(byte[] buf, int off, int i) {
        return Bytes.readShort(buf, off + HEADER + 2 * i);
    }

    /** Both non-zero. Leading zero digits are skipped, missing trailing digits count as zeros. */
    private static int compareMagnitudes(byte[] a, int aOff, byte[] b, int bOff) {
        int aDigits = Bytes.readShort(a, aOff);
        int bDigits = Bytes.readShort(b, bOff);
        int aFirst = 0;
        while (digit(a, aOff, aFirst) == 0) {
            aFirst++;
        }
        int bFirst = 0;
        while (digit(b, bOff, bFirst) == 0) {
            bFirst++;
        }
        int aWeight = Bytes.readShort(a, aOff + 2) - aFirst;
        int bWeight = Bytes.readShort(b, bOff + 2) - bFirst;
        if (aWeight != bWeight) {
            return Integer.compare(aWeight, bWeight);
        }
        int n = Math.max(aDigits - aFirst, bDigits - bFirst);
        for (int i = 0; i < n; i++) {
            int ad = aFirst + i < aDigits ? digit(a, aOff, aFirst + i) : 0;
            int bd = bFirst + i < bDigits ? digit(b, bOff, bFirst + i) : 0;
            if (ad != bd) {
                return Integer.compare(ad, bd);
            }
        }
        return 0;
    }

    /** Like numeric_out: the integer part, then exactly dscale fraction digits. */
    static String format(byte[] buf, int off, int len) {
        int ndigits = checkedDigitCount(buf, off, len);
        int weight = Bytes.readShort(buf, off + 2);
        int sign = Bytes.readUnsignedShort(buf, off + 4);
        int dscale = Bytes.readUnsignedShort(buf, off + 6);
        switch (sign) {
            case NAN:
                return "NaN";
            case PLUS_INFINITY:
                return "Infinity";
            case MINUS_INFINITY:
                return "-Infinity";
            default:
                break;
        }
        StringBuilder text = new StringBuilder(4 * (Math.max(weight, 0) + 1) + dscale + 2);
        if (sign == NEGATIVE) {
            text.append('-');
        }
        if (weight < 0) {
            text.append('0');
        } else {
            boolean leading = true;
            for (int d = 0; d <= weight; d++) {
                int dig = d < ndigits ? digit(buf, off, d) : 0;
                if (leading && dig == 0 && d < weight) {
                    continue;
                }
                KeyCodecs.appendPadded(text, dig, leading ? 1 : 4);
                leading = false;
            }
        }
        if (dscale > 0) {
            text.append('.');
            int end = text.length() + dscale;
            for (int d = weight + 1; text.length() < end; d++) {
                int dig = d >= 0 && d < ndigits ? digit(buf, off, d) : 0;
                KeyCodecs.appendPadded(text, dig, 4);
            }
            text.setLength(end);
        }
        return text.toString();
    }
}
