package io.pgverify.internal.compare;

import static io.pgverify.internal.copy.CopyBytes.int2;
import static io.pgverify.internal.copy.CopyBytes.int4;
import static io.pgverify.internal.copy.CopyBytes.int8;
import static io.pgverify.internal.copy.CopyBytes.numeric;
import static io.pgverify.internal.copy.CopyBytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.pgverify.internal.copy.CopyBytes;

class KeyCodecTest {

    @Test
    void integersOrderSigned() {
        assertStrictlyAscending("int2", int2(Short.MIN_VALUE), int2(-1), int2(0), int2(1), int2(Short.MAX_VALUE));
        assertStrictlyAscending("int4", int4(Integer.MIN_VALUE), int4(-256), int4(-1), int4(0), int4(255), int4(256),
                int4(Integer.MAX_VALUE));
        assertStrictlyAscending("int8", int8(Long.MIN_VALUE), int8(-1L << 32), int8(-1), int8(0), int8(1L << 32),
                int8(Long.MAX_VALUE));
        assertFormats("int4", int4(-42), "-42");
        assertFormats("int8", int8(Long.MIN_VALUE), "-9223372036854775808");
        assertFormats("int2", int2(-32768), "-32768");
    }

    @Test
    void oidsOrderUnsigned() {
        assertStrictlyAscending("oid", int4(0), int4(1), int4(Integer.MAX_VALUE), int4(Integer.MIN_VALUE), int4(-1));
        assertFormats("oid", int4(-1), "4294967295");
    }

    @Test
    void boolOrdersFalseFirstAndPrintsLikeACastToText() {
        assertStrictlyAscending("bool", CopyBytes.bool(false), CopyBytes.bool(true));
        assertFormats("bool", CopyBytes.bool(true), "true");
        assertFormats("bool", CopyBytes.bool(false), "false");
    }

    @Test
    void textOrdersByUnsignedUtf8BytesLikeCollateC() {
        for (String type : List.of("text", "varchar", "name")) {
            assertStrictlyAscending(type, text(""), text(" "), text("A"), text("Z"), text("a"), text("ab"), text("b"),
                    text("\u007f"), text("é"), text("é!"), text("€"), text("😀"));
            assertFormats(type, text("Grüße 😀"), "Grüße 😀");
            assertThat(KeyCodec.forType(type).collatable()).isTrue();
        }
        assertThat(KeyCodec.text().typeName()).isEqualTo("text");
        assertThat(KeyCodec.forType("int4").collatable()).isFalse();
    }

    @Test
    void bpcharIgnoresTrailingSpacesLikeBpcharcmp() {
        assertStrictlyAscending("bpchar", text("   "), text("a  "), text("a\u0001 "), text("ab "), text("é  "));
        assertEqualKeys("bpchar", text("a"), text("a  "));
        assertFormats("bpchar", text("ab  "), "ab");
        assertFormats("bpchar", text("    "), "");
    }

    @Test
    void byteaOrdersUnsignedAndPrintsHex() {
        assertStrictlyAscending("bytea", new byte[0], new byte[] {0}, new byte[] {0, 0}, new byte[] {1},
                new byte[] {0x7f}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xff});
        assertFormats("bytea", new byte[] {0, (byte) 0xab, 0x10}, "\\x00ab10");
    }

    @Test
    void uuidsOrderAsUnsignedBytes() {
        UUID low = UUID.fromString("00000000-0000-0000-0000-000000000000");
        UUID mid = UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff");
        UUID highBit = UUID.fromString("80000000-0000-0000-0000-000000000000");
        UUID lowHalfHigh = UUID.fromString("80000000-0000-0000-8000-000000000000");
        UUID max = UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff");
        assertStrictlyAscending("uuid", CopyBytes.uuid(low), CopyBytes.uuid(mid), CopyBytes.uuid(highBit),
                CopyBytes.uuid(lowHalfHigh), CopyBytes.uuid(max));
        UUID sample = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertFormats("uuid", CopyBytes.uuid(sample), sample.toString());
    }

    @Test
    void datesBeforeTwoThousandAreNegativeAndInfinitiesSortAtTheEnds() {
        assertStrictlyAscending("date", int4(Integer.MIN_VALUE), CopyBytes.date(LocalDate.of(-4712, 1, 1)),
                CopyBytes.date(LocalDate.of(0, 12, 31)), CopyBytes.date(LocalDate.of(1, 1, 1)),
                CopyBytes.date(LocalDate.of(1999, 12, 31)), CopyBytes.date(LocalDate.of(2000, 1, 1)),
                CopyBytes.date(LocalDate.of(5874897, 12, 31)), int4(Integer.MAX_VALUE));
        assertFormats("date", CopyBytes.date(LocalDate.of(1999, 12, 31)), "1999-12-31");
        assertFormats("date", CopyBytes.date(LocalDate.of(-43, 3, 15)), "0044-03-15 BC");
        assertFormats("date", CopyBytes.date(LocalDate.of(12345, 6, 7)), "12345-06-07");
        assertFormats("date", int4(Integer.MAX_VALUE), "infinity");
        assertFormats("date", int4(Integer.MIN_VALUE), "-infinity");
    }

    @Test
    void timestampsPrintIsoWithTrimmedFractions() {
        byte[] before2000 = CopyBytes.timestamp(LocalDateTime.of(1969, 7, 20, 20, 17, 40, 500_000_000));
        byte[] epoch = CopyBytes.timestamp(LocalDateTime.of(2000, 1, 1, 0, 0));
        byte[] micro = CopyBytes.timestamp(LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1000));
        byte[] bc = CopyBytes.timestamp(LocalDateTime.of(-43, 3, 15, 12, 0));
        for (String type : List.of("timestamp", "timestamptz")) {
            assertStrictlyAscending(type, int8(Long.MIN_VALUE), bc, before2000, epoch, micro, int8(Long.MAX_VALUE));
        }
        assertFormats("timestamp", before2000, "1969-07-20 20:17:40.5");
        assertFormats("timestamp", micro, "2000-01-01 00:00:00.000001");
        assertFormats("timestamp", bc, "0044-03-15 12:00:00 BC");
        assertFormats("timestamptz", CopyBytes.timestamp(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000)),
                "2024-01-02 03:04:05.123456+00");
        assertFormats("timestamptz", bc, "0044-03-15 12:00:00+00 BC");
        assertFormats("timestamptz", int8(Long.MAX_VALUE), "infinity");
        assertFormats("timestamp", int8(Long.MIN_VALUE), "-infinity");
        // 294276-12-31 23:59:59.999999, the largest timestamp: shifting its epoch naively overflows.
        assertFormats("timestamp", int8(9223371331199999999L), "294276-12-31 23:59:59.999999");
    }

    @Test
    void timesOrderByMicrosecondOfDay() {
        assertStrictlyAscending("time", int8(0), int8(1), int8(86_399_999_999L), int8(86_400_000_000L));
        assertFormats("time", int8(0), "00:00:00");
        assertFormats("time", int8(45_296_010_000L), "12:34:56.01");
        assertFormats("time", int8(86_400_000_000L), "24:00:00");
    }

    @Test
    void numericsOrderByValueWhateverTheirScale() {
        assertStrictlyAscending("numeric", numeric("-Infinity"), numeric("-100000000.5"), numeric("-10000"),
                numeric("-9999.9999"), numeric("-1"), numeric("-0.00001"), numeric("0"), numeric("0.00001"),
                numeric("0.0001"), numeric("0.5"), numeric("1"), numeric("1.00000001"), numeric("9999"),
                numeric("10000"), numeric("10000.0001"), numeric("123456789012345678901234567890"),
                numeric("Infinity"), numeric("NaN"));
        assertEqualKeys("numeric", numeric("1.0"), numeric("1.00"));
        assertEqualKeys("numeric", numeric("0"), numeric("0.000"));
        assertEqualKeys("numeric", numeric("NaN"), numeric("NaN"));
        assertThat(numeric("1.0")).isNotEqualTo(numeric("1.00"));
    }

    @Test
    void numericsCompareUnnormalizedDigitsByValue() {
        // 1 written as digits {0, 1} with weight 1 and as {1, 0} with weight 0: numeric_send never does, but could.
        byte[] leadingZero = {0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
        byte[] trailingZero = {0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
        assertEqualKeys("numeric", leadingZero, numeric("1"));
        assertEqualKeys("numeric", trailingZero, numeric("1"));
        byte[] negativeZero = {0, 1, 0, 0, 0x40, 0, 0, 0, 0, 0};
        assertEqualKeys("numeric", negativeZero, numeric("0"));
    }

    @Test
    void numericsPrintWithTheirDisplayScale() {
        for (String value : List.of("0", "0.00", "1.0", "1.00", "-1.5", "10000", "12345678.9", "0.00001", "-0.0001230",
                "100000000", "123456789012345678901234567890.123456789", "NaN", "Infinity", "-Infinity")) {
            assertFormats("numeric", numeric(value), value);
        }
    }

    @Test
    void rejectsValuesOfTheWrongLength() {
        KeyCodec int4 = KeyCodec.forType("int4");
        assertThatThrownBy(() -> int4.compare(int8(1), 0, 8, int4(1), 0, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 4-byte values, got 8 and 4");
        assertThatThrownBy(() -> KeyCodec.forType("numeric").format(new byte[] {0, 3, 0, 0, 0, 0, 0, 0}, 0, 8))
                .hasMessageContaining("claims 3 digits");
    }

    @Test
    void hasNoCodecForOtherTypes() {
        assertThat(KeyCodec.forType("float8")).isNull();
        assertThat(KeyCodec.forType("jsonb")).isNull();
        assertThat(KeyCodec.forType("integer")).isNull();
        assertThat(KeyCodec.forType(null)).isNull();
        for (String type : List.of("int2", "int4", "int8", "oid", "text", "varchar", "bpchar", "name", "uuid", "date",
                "timestamp", "timestamptz", "time", "bool", "numeric", "bytea")) {
            assertThat(KeyCodec.forType(type)).as(type).isNotNull().extracting(KeyCodec::typeName).isEqualTo(type);
        }
    }

    @Test
    void comparesValuesInsideLargerBuffers() {
        byte[] buffer = new byte[20];
        System.arraycopy(int4(-5), 0, buffer, 3, 4);
        System.arraycopy(int4(7), 0, buffer, 11, 4);
        assertThat(KeyCodec.forType("int4").compare(buffer, 3, 4, buffer, 11, 4)).isNegative();
        assertThat(KeyCodec.forType("int4").format(buffer, 11, 4)).isEqualTo("7");
    }

    /** Every pair, both ways round: the codec must be a total order consistent with the list. */
    static void assertStrictlyAscending(String type, byte[]... values) {
        KeyCodec codec = KeyCodec.forType(type);
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < values.length; j++) {
                int order = compare(codec, values[i], values[j]);
                assertThat(Integer.signum(order)).as("%s: %s vs %s", type, show(codec, values[i]), show(codec, values[j]))
                        .isEqualTo(Integer.signum(Integer.compare(i, j)));
            }
        }
    }

    private static void assertEqualKeys(String type, byte[] a, byte[] b) {
        KeyCodec codec = KeyCodec.forType(type);
        assertThat(compare(codec, a, b)).as("%s vs %s", Arrays.toString(a), Arrays.toString(b)).isZero();
        assertThat(compare(codec, b, a)).isZero();
    }

    private static void assertFormats(String type, byte[] value, String expected) {
        byte[] padded = new byte[value.length + 4];
        System.arraycopy(value, 0, padded, 2, value.length);
        assertThat(KeyCodec.forType(type).format(padded, 2, value.length)).isEqualTo(expected);
    }

    private static int compare(KeyCodec codec, byte[] a, byte[] b) {
        return codec.compare(a, 0, a.length, b, 0, b.length);
    }

    private static String show(KeyCodec codec, byte[] value) {
        try {
            return codec.format(value, 0, value.length);
        } catch (IllegalArgumentException e) {
            return Arrays.toString(value);
        }
    }
}
