package io.pgverify.internal.read;

import static io.pgverify.internal.copy.CopyBytes.int4;
import static io.pgverify.internal.copy.CopyBytes.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.pgverify.Difference;
import io.pgverify.internal.compare.KeyCodec;
import io.pgverify.internal.compare.KeyLayout;
import io.pgverify.internal.compare.MergeSummary;
import io.pgverify.internal.compare.RowMerger;
import io.pgverify.internal.copy.BinaryCopyReader;
import io.pgverify.internal.copy.CopyBytes;

class DifferenceCollectorTest {

    /** An int4 key codec that counts how often a key is formatted into a string. */
    private static final class CountingCodec implements KeyCodec {
        private final KeyCodec int4 = KeyCodec.forType("int4");
        final AtomicInteger formatted = new AtomicInteger();

        @Override
        public int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
            return int4.compare(a, aOff, aLen, b, bOff, bLen);
        }

        @Override
        public String typeName() {
            return int4.typeName();
        }

        @Override
        public boolean collatable() {
            return false;
        }

        @Override
        public String format(byte[] buf, int off, int len) {
            formatted.incrementAndGet();
            return int4.format(buf, off, len);
        }
    }

    private final CountingCodec codec = new CountingCodec();
    private final KeyLayout layout = KeyLayout.builder().key("id", 0, codec).build();

    @Test
    void aRowPastTheCapIsCountedButItsKeyNeverFormatted() throws IOException {
        DifferenceBudget budget = DifferenceBudget.of(3);
        DifferenceCollector collector = collector(budget);
        // 10 rows, each differing in its value.
        MergeSummary summary = RowMerger.ascending(layout).merge(reader(rows(1, 10, "a")), reader(rows(1, 10, "b")), collector);

        assertThat(summary.different()).isEqualTo(10);
        assertThat(collector.count()).isEqualTo(10);
        assertThat(collector.kept()).extracting(Difference::keyText).containsExactly("(id=1)", "(id=2)", "(id=3)");
        assertThat(codec.formatted).as("keys formatted").hasValue(3);
        assertThat(budget.left()).isZero();
    }

    @Test
    void theCapIsSharedByEveryReadOfTheTable() throws IOException {
        DifferenceBudget budget = DifferenceBudget.of(5);
        DifferenceCollector first = collector(budget);
        DifferenceCollector second = collector(budget);
        RowMerger merger = RowMerger.ascending(layout);
        // Two key ranges of one table, every row missing on the target in the first and extra in the second.
        merger.merge(reader(rows(1, 4, "a")), reader(rows(1, 0, "a")), first);
        merger.merge(reader(rows(101, 0, "a")), reader(rows(101, 4, "a")), second);

        assertThat(first.kept()).hasSize(4);
        assertThat(second.kept()).hasSize(1);
        assertThat(first.count() + second.count()).isEqualTo(8);
        assertThat(codec.formatted).hasValue(5);
    }

    @Test
    void aFailedReadGivesBackWhatItTook() {
        DifferenceBudget budget = DifferenceBudget.of(2);
        DifferenceBudget.Lease failed = budget.lease();
        assertThat(failed.take()).isTrue();
        assertThat(failed.take()).isTrue();
        assertThat(budget.lease().take()).isFalse();
        failed.giveBack();
        assertThat(budget.left()).isEqualTo(2);
    }

    private static DifferenceCollector collector(DifferenceBudget budget) {
        return new DifferenceCollector(List.of("id"), field -> field == 0 ? "id" : "note", budget.lease(),
                DifferenceCollector.Pacing.NONE);
    }

    /** {@code count} rows from {@code first} on, each with the same note. */
    private static byte[] rows(int first, int count, String note) {
        CopyBytes copy = CopyBytes.header();
        for (int id = first; id < first + count; id++) {
            copy.row(int4(id), text(note));
        }
        return copy.trailer().toByteArray();
    }

    private static BinaryCopyReader reader(byte[] bytes) {
        return BinaryCopyReader.of(bytes, 0, bytes.length);
    }
}
