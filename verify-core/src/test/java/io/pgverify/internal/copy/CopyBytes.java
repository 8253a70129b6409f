package io.pgverify.internal.copy;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds binary COPY streams by hand, for tests and benchmarks: the field encoders follow PostgreSQL's send
 * functions, so a stream built here is what the server would send for the same values.
 */
public final class CopyBytes {

    private static final LocalDate POSTGRES_EPOCH = LocalDate.of(2000, 1, 1);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private CopyBytes() {
    }

    /** A stream with the standard header (no flags, no extension). */
    public static CopyBytes header() {
        return headerWith(0, new byte[0]);
    }

    public static CopyBytes headerWith(int flags, byte[] extension) {
        CopyBytes copy = new CopyBytes();
        copy.out.writeBytes(BinaryCopyReader.SIGNATURE);
        copy.writeInt(flags);
        copy.writeInt(extension.length);
        copy.out.writeBytes(extension);
        return copy;
    }

    /** One tuple; a null field is NULL. */
    public CopyBytes row(byte[]... fields) {
        out.writeBytes(tuple(fields));
        return this;
    }

    public CopyBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public CopyBytes trailer() {
        out.write(0xFF);
        out.write(0xFF);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /** A tuple's whole encoding: field count, then each field's length and bytes. */
    public static byte[] tuple(byte[]... fields) {
        ByteArrayOutputStream tuple = new ByteArrayOutputStream();
        tuple.write(fields.length >>> 8);
        tuple.write(fields.length);
        for (byte[] field : fields) {
            tuple.writeBytes(ByteBuffer.allocate(4).putInt(field == null ? -1 : field.length).array());
            if (field != null) {
                tuple.writeBytes(field);
            }
        }
        return tuple.toByteArray();
    }

    private void writeInt(int value) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(value).array());
    }

    public static byte[] int2(int value) {
        return ByteBuffer.allocate(2).putShort((short) value).array();
    }

    public static byte[] int4(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    public static byte[] int8(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    public static byte[] bool(boolean value) {
        return new byte[] {(byte) (value ? 1 : 0)};
    }

    public static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] uuid(UUID value) {
        return ByteBuffer.allocate(16).putLong(value.getMostSignificantBits()).putLong(value.getLeastSignificantBits()).array();
    }

    public static byte[] date(LocalDate value) {
        return int4((int) ChronoUnit.DAYS.between(POSTGRES_EPOCH, value));
    }

    /** timestamp, or timestamptz of a UTC wall-clock time. */
    public static byte[] timestamp(LocalDateTime value) {
        long seconds = value.toEpochSecond(ZoneOffset.UTC) - POSTGRES_EPOCH.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        return int8(Math.addExact(Math.multiplyExact(seconds, 1_000_000L), value.getNano() / 1000));
    }

    /** numeric_send of a decimal: the scale becomes dscale, so 1.0 and 1.00 encode differently. */
    public static byte[] numeric(String value) {
        switch (value) {
            case "NaN":
                return numericSpecial(0xC000);
            case "Infinity":
                return numericSpecial(0xD000);
            case "-Infinity":
                return numericSpecial(0xF000);
            default:
                break;
        }
        BigDecimal decimal = new BigDecimal(value);
        int dscale = Math.max(decimal.scale(), 0);
        BigDecimal abs = decimal.abs().setScale((dscale + 3) / 4 * 4, RoundingMode.UNNECESSARY);
        String plain = abs.toPlainString();
        int dot = plain.indexOf('.');
        String integer = dot < 0 ? plain : plain.substring(0, dot);
        String fraction = dot < 0 ? "" : plain.substring(dot + 1);
        integer = "0".repeat((4 - integer.length() % 4) % 4) + integer;
        List<Integer> digits = new ArrayList<>();
        for (int i = 0; i < integer.length(); i += 4) {
            digits.add(Integer.parseInt(integer.substring(i, i + 4)));
        }
        int weight = digits.size() - 1;
        for (int i = 0; i < fraction.length(); i += 4) {
            digits.add(Integer.parseInt(fraction.substring(i, i + 4)));
        }
        while (!digits.isEmpty() && digits.get(0) == 0) {
            digits.remove(0);
            weight--;
        }
        while (!digits.isEmpty() && digits.get(digits.size() - 1) == 0) {
            digits.remove(digits.size() - 1);
        }
        boolean negative = decimal.signum() < 0;
        if (digits.isEmpty()) {
            weight = 0;
        }
        ByteBuffer buffer = ByteBuffer.allocate(8 + 2 * digits.size());
        buffer.putShort((short) digits.size()).putShort((short) weight).putShort((short) (negative ? 0x4000 : 0))
                .putShort((short) dscale);
        digits.forEach(d -> buffer.putShort(d.shortValue()));
        return buffer.array();
    }

    private static byte[] numericSpecial(int sign) {
        return ByteBuffer.allocate(8).putShort((short) 0).putShort((short) 0).putShort((short) sign).putShort((short) 0).array();
    }
}
