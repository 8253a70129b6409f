package io.pgverify.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(Redactor.redact(text)).isEqualTo(expected);
    }

    @Test
    void masksRegisteredSecretsWhereverTheyAppearRawOrEncoded() {
        Redactor.registerSecret("s3cr:t/ w@rd");

        assertThat(Redactor.redact("the server said: s3cr:t/ w@rd is wrong")).isEqualTo("the server said: **** is wrong");
        assertThat(Redactor.redact("encoded s3cr%3At%2F+w%40rd and s3cr%3At%2F%20w%40rd")).isEqualTo("encoded **** and ****");
    }

    @Test
    void ignoresNullAndEmpty() {
        Redactor.registerSecret(null);
        Redactor.registerSecret("");

        assertThat(Redactor.redact(null)).isNull();
        assertThat(Redactor.redact("")).isEmpty();
        assertThat(Redactor.redact("nothing to hide")).isEqualTo("nothing to hide");
    }
}
