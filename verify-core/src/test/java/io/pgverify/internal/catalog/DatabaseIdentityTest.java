package io.pgverify.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseIdentityTest {

    private static DatabaseIdentity identity(String system, long oid, String address, int port) {
        return new DatabaseIdentity(system.equals("?") ? null : system, oid, "shop", address.equals("socket") ? null : address, port);
    }

    /** The system identifier and OID decide; without both identifiers, only an address, port and OID in common. */
    @ParameterizedTest(name = "{0} {1} {2}:{3} vs {4} {5} {6}:{7} -> {8}")
    @CsvSource({
            // Same cluster and database whatever the address (a standby, another interface, a socket).
            "7001, 16384, 10.0.0.1, 5432, 7001, 16384, 10.0.0.2, 5433, true",
            "7001, 16384, socket, 5432, 7001, 16384, 10.0.0.2, 5432, true",
            // Another database of the same cluster, or the same OID in another cluster.
            "7001, 16384, 10.0.0.1, 5432, 7001, 16385, 10.0.0.1, 5432, false",
            "7001, 16384, 10.0.0.1, 5432, 7002, 16384, 10.0.0.1, 5432, false",
            // No system identifier: the address, port and OID must all be known and equal.
            "?, 16384, 10.0.0.1, 5432, ?, 16384, 10.0.0.1, 5432, true",
            "?, 16384, 10.0.0.1, 5432, 7001, 16384, 10.0.0.1, 5432, true",
            "?, 16384, 10.0.0.1, 5432, ?, 16384, 10.0.0.1, 5433, false",
            "?, 16384, socket, 5432, ?, 16384, socket, 5432, false",
    })
    void sameDatabase(String system1, long oid1, String address1, int port1, String system2, long oid2, String address2,
                      int port2, boolean same) {
        assertThat(identity(system1, oid1, address1, port1).sameDatabaseAs(identity(system2, oid2, address2, port2)))
                .isEqualTo(same);
    }

    @ParameterizedTest
    @CsvSource({
            "7001, 10.0.0.1, 7001/16384",
            "?, 10.0.0.1, 10.0.0.1:5432/16384/shop",
            "?, socket, local:5432/16384/shop",
    })
    void key(String system, String address, String key) {
        assertThat(identity(system, 16384, address, 5432).key()).isEqualTo(key);
    }
}
