package io.pgverify.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.PGProperty;
import org.postgresql.ds.PGSimpleDataSource;

import io.pgverify.ConnectionSettings;
import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;

class ConnectionPoolsTest {

    private static PGSimpleDataSource dataSource(String url) {
        return ConnectionPools.dataSource(ConnectionSettings.parse(url), "source", "pgverify");
    }

    @Test
    void setsHostsDatabaseUserAndSaneDefaults() {
        PGSimpleDataSource ds = dataSource("postgresql://app:pw@h1:5433,[::1]/shop");

        assertThat(ds.getServerNames()).containsExactly("h1", "[::1]");
        assertThat(ds.getPortNumbers()).containsExactly(5433, 5432);
        assertThat(ds.getDatabaseName()).isEqualTo("shop");
        assertThat(ds.getUser()).isEqualTo("app");
        assertThat(ds.getPassword()).isEqualTo("pw");
        assertThat(ds.getApplicationName()).isEqualTo("pgverify");
        assertThat(ds.getConnectTimeout()).isEqualTo(10);
        assertThat(ds.getTcpKeepAlive()).isTrue();
        assertThat(ds.getUrl()).doesNotContain("pw");
    }

    @Test
    void leavesThePasswordUnsetSoThatPgjdbcReadsPgpass() {
        assertThat(dataSource("postgresql://app@h/shop").getPassword()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "sslmode=require | sslmode | require",
            "sslmode=verify-full | sslmode | verify-full",
            "sslmode=disable | sslmode | disable",
            "sslrootcert=/etc/ca.pem | sslrootcert | /etc/ca.pem",
            "sslcert=/c.crt | sslcert | /c.crt",
            "sslkey=/c.pk8 | sslkey | /c.pk8",
            "connect_timeout=3 | connectTimeout | 3",
            "application_name=nightly | ApplicationName | nightly",
            "target_session_attrs=read-write | targetServerType | primary",
            "target_session_attrs=standby | targetServerType | secondary",
            "target_session_attrs=prefer-standby | targetServerType | preferSecondary",
            "target_session_attrs=any | targetServerType | any",
            "keepalives=0 | tcpKeepAlive | false",
            "load_balance_hosts=random | loadBalanceHosts | true",
            "options=-c%20work_mem%3D64MB | options | -c work_mem=64MB",
            "gssencmode=disable | gssEncMode | disable",
            "channel_binding=require | channelBinding | require",
            "ssl=true | sslmode | require",
    })
    void mapsLibpqParametersToPgjdbc(String query, String property, String value) {
        PGSimpleDataSource ds = dataSource("postgresql://h/db?" + query);

        assertThat(ds.getProperty(PGProperty.forName(property))).isEqualTo(value);
    }

    @Test
    void sslmodeRequireDoesNotTurnOnPgjdbcsVerifyFull() {
        PGSimpleDataSource ds = dataSource("postgresql://h/db?sslmode=require");

        assertThat(ds.getSslMode()).isEqualTo("require");
        assertThat(ds.getProperty(PGProperty.SSL)).isNull();
    }

    @Test
    void acceptsPgjdbcNamesFromJdbcUrls() {
        PGSimpleDataSource ds = dataSource("jdbc:postgresql://h/db?connectTimeout=4&sslmode=verify-ca&ApplicationName=x&socketTimeout=60");

        assertThat(ds.getConnectTimeout()).isEqualTo(4);
        assertThat(ds.getSslMode()).isEqualTo("verify-ca");
        assertThat(ds.getApplicationName()).isEqualTo("x");
        assertThat(ds.getSocketTimeout()).isEqualTo(60);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "sslmode=required | sslmode=required is not valid; use one of allow, disable, prefer, require, verify-ca, verify-full.",
            "connect_timeout=soon | connect_timeout=soon is not valid; give a whole number of seconds",
            "target_session_attrs=write | target_session_attrs=write is not valid",
            "frobnicate=1 | unknown connection parameter 'frobnicate'; remove it",
            "sslcrl=/crl.pem | the libpq parameter sslcrl has no equivalent in the JDBC driver; remove it",
            "hostaddr=10.0.0.1 | put the address in the host part of the URL instead",
            "keepalives_idle=30 | the libpq parameter keepalives_idle has no equivalent",
            "client_encoding=LATIN1 | the JDBC driver always talks UTF8",
    })
    void rejectsWhatItCannotHonour(String query, String message) {
        assertThatThrownBy(() -> dataSource("postgresql://h/db?" + query))
                .isInstanceOfSatisfying(VerifyException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.getMessage()).startsWith("source: ").contains(message);
                });
    }

    @Test
    void rejectsUnixSocketDirectories() {
        assertThatThrownBy(() -> dataSource("postgresql:///db?host=/var/run/postgresql"))
                .hasMessage("source: Unix-domain socket directories (host=/var/run/postgresql) are not supported by the JDBC "
                        + "driver; connect over TCP, e.g. host=localhost.");
    }

    @Test
    void waitsForThePoolLongEnoughToTryEveryHost() {
        assertThat(ConnectionPools.poolWaitMillis(10, 1)).isEqualTo(30_000);
        assertThat(ConnectionPools.poolWaitMillis(10, 4)).isEqualTo(45_000);
        assertThat(ConnectionPools.poolWaitMillis(0, 2)).isZero();
    }
}
