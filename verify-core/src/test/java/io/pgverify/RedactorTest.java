package io.pgverify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "postgresql://app:hunter2@h:5432/db | postgresql://app:****@h:5432/db",
            "postgres://app:p@ss@h/db | postgres://app:****@h/db",
            "see postgresql://app:hunter2@h/db and postgresql://other:x@h2/db | see postgresql://app:****@h/db and postgresql://other:****@h2/db",
            "postgresql://app@h/db | postgresql://app@h/db",
            "postgresql://h:5432/db | postgresql://h:5432/db",
            "jdbc:postgresql://h/db?user=app&password=hunter2&sslmode=require | jdbc:postgresql://h/db?user=app&password=****&sslmode=require",
            "host=h password=hunter2 dbname=db | host=h password=**** dbname=db",
            "`host=h password='hunter 2' dbname=db` | `host=h password='****' dbname=db`",
            "{user=app, password=hunter2} | {user=app, password=****}",
            "sslpassword=keypass | sslpassword=****",
            "`{\"password\":\"hunter2\"}` | `{\"password\":\"****\"}`",
            "PASSWORD = hunter2 | PASSWORD = ****",
            "password authentication failed for user \"app\" | password authentication failed for user \"app\"",
            "password= | password=",
    })
    void masksWhatLooksLikeAPassword(String text, String expected) {
        assertThat(Redactor.structural().redact(text)).isEqualTo(expected);
    }

    @Test
    void masksKnownSecretsWhereverTheyAppearRawOrEncoded() {
        Redactor redactor = Redactor.of(List.of("s3cr:t/ w@rd"));

        assertThat(redactor.redact("the server said: s3cr:t/ w@rd is wrong")).isEqualTo("the server said: **** is wrong");
        assertThat(redactor.redact("encoded s3cr%3At%2F+w%40rd and s3cr%3At%2F%20w%40rd")).isEqualTo("encoded **** and ****");
    }

    @Test
    void oneRedactorsSecretsAreNotAnothers() {
        Redactor redactor = Redactor.of(List.of("hunter2-secret"));

        assertThat(redactor.redact("x hunter2-secret")).isEqualTo("x ****");
        assertThat(Redactor.structural().redact("x hunter2-secret")).isEqualTo("x hunter2-secret");
        assertThat(Redactor.of(List.of("other-secret")).redact("x hunter2-secret")).isEqualTo("x hunter2-secret");
    }

    @Test
    void aShortPasswordDoesNotGarbleMessagesButIsStillMaskedWhereItStandsAsAPassword() {
        // The parse registered "1" JVM-wide, and every later message read "****27.0.0.****:****".
        ConnectionSettings settings = ConnectionSettings.parse("postgresql://app:1@db/shop");
        Redactor redactor = Redactor.of(List.of(settings.password()));

        assertThat(redactor.redact("connection refused at 127.0.0.1:5432")).isEqualTo("connection refused at 127.0.0.1:5432");
        assertThat(new VerifyException(ErrorCode.INVALID_CONFIGURATION, "threads must be between 1 and 64, not 100.")
                .getMessage()).isEqualTo("threads must be between 1 and 64, not 100.");
        assertThat(redactor.redact("postgresql://app:1@db/shop password=1")).isEqualTo("postgresql://app:****@db/shop password=****");
    }

    @Test
    void ignoresNullAndEmpty() {
        Redactor redactor = Redactor.of(java.util.Arrays.asList(null, ""));

        assertThat(redactor.redact((String) null)).isNull();
        assertThat(redactor.redact("")).isEmpty();
        assertThat(redactor.redact("nothing to hide")).isEqualTo("nothing to hide");
    }
}
