package io.pgverify.internal.compare;

import static io.pgverify.internal.copy.CopyBytes.int4;
import static io.pgverify.internal.copy.CopyBytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.pgverify.internal.copy.BinaryCopyReader;
import io.pgverify.internal.copy.CopyBytes;

class KeyBucketsTest {

    private static final int[] KEY = {1};

    @Test
    void bucketCountIsThePowerOfTwoThatGivesEachAboutTheWantedRows() {
        assertThat(KeyBuckets.bucketsFor(0, 20_000)).isEqualTo(1);
        assertThat(KeyBuckets.bucketsFor(20_000, 20_000)).isEqualTo(1);
        assertThat(KeyBuckets.bucketsFor(20_001, 20_000)).isEqualTo(2);
        assertThat(KeyBuckets.bucketsFor(5_000_000, 20_000)).isEqualTo(256);
        assertThat(KeyBuckets.bucketsFor(Long.MAX_VALUE / 2, 1_000)).isEqualTo(KeyBuckets.MAX_BUCKETS);
        assertThatThrownBy(() -> new KeyBuckets(KEY, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSameRowsInAnotherOrderFillTheSameBuckets() throws IOException {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            ids.add(i);
        }
        KeyBuckets inOrder = spread(rows(ids, -1, -1), 64);
        Collections.shuffle(ids, new Random(5));
        KeyBuckets shuffled = spread(rows(ids, -1, -1), 64);

        assertThat(inOrder.rows()).isEqualTo(2_000);
        assertThat(inOrder.differingBuckets(shuffled)).isEmpty();
        assertThat(inOrder.rowsIn(allBuckets(64))).isEqualTo(2_000);
    }

    @Test
    void aChangedValueOrAMissingRowMakesOnlyItsKeysBucketDiffer() throws IOException {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            ids.add(i);
        }
        KeyBuckets source = spread(rows(ids, -1, -1), 64);
        KeyBuckets changed = spread(rows(ids, 777, -1), 64);
        KeyBuckets missing = spread(rows(ids, -1, 1234), 64);

        assertThat(source.differingBuckets(changed)).hasSize(1);
        assertThat(source.differingBuckets(missing)).hasSize(1);
        assertThat(source.rowsIn(source.differingBuckets(missing)) - missing.rowsIn(source.differingBuckets(missing)))
                .isEqualTo(1);
    }

    /** Rows (id, 'k' || id) keyed by field 1, the text; one value changed and one row left out when asked. */
    private static byte[] rows(List<Integer> ids, int changed, int left) {
        CopyBytes copy = CopyBytes.header();
        for (int id : ids) {
            if (id != left) {
                copy.row(int4(id == changed ? -id : id), text("k" + id));
            }
        }
        return copy.trailer().toByteArray();
    }

    private static KeyBuckets spread(byte[] copy, int buckets) throws IOException {
        KeyBuckets spread = new KeyBuckets(KEY, buckets);
        BinaryCopyReader reader = BinaryCopyReader.of(copy, 0, copy.length);
        while (reader.next()) {
            spread.add(reader);
        }
        return spread;
    }

    private static List<Integer> allBuckets(int buckets) {
        List<Integer> all = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            all.add(b);
        }
        return all;
    }
}
