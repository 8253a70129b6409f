package io.pgverify.internal.compare;

import static io.pgverify.internal.copy.CopyBytes.int4;
import static io.pgverify.internal.copy.CopyBytes.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;

import io.pgverify.internal.copy.BinaryCopyReader;
import io.pgverify.internal.copy.CopyBytes;

class MultisetDigestTest {

    @Test
    void rowHasherIsGuavasMurmur3For128Bits() {
        Random random = new Random(11);
        RowHasher hasher = new RowHasher();
        for (int length = 0; length < 300; length++) {
            byte[] bytes = new byte[length + 10];
            random.nextBytes(bytes);
            int offset = random.nextInt(10);
            hasher.hash(bytes, offset, length);
            HashCode expected = Hashing.murmur3_128().hashBytes(bytes, offset, length);
            assertThat(hasher.low()).as("length %d", length).isEqualTo(expected.asLong());
            assertThat(hasher.high()).isEqualTo(Long.reverseBytes(Long.parseUnsignedLong(expected.toString().substring(16), 16)));
        }
    }

    @Test
    void orderDoesNotMatterButDuplicatesDo() throws IOException {
        byte[] abc = CopyBytes.header().row(int4(1), text("a")).row(int4(2), text("b")).row(int4(3), text("c"))
                .trailer().toByteArray();
        byte[] cab = CopyBytes.header().row(int4(3), text("c")).row(int4(1), text("a")).row(int4(2), text("b"))
                .trailer().toByteArray();
        byte[] aab = CopyBytes.header().row(int4(1), text("a")).row(int4(1), text("a")).row(int4(2), text("b"))
                .trailer().toByteArray();
        byte[] aabb = CopyBytes.header().row(int4(1), text("a")).row(int4(1), text("a")).row(int4(2), text("b"))
                .row(int4(2), text("b")).trailer().toByteArray();
        byte[] ab = CopyBytes.header().row(int4(1), text("a")).row(int4(2), text("b")).trailer().toByteArray();
        assertThat(digest(abc)).isEqualTo(digest(cab)).hasSameHashCodeAs(digest(cab));
        assertThat(digest(abc)).isNotEqualTo(digest(aab));
        // XOR would cancel the pairs and call these equal.
        assertThat(digest(aabb).hex()).isNotEqualTo(digest(ab).hex());
        assertThat(digest(abc).rows()).isEqualTo(3);
    }

    @Test
    void nullEmptyStringAndShiftedBoundariesDigestApart() throws IOException {
        byte[] empty = CopyBytes.header().row(text("")).trailer().toByteArray();
        byte[] nul = CopyBytes.header().row((byte[]) null).trailer().toByteArray();
        assertThat(digest(empty)).isNotEqualTo(digest(nul));
        byte[] split1 = CopyBytes.header().row(text("ab"), text("c")).trailer().toByteArray();
        byte[] split2 = CopyBytes.header().row(text("a"), text("bc")).trailer().toByteArray();
        assertThat(digest(split1)).isNotEqualTo(digest(split2));
    }

    @Test
    void digestsOfPartsAddUp() throws IOException {
        byte[] first = CopyBytes.header().row(int4(1)).row(int4(2)).trailer().toByteArray();
        byte[] second = CopyBytes.header().row(int4(3)).trailer().toByteArray();
        byte[] whole = CopyBytes.header().row(int4(2)).row(int4(3)).row(int4(1)).trailer().toByteArray();
        MultisetDigest parts = digest(first);
        parts.add(digest(second));
        assertThat(parts).isEqualTo(digest(whole));
        assertThat(parts.toString()).startsWith("3 rows, digest ").hasSize("3 rows, digest ".length() + 32);
        assertThat(new MultisetDigest()).isEqualTo(new MultisetDigest()).hasToString("0 rows, digest " + "0".repeat(32));
    }

    @Test
    void addsTheReadersCurrentRow() throws IOException {
        byte[] bytes = CopyBytes.header().row(int4(1)).row(int4(2)).trailer().toByteArray();
        MultisetDigest stepwise = new MultisetDigest();
        try (BinaryCopyReader reader = BinaryCopyReader.of(bytes, 0, bytes.length)) {
            while (reader.next()) {
                stepwise.add(reader);
            }
        }
        assertThat(stepwise).isEqualTo(digest(bytes));
    }

    private static MultisetDigest digest(byte[] bytes) throws IOException {
        MultisetDigest digest = new MultisetDigest();
        try (BinaryCopyReader reader = BinaryCopyReader.of(bytes, 0, bytes.length)) {
            digest.addAll(reader);
        }
        return digest;
    }
}
