package io.pgverify.internal.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IndexSizeCheckTest {

    @Test
    void theLimitIsBtreeVersion4sMaximumItemSize() {
        // The numbers PostgreSQL prints in "index row size ... exceeds btree version 4 maximum N".
        assertThat(IndexSizeCheck.btreeLimit(8192)).isEqualTo(2704);
        assertThat(IndexSizeCheck.btreeLimit(16384)).isEqualTo(5432);
        assertThat(IndexSizeCheck.btreeLimit(32768)).isEqualTo(10896);
    }
}
