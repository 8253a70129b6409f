package io.pgverify.internal.compare;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * The key codecs. Each follows the type's binary send function ({@code int4send}, {@code timestamp_send},
 * {@code numeric_send}, ...) and its btree comparison function in PostgreSQL's source.
 */
enum KeyCodecs implements KeyCodec {

    INT2("int2") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            checkLength(aLen, bLen, 2);
            return Short.compare(Bytes.readShort(a, aOff), Bytes.readShort(b, bOff));
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            checkLength(len, 2);
            return Short.toString(Bytes.readShort(buf, off));
        }
    },

    INT4("int4") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            checkLength(aLen, bLen, 4);
            return Integer.compare(Bytes.readInt(a, aOff), Bytes.readInt(b, bOff));
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            checkLength(len, 4);
            return Integer.toString(Bytes.readInt(buf, off));
        }
    },

    INT8("int8") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            checkLength(aLen, bLen, 8);
            return Long.compare(Bytes.readLong(a, aOff), Bytes.readLong(b, bOff));
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            checkLength(len, 8);
            return Long.toString(Bytes.readLong(buf, off));
        }
    },

    /** Unsigned: oids above 2^31 are common on long-lived clusters. */
    OID("oid") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            checkLength(aLen, bLen, 4);
            return Integer.compareUnsigned(Bytes.readInt(a, aOff), Bytes.readInt(b, bOff));
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            checkLength(len, 4);
            return Integer.toUnsignedString(Bytes.readInt(buf, off));
        }
    },

    BOOL("bool") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            checkLength(aLen, bLen, 1);
            return Boolean.compare(a[aOff] != 0, b[bOff] != 0);
        }

        /** {@code bool::text} spells the words out, unlike boolout's {@code t}/{@code f}. */
        @Override
        public String format(byte[] buf, int off, int len) {
            checkLength(len, 1);
            return buf[off] != 0 ? "true" : "false";
        }
    },

    /** {@code COLLATE "C"} compares the UTF-8 bytes unsigned, a shorter prefix first. */
    TEXT("text") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            return Arrays.compareUnsigned(a, aOff, aOff + aLen, b, bOff, bOff + bLen);
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            return new String(buf, off, len, StandardCharsets.UTF_8);
        }

        @Override
        public boolean collatable() {
            return true;
        }
    },

    VARCHAR("varchar") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            return TEXT.compare(a, aOff, aLen, b, bOff, bLen);
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            return TEXT.format(buf, off, len);
        }

        @Override
        public boolean collatable() {
            return true;
        }
    },

    NAME("name") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            return TEXT.compare(a, aOff, aLen, b, bOff, bLen);
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            return TEXT.format(buf, off, len);
        }

        @Override
        public boolean collatable() {
            return true;
        }
    },

    /**
     * char(n) arrives padded with spaces, but bpcharcmp ignores trailing spaces: {@code 'a\1'} sorts after
     * {@code 'a'} although {@code 'a  '} has a higher byte than {@code 'a\1 '}. The text form drops them too.
     */
    BPCHAR("bpchar") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            return Arrays.compareUnsigned(a, aOff, aOff + unpaddedLength(a, aOff, aLen),
                    b, bOff, bOff + unpaddedLength(b, bOff, bLen));
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            return new String(buf, off, unpaddedLength(buf, off, len), StandardCharsets.UTF_8);
        }

        @Override
        public boolean collatable() {
            return true;
        }
    },

    BYTEA("bytea") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            return Arrays.compareUnsigned(a, aOff, aOff + aLen, b, bOff, bOff + bLen);
        }

        /** The default {@code bytea_output = hex}. */
        @Override
        public String format(byte[] buf, int off, int len) {
            StringBuilder text = new StringBuilder(2 + 2 * len).append("\\x");
            Bytes.appendHex(text, buf, off, len);
            return text.toString();
        }
    },

    /** uuid_cmp is memcmp: the high bit makes a byte larger, not negative. */
    UUID("uuid") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            checkLength(aLen, bLen, 16);
            return Arrays.compareUnsigned(a, aOff, aOff + 16, b, bOff, bOff + 16);
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            checkLength(len, 16);
            StringBuilder text = new StringBuilder(36);
            Bytes.appendHex(text, buf, off, 4);
            Bytes.appendHex(text.append('-'), buf, off + 4, 2);
            Bytes.appendHex(text.append('-'), buf, off + 6, 2);
            Bytes.appendHex(text.append('-'), buf, off + 8, 2);
            Bytes.appendHex(text.append('-'), buf, off + 10, 6);
            return text.toString();
        }
    },

    /** Days since 2000-01-01; ±infinity are the int32 extremes and sort at the ends. */
    DATE("date") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            return INT4.compare(a, aOff, aLen, b, bOff, bLen);
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            checkLength(len, 4);
            int days = Bytes.readInt(buf, off);
            if (days == Integer.MAX_VALUE) {
                return "infinity";
            }
            if (days == Integer.MIN_VALUE) {
                return "-infinity";
            }
            StringBuilder text = new StringBuilder(16);
            LocalDate date = LocalDate.ofEpochDay(days + POSTGRES_EPOCH_DAY);
            appendDate(text, date);
            return appendEra(text, date).toString();
        }
    },

    /** Microseconds since 2000-01-01 00:00; ±infinity are the int64 extremes. */
    TIMESTAMP("timestamp") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            return INT8.compare(a, aOff, aLen, b, bOff, bLen);
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            return formatTimestamp(buf, off, len, "");
        }
    },

    /** Stored and sent in UTC, so it orders like timestamp; printed for TimeZone UTC. */
    TIMESTAMPTZ("timestamptz") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            return INT8.compare(a, aOff, aLen, b, bOff, bLen);
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            return formatTimestamp(buf, off, len, "+00");
        }
    },

    /** Microseconds since midnight, 24:00:00 included. */
    TIME("time") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            return INT8.compare(a, aOff, aLen, b, bOff, bLen);
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            checkLength(len, 8);
            return appendTime(new StringBuilder(15), Bytes.readLong(buf, off)).toString();
        }
    },

    NUMERIC("numeric") {
        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            return Numerics.compare(a, aOff, aLen, b, bOff, bLen);
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            return Numerics.format(buf, off, len);
        }
    };

    /** 2000-01-01 as days since 1970-01-01. */
    private static final long POSTGRES_EPOCH_DAY = 10_957;
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private final String typeName;

    KeyCodecs(String typeName) {
        this.typeName = typeName;
    }

    @Override
    public boolean collatable() {
        return false;
    }

    @Override
    public String typeName() {
        return typeName;
    }

    static KeyCodec forType(String typeName) {
        if (typeName == null) {
            return null;
        }
        for (KeyCodecs codec : values()) {
            if (codec.typeName.equals(typeName)) {
                return codec;
            }
        }
        return null;
    }

    private static void checkLength(int aLen, int bLen, int expected) {
        if (aLen != expected || bLen != expected) {
            throw new IllegalArgumentException("expected " + expected + "-byte values, got " + aLen + " and " + bLen);
        }
    }

    private static void checkLength(int len, int expected) {
        if (len != expected) {
            throw new IllegalArgumentException("expected a " + expected + "-byte value, got " + len);
        }
    }

    private static int unpaddedLength(byte[] buf, int off, int len) {
        while (len > 0 && buf[off + len - 1] == ' ') {
            len--;
        }
        return len;
    }

    private static String formatTimestamp(byte[] buf, int off, int len, String zone) {
        checkLength(len, 8);
        long micros = Bytes.readLong(buf, off);
        if (micros == Long.MAX_VALUE) {
            return "infinity";
        }
        if (micros == Long.MIN_VALUE) {
            return "-infinity";
        }
        // Split before shifting the epoch: adding 2000's offset to the largest timestamps would overflow.
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(micros, MICROS_PER_DAY) + POSTGRES_EPOCH_DAY);
        StringBuilder text = new StringBuilder(32);
        appendDate(text, date);
        appendTime(text.append(' '), Math.floorMod(micros, MICROS_PER_DAY));
        return appendEra(text.append(zone), date).toString();
    }

    /** ISO year-month-day; years before 1 AD are printed as their BC number by {@link #appendEra}. */
    private static void appendDate(StringBuilder text, LocalDate date) {
        int year = date.getYear();
        appendPadded(text, year > 0 ? year : 1 - year, 4);
        appendPadded(text.append('-'), date.getMonthValue(), 2);
        appendPadded(text.append('-'), date.getDayOfMonth(), 2);
    }

    private static StringBuilder appendEra(StringBuilder text, LocalDate date) {
        return date.getYear() > 0 ? text : text.append(" BC");
    }

    /** HH:MM:SS with the fraction only when non-zero and without trailing zeros, as PostgreSQL prints it. */
    private static StringBuilder appendTime(StringBuilder text, long microsOfDay) {
        long seconds = microsOfDay / MICROS_PER_SECOND;
        int fraction = (int) (microsOfDay % MICROS_PER_SECOND);
        appendPadded(text, seconds / 3600, 2);
        appendPadded(text.append(':'), seconds / 60 % 60, 2);
        appendPadded(text.append(':'), seconds % 60, 2);
        if (fraction != 0) {
            int digits = 6;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            appendPadded(text.append('.'), fraction, digits);
        }
        return text;
    }

    static void appendPadded(StringBuilder text, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            text.append('0');
        }
        text.append(digits);
    }
}
