package io.pgverify.internal.copy;

import static io.pgverify.internal.copy.CopyBytes.int4;
import static io.pgverify.internal.copy.CopyBytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BinaryCopyReaderTest {

    private static final byte[] TWO_ROWS = CopyBytes.header()
            .row(int4(1), text("one"), null)
            .row(int4(-2), text(""), text("x"))
            .trailer().toByteArray();

    @Test
    void readsFieldsNullsAndEmptyStrings() throws IOException {
        try (BinaryCopyReader reader = BinaryCopyReader.of(TWO_ROWS, 0, TWO_ROWS.length)) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.fieldCount()).isEqualTo(3);
            assertThat(field(reader, 0)).containsExactly(int4(1));
            assertThat(field(reader, 1)).containsExactly(text("one"));
            assertThat(reader.fieldLength(2)).isEqualTo(-1);
            assertThat(tuple(reader)).containsExactly(CopyBytes.tuple(int4(1), text("one"), null));

            assertThat(reader.next()).isTrue();
            assertThat(reader.fieldLength(1)).isZero();
            assertThat(field(reader, 2)).containsExactly(text("x"));
            assertThat(reader.next()).isFalse();
            assertThat(reader.next()).isFalse();
            assertThat(reader.rowsRead()).isEqualTo(2);
            assertThat(reader.bytesRead()).isEqualTo(TWO_ROWS.length);
            assertThat(reader.finished()).isTrue();
        }
    }

    @Test
    void tupleWindowTellsNullEmptyAndShiftedBoundariesApart() {
        assertThat(CopyBytes.tuple(text(""))).isNotEqualTo(CopyBytes.tuple((byte[]) null));
        assertThat(CopyBytes.tuple(text("ab"), text("c"))).isNotEqualTo(CopyBytes.tuple(text("a"), text("bc")));
    }

    @Test
    void readsAnEmptyTable() throws IOException {
        byte[] empty = CopyBytes.header().trailer().toByteArray();
        try (BinaryCopyReader reader = BinaryCopyReader.of(empty, 0, empty.length)) {
            assertThat(reader.next()).isFalse();
            assertThat(reader.rowsRead()).isZero();
        }
    }

    @Test
    void skipsTheHeaderExtensionAndIgnoresNonCriticalFlags() throws IOException {
        byte[] bytes = CopyBytes.headerWith(0x0000_0001, new byte[] {1, 2, 3}).row(int4(7)).trailer().toByteArray();
        assertThat(readAll(BinaryCopyReader.of(bytes, 0, bytes.length))).containsExactly(CopyBytes.tuple(int4(7)));
    }

    @Test
    void parsesTheSameRowsWhateverTheChunking() throws IOException {
        byte[] bytes = manyRows(200, new Random(42));
        List<byte[]> expected = readAll(BinaryCopyReader.of(bytes, 0, bytes.length));
        assertThat(expected).hasSize(200);
        for (int cut = 0; cut <= bytes.length; cut += 7) {
            List<byte[]> chunks = List.of(Arrays.copyOfRange(bytes, 0, cut), Arrays.copyOfRange(bytes, cut, bytes.length));
            assertThat(readAll(BinaryCopyReader.ofChunks(chunks))).as("cut at %d", cut).containsExactlyElementsOf(expected);
        }
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            List<byte[]> chunks = randomChunks(bytes, random, 1 + random.nextInt(40));
            assertThat(readAll(BinaryCopyReader.ofChunks(chunks))).containsExactlyElementsOf(expected);
            assertThat(readAll(BinaryCopyReader.of(trickle(bytes, random)))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void parsesOneChunkPerRowAsTheServerSendsThem() throws IOException {
        byte[] header = Arrays.copyOf(CopyBytes.header().toByteArray(), 19);
        List<byte[]> chunks = new ArrayList<>();
        chunks.add(concat(header, CopyBytes.tuple(int4(1))));
        chunks.add(CopyBytes.tuple(int4(2)));
        chunks.add(new byte[0]);
        chunks.add(new byte[] {-1, -1});
        assertThat(readAll(BinaryCopyReader.ofChunks(chunks))).containsExactly(CopyBytes.tuple(int4(1)), CopyBytes.tuple(int4(2)));
    }

    @Test
    void readsValuesLargerThanItsBufferFromTinyReads() throws IOException {
        byte[] big = new byte[300_000];
        new Random(1).nextBytes(big);
        byte[] bytes = CopyBytes.header().row(big, int4(1)).row(int4(2), big).trailer().toByteArray();
        List<byte[]> expected = List.of(CopyBytes.tuple(big, int4(1)), CopyBytes.tuple(int4(2), big));
        assertThat(readAll(BinaryCopyReader.of(new ByteArrayInputStream(bytes)))).containsExactlyElementsOf(expected);
        assertThat(readAll(BinaryCopyReader.ofChunks(randomChunks(bytes, new Random(3), 1000)))).containsExactlyElementsOf(expected);
    }

    @Test
    void wideRowsParseAlikeInOneMessagePerRowAndCutAnywhere() throws IOException {
        // Issue 9's wide rows: many fields, NULLs among them, the last one differing from row to row.
        CopyBytes stream = CopyBytes.header();
        List<byte[]> expected = new ArrayList<>();
        List<byte[]> messages = new ArrayList<>();
        for (int row = 0; row < 50; row++) {
            byte[][] fields = new byte[66][];
            for (int f = 0; f < 60; f++) {
                fields[f] = f % 7 == 3 ? null : f % 5 == 0 ? new byte[0] : int4(row * 100 + f);
            }
            fields[65] = int4(row);
            byte[] tuple = CopyBytes.tuple(fields);
            expected.add(tuple);
            messages.add(tuple);
            stream.raw(tuple);
        }
        byte[] bytes = stream.trailer().toByteArray();
        messages.set(0, concat(CopyBytes.header().toByteArray(), messages.get(0)));
        messages.add(new byte[] {-1, -1});
        assertThat(readAll(BinaryCopyReader.ofChunks(messages))).containsExactlyElementsOf(expected);
        assertThat(readAll(BinaryCopyReader.of(bytes, 0, bytes.length))).containsExactlyElementsOf(expected);
        Random random = new Random(11);
        for (int round = 0; round < 30; round++) {
            assertThat(readAll(BinaryCopyReader.ofChunks(randomChunks(bytes, random, 1 + random.nextInt(200)))))
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aLengthBeyondTheMessageIsReadOnOrRejected() {
        byte[] huge = CopyBytes.header().raw(new byte[] {0, 2, 0, 0, 0, 1, 7, 0x7f, -1, -1, -1, 1}).trailer().toByteArray();
        assertThatThrownBy(() -> readAll(BinaryCopyReader.of(huge, 0, huge.length)))
                .isInstanceOf(IOException.class).hasMessageContaining("field 1 claims");
        byte[] beyond = CopyBytes.header().raw(new byte[] {0, 1, 0, 0, 0, 9, 1, 2}).toByteArray();
        assertThatThrownBy(() -> readAll(BinaryCopyReader.of(beyond, 0, beyond.length)))
                .isInstanceOf(IOException.class).hasMessageContaining("the stream ended inside a tuple");
    }

    @Test
    void rejectsAStreamWithoutTheSignature() {
        byte[] text = "1\tone\n2\ttwo\n\\.\n".getBytes();
        assertThatThrownBy(() -> readAll(BinaryCopyReader.of(text, 0, text.length)))
                .isInstanceOf(IOException.class).hasMessageContaining("PGCOPY signature is missing");
    }

    @Test
    void rejectsOidsAndUnknownCriticalFlags() {
        byte[] oids = CopyBytes.headerWith(1 << 16, new byte[0]).trailer().toByteArray();
        assertThatThrownBy(() -> readAll(BinaryCopyReader.of(oids, 0, oids.length))).hasMessageContaining("OIDs");
        byte[] critical = CopyBytes.headerWith(1 << 20, new byte[0]).trailer().toByteArray();
        assertThatThrownBy(() -> readAll(BinaryCopyReader.of(critical, 0, critical.length)))
                .hasMessageContaining("unknown critical header flags 0x100000");
    }

    @Test
    void aTruncatedStreamIsAnErrorNeverAShortTable() {
        byte[] bytes = TWO_ROWS;
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> readAll(BinaryCopyReader.of(cut, 0, cut.length))).as("cut to %d bytes", length)
                    .isInstanceOf(IOException.class).hasMessageContaining("the stream ended inside");
            assertThatThrownBy(() -> readAll(BinaryCopyReader.of(new ByteArrayInputStream(cut))))
                    .isInstanceOf(IOException.class).hasMessageContaining("the stream ended inside");
        }
    }

    @Test
    void rejectsBytesAfterTheTrailer() {
        byte[] bytes = concat(TWO_ROWS, new byte[] {0});
        assertThatThrownBy(() -> readAll(BinaryCopyReader.of(bytes, 0, bytes.length))).hasMessageContaining("after the trailer");
        assertThatThrownBy(() -> readAll(BinaryCopyReader.of(new ByteArrayInputStream(bytes))))
                .hasMessageContaining("after the trailer");
        assertThatThrownBy(() -> readAll(BinaryCopyReader.ofChunks(List.of(TWO_ROWS, new byte[] {0, 1}))))
                .hasMessageContaining("2 bytes after the trailer");
    }

    @Test
    void rejectsImpossibleLengthsAndChangingFieldCounts() {
        byte[] badLength = CopyBytes.header().raw(new byte[] {0, 1, -1, -1, -1, -2}).trailer().toByteArray();
        assertThatThrownBy(() -> readAll(BinaryCopyReader.of(badLength, 0, badLength.length)))
                .hasMessageContaining("field 0 has length -2");
        byte[] changing = CopyBytes.header().row(int4(1)).row(int4(1), int4(2)).trailer().toByteArray();
        assertThatThrownBy(() -> readAll(BinaryCopyReader.of(changing, 0, changing.length)))
                .hasMessageContaining("after 1 rows").hasMessageContaining("tuple has 2 fields, expected 1");
        byte[] oneField = CopyBytes.header().row(int4(1)).trailer().toByteArray();
        assertThatThrownBy(() -> readAll(BinaryCopyReader.of(oneField, 0, oneField.length).expectFieldCount(2)))
                .hasMessageContaining("tuple has 1 fields, expected 2");
        byte[] negativeCount = CopyBytes.header().raw(new byte[] {-1, -2}).trailer().toByteArray();
        assertThatThrownBy(() -> readAll(BinaryCopyReader.of(negativeCount, 0, negativeCount.length)))
                .hasMessageContaining("negative field count");
    }

    @Test
    void closesTheStream() throws IOException {
        boolean[] closed = {false};
        InputStream in = new FilterInputStream(new ByteArrayInputStream(TWO_ROWS)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        try (BinaryCopyReader reader = BinaryCopyReader.of(in)) {
            assertThat(reader.next()).isTrue();
        }
        assertThat(closed[0]).isTrue();
    }

    @Test
    void fieldIndexesAreChecked() throws IOException {
        try (BinaryCopyReader reader = BinaryCopyReader.of(TWO_ROWS, 0, TWO_ROWS.length)) {
            reader.next();
            assertThatThrownBy(() -> reader.fieldLength(3)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    static byte[] manyRows(int rows, Random random) {
        CopyBytes copy = CopyBytes.header();
        for (int i = 0; i < rows; i++) {
            byte[] value = new byte[random.nextInt(60)];
            random.nextBytes(value);
            copy.row(int4(i), random.nextInt(5) == 0 ? null : value, text("row " + i));
        }
        return copy.trailer().toByteArray();
    }

    static List<byte[]> readAll(BinaryCopyReader reader) throws IOException {
        List<byte[]> tuples = new ArrayList<>();
        try (reader) {
            while (reader.next()) {
                tuples.add(tuple(reader));
                for (int i = 0; i < reader.fieldCount(); i++) {
                    assertThat(reader.fieldOffset(i)).isBetween(reader.tupleOffset(), reader.tupleOffset() + reader.tupleLength());
                }
            }
        }
        return tuples;
    }

    private static byte[] tuple(BinaryCopyReader reader) {
        return Arrays.copyOfRange(reader.tupleBuffer(), reader.tupleOffset(), reader.tupleOffset() + reader.tupleLength());
    }

    private static byte[] field(BinaryCopyReader reader, int i) {
        return Arrays.copyOfRange(reader.tupleBuffer(), reader.fieldOffset(i), reader.fieldOffset(i) + reader.fieldLength(i));
    }

    private static List<byte[]> randomChunks(byte[] bytes, Random random, int maxChunk) {
        List<byte[]> chunks = new ArrayList<>();
        for (int p = 0; p < bytes.length; ) {
            int n = Math.min(bytes.length - p, random.nextInt(maxChunk + 1));
            chunks.add(Arrays.copyOfRange(bytes, p, p + n));
            p += n;
        }
        return chunks;
    }

    /** Hands out a few bytes per read, as a slow socket does. */
    private static InputStream trickle(byte[] bytes, Random random) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(13)));
            }
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
