package io.pgverify.internal.compare;

import static io.pgverify.internal.copy.CopyBytes.int4;
import static io.pgverify.internal.copy.CopyBytes.numeric;
import static io.pgverify.internal.copy.CopyBytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pgverify.DifferenceKind;
import io.pgverify.internal.copy.BinaryCopyReader;
import io.pgverify.internal.copy.CopyBytes;

class RowMergerTest {

    private static final KeyLayout ID = KeyLayout.builder().key("id", 0, KeyCodec.forType("int4")).build();

    @Test
    void identicalStreamsMatchEveryRow() throws IOException {
        byte[] rows = rows(1, 2, 3);
        Recorder recorder = new Recorder();
        MergeSummary summary = RowMerger.ascending(ID).merge(reader(rows), reader(rows), recorder);
        assertThat(summary).isEqualTo(new MergeSummary(3, 3, 3, 0, 0, 0));
        assertThat(summary.identical()).isTrue();
        assertThat(recorder.differences).isEmpty();
    }

    @Test
    void reportsMissingExtraAndDifferentRowsInKeyOrder() throws IOException {
        byte[] source = CopyBytes.header().row(int4(1), text("a")).row(int4(2), text("b")).row(int4(4), text("d"))
                .row(int4(6), text("f")).row(int4(7), text("g")).trailer().toByteArray();
        byte[] target = CopyBytes.header().row(int4(0), text("z")).row(int4(2), text("B")).row(int4(3), text("c"))
                .row(int4(4), text("d")).row(int4(6), null).trailer().toByteArray();
        Recorder recorder = new Recorder();
        MergeSummary summary = RowMerger.ascending(ID).merge(reader(source), reader(target), recorder);
        assertThat(summary).isEqualTo(new MergeSummary(5, 5, 1, 2, 2, 2));
        assertThat(summary.identical()).isFalse();
        assertThat(summary.differences()).isEqualTo(6);
        assertThat(recorder.differences).containsExactly(
                "EXTRA_ON_TARGET [0] []",
                "MISSING_ON_TARGET [1] []",
                "DIFFERENT [2] [1]",
                "EXTRA_ON_TARGET [3] []",
                "DIFFERENT [6] [1]",
                "MISSING_ON_TARGET [7] []");
    }

    @Test
    void emptySidesMakeEveryRowMissingOrExtra() throws IOException {
        byte[] empty = rows();
        assertThat(RowMerger.ascending(ID).merge(reader(rows(1, 2)), reader(empty), MergeListener.NONE))
                .isEqualTo(new MergeSummary(2, 0, 0, 2, 0, 0));
        assertThat(RowMerger.ascending(ID).merge(reader(empty), reader(rows(1, 2)), MergeListener.NONE))
                .isEqualTo(new MergeSummary(0, 2, 0, 0, 2, 0));
        assertThat(RowMerger.ascending(ID).merge(reader(empty), reader(empty), MergeListener.NONE).identical()).isTrue();
    }

    @Test
    void equalNumericKeysWithDifferentScalesAreTheSameRowWithADifferentValue() throws IOException {
        KeyLayout amount = KeyLayout.builder().key("amount", 0, KeyCodec.forType("numeric")).build();
        byte[] source = CopyBytes.header().row(numeric("1.0"), text("x")).row(numeric("2"), text("y")).trailer().toByteArray();
        byte[] target = CopyBytes.header().row(numeric("1.00"), text("x")).row(numeric("2"), text("y")).trailer().toByteArray();
        Recorder recorder = new Recorder();
        assertThat(RowMerger.ascending(amount).merge(reader(source), reader(target), recorder))
                .isEqualTo(new MergeSummary(2, 2, 1, 0, 0, 1));
        assertThat(recorder.differences).containsExactly("DIFFERENT [1.0] [0]");
    }

    @Test
    void compositeKeysCompareColumnByColumnWherePutInTheTuple() throws IOException {
        KeyLayout key = KeyLayout.builder().key("tenant", 2, KeyCodec.forType("text")).key("id", 0, KeyCodec.forType("int4"))
                .build();
        byte[] source = CopyBytes.header().row(int4(2), text("v"), text("a")).row(int4(1), text("v"), text("b"))
                .row(int4(2), text("v"), text("b")).trailer().toByteArray();
        byte[] target = CopyBytes.header().row(int4(2), text("v"), text("a")).row(int4(2), text("w"), text("b"))
                .trailer().toByteArray();
        Recorder recorder = new Recorder();
        assertThat(RowMerger.ascending(key).merge(reader(source), reader(target), recorder))
                .isEqualTo(new MergeSummary(3, 2, 1, 1, 0, 1));
        assertThat(recorder.differences).containsExactly("MISSING_ON_TARGET [b, 1] []", "DIFFERENT [b, 2] [1]");
    }

    @Test
    void outOfOrderSourceStopsTheMerge() {
        assertThatThrownBy(() -> RowMerger.ascending(ID).merge(reader(rows(1, 3, 2)), reader(rows(1, 2, 3)), MergeListener.NONE))
                .isInstanceOf(RowOrderException.class)
                .hasMessageContaining("Rows from the source are not in strictly ascending key order")
                .hasMessageContaining("row 3 has key (id=2), which is before the previous key (id=3)");
    }

    @Test
    void outOfOrderTargetStopsTheMergeEvenWhenTheSourceIsExhausted() {
        assertThatThrownBy(() -> RowMerger.ascending(ID).merge(reader(rows(1)), reader(rows(1, 5, 4)), MergeListener.NONE))
                .isInstanceOf(RowOrderException.class)
                .hasMessageContaining("Rows from the target")
                .hasMessageContaining("row 3 has key (id=4), which is before the previous key (id=5)");
    }

    @Test
    void aKeyRepeatedOnTheSourceStopsTheMerge() {
        assertThatThrownBy(() -> RowMerger.ascending(ID).merge(reader(rows(1, 2, 2)), reader(rows(1, 2)), MergeListener.NONE))
                .isInstanceOf(RowOrderException.class)
                .hasMessageContaining("(id=2), which equals the previous key (id=2)")
                .hasMessageContaining("not unique on the source");
    }

    @Test
    void aKeyRepeatedOnTheTargetIsAnExtraRow() throws IOException {
        // A target without the source's unique key can hold a key twice: the repeat is a row the source lacks.
        Recorder recorder = new Recorder();
        MergeSummary summary = RowMerger.ascending(ID).merge(reader(rows(1, 2, 3)), reader(rows(1, 2, 2, 2, 3)), recorder);
        assertThat(summary).isEqualTo(new MergeSummary(3, 5, 3, 0, 2, 0));
        assertThat(recorder.differences).containsExactly("EXTRA_ON_TARGET [2] []", "EXTRA_ON_TARGET [2] []");
        assertThatThrownBy(() -> RowMerger.ascending(ID).merge(reader(rows(1, 3)), reader(rows(1, 3, 2)), MergeListener.NONE))
                .as("out of order is still refused").isInstanceOf(RowOrderException.class);
    }

    @Test
    void orderIsCheckedWithTheCodecNotTheBytes() throws IOException {
        // Byte order would put -1 (0xffffffff) after 1; int4 order puts it first.
        assertThat(RowMerger.ascending(ID).merge(reader(rows(-1, 1)), reader(rows(-1, 1)), MergeListener.NONE).matched())
                .isEqualTo(2);
        assertThatThrownBy(() -> RowMerger.ascending(ID).merge(reader(rows(1, -1)), reader(rows(1, -1)), MergeListener.NONE))
                .isInstanceOf(RowOrderException.class);
    }

    @Test
    void descendingModeMergesStreamsReadWithOrderByDesc() throws IOException {
        Recorder recorder = new Recorder();
        MergeSummary summary = RowMerger.descending(ID).merge(reader(rows(9, 5, 3, -2)), reader(rows(9, 7, 3, -2)), recorder);
        assertThat(summary).isEqualTo(new MergeSummary(4, 4, 3, 1, 1, 0));
        assertThat(recorder.differences).containsExactly("EXTRA_ON_TARGET [7] []", "MISSING_ON_TARGET [5] []");
        assertThatThrownBy(() -> RowMerger.descending(ID).merge(reader(rows(1, 2)), reader(rows(2, 1)), MergeListener.NONE))
                .isInstanceOf(RowOrderException.class).hasMessageContaining("strictly descending");
    }

    @Test
    void nullKeysSortLastAscendingAndFirstDescending() throws IOException {
        byte[] ascending = CopyBytes.header().row(int4(1)).row((byte[]) null).trailer().toByteArray();
        assertThat(RowMerger.ascending(ID).merge(reader(ascending), reader(ascending), MergeListener.NONE).matched()).isEqualTo(2);
        byte[] descending = CopyBytes.header().row((byte[]) null).row(int4(1)).trailer().toByteArray();
        assertThat(RowMerger.descending(ID).merge(reader(descending), reader(descending), MergeListener.NONE).matched())
                .isEqualTo(2);
        Recorder recorder = new Recorder();
        RowMerger.ascending(ID).merge(reader(ascending), reader(rows(1)), recorder);
        assertThat(recorder.differences).containsExactly("MISSING_ON_TARGET [null] []");
        byte[] twoNulls = CopyBytes.header().row((byte[]) null).row((byte[]) null).trailer().toByteArray();
        assertThatThrownBy(() -> RowMerger.ascending(ID).merge(reader(twoNulls), reader(twoNulls), MergeListener.NONE))
                .isInstanceOf(RowOrderException.class).hasMessageContaining("(id=NULL), which equals the previous key (id=NULL)");
    }

    @Test
    void nullAndEmptyStringAreDifferentValues() throws IOException {
        byte[] source = CopyBytes.header().row(int4(1), text("")).trailer().toByteArray();
        byte[] target = CopyBytes.header().row(int4(1), null).trailer().toByteArray();
        Recorder recorder = new Recorder();
        RowMerger.ascending(ID).merge(reader(source), reader(target), recorder);
        assertThat(recorder.differences).containsExactly("DIFFERENT [1] [1]");
    }

    @Test
    void rejectsStreamsOfDifferentShapes() {
        byte[] twoFields = CopyBytes.header().row(int4(1), text("a")).trailer().toByteArray();
        assertThatThrownBy(() -> RowMerger.ascending(ID).merge(reader(rows(1)), reader(twoFields), MergeListener.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("source rows have 1 fields, target rows 2");
        KeyLayout third = KeyLayout.builder().key("c", 2, KeyCodec.text()).build();
        assertThatThrownBy(() -> RowMerger.ascending(third).merge(reader(twoFields), reader(twoFields), MergeListener.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fewer than the key");
    }

    @Test
    void reportsProgressAboutEveryTenThousandRows() throws IOException {
        int[] ids = new int[25_000];
        Arrays.setAll(ids, i -> i);
        byte[] rows = rows(ids);
        List<long[]> progress = new ArrayList<>();
        RowMerger.ascending(ID).merge(reader(rows), reader(rows), new MergeListener() {
            @Override
            public void onDifference(DifferenceKind kind, List<String> key, int[] differingFields) {
            }

            @Override
            public void onProgress(long sourceRows, long targetRows, long sourceBytes, long targetBytes) {
                progress.add(new long[] {sourceRows, targetRows, sourceBytes, targetBytes});
            }
        });
        assertThat(progress).hasSize(6);
        // A row of one int4: the field count, the field's length and its 4 bytes.
        assertThat(progress.get(0)).containsExactly(5001, 5001, 19 + 5001 * 10, 19 + 5001 * 10);
        // At the end: every byte of both streams, the 19-byte header and the 2-byte trailer included.
        assertThat(progress.get(5)).containsExactly(25_000, 25_000, rows.length, rows.length);
        assertThat(rows.length).isEqualTo(19 + 25_000 * 10 + 2);
    }

    @Test
    void reportsProgressThroughTheRowsOfOneSideOnly() throws IOException {
        int[] ids = new int[25_000];
        Arrays.setAll(ids, i -> i);
        List<long[]> progress = new ArrayList<>();
        RowMerger.ascending(ID).merge(reader(rows(ids)), reader(rows()), new MergeListener() {
            @Override
            public void onDifference(DifferenceKind kind, List<String> key, int[] differingFields) {
            }

            @Override
            public void onProgress(long sourceRows, long targetRows, long sourceBytes, long targetBytes) {
                progress.add(new long[] {sourceRows, targetRows});
            }
        });
        // A target that lost every row still paces the merge, so a rate limit holds while the source is read.
        assertThat(progress).hasSize(3);
        assertThat(progress.get(0)).containsExactly(10_001, 0);
        assertThat(progress.get(2)).containsExactly(25_000, 0);
    }

    @Test
    void keyLayoutRejectsMistakes() {
        assertThatThrownBy(() -> KeyLayout.builder().build()).hasMessageContaining("at least one column");
        assertThatThrownBy(() -> KeyLayout.builder().key("a", 0, KeyCodec.text()).key("b", 0, KeyCodec.text()))
                .hasMessageContaining("field 0 is already a key column");
        assertThatThrownBy(() -> KeyLayout.builder().key("a", 0, null)).hasMessageContaining("codec of key column a");
        assertThat(KeyLayout.builder().key("a", 3, KeyCodec.text()).build())
                .hasToString("KeyLayout[a#3 text]");
    }

    static byte[] rows(int... ids) {
        CopyBytes copy = CopyBytes.header();
        for (int id : ids) {
            copy.row(int4(id));
        }
        return copy.trailer().toByteArray();
    }

    static BinaryCopyReader reader(byte[] bytes) {
        return BinaryCopyReader.of(bytes, 0, bytes.length);
    }

    static final class Recorder implements MergeListener {
        final List<String> differences = new ArrayList<>();

        @Override
        public void onDifference(DifferenceKind kind, List<String> key, int[] differingFields) {
            differences.add(kind + " " + key + " " + Arrays.toString(differingFields));
        }
    }
}
