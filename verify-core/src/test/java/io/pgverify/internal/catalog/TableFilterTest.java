package io.pgverify.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pgverify.VerifyException;

class TableFilterTest {

    /** pattern | schema | table | selected: psql's rules for \d patterns. */
    @ParameterizedTest(name = "{0} selects {1}.{2}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "public.orders          | public | orders       | true",
            "orders                 | sales  | orders       | true",
            "public.orders          | sales  | orders       | false",
            "public.*               | public | anything     | true",
            "*.order?               | x      | orders       | true",
            "*.order?               | x      | order        | false",
            // unquoted names fold to lower case, as PostgreSQL folds them
            "Public.Orders          | public | orders       | true",
            "public.Orders          | public | Orders       | false",
            // quotes keep case and make wildcards and dots literal
            "'sales.\"Mixed Case\"' | sales  | Mixed Case   | true",
            "'sales.\"Mixed Case\"' | sales  | mixed case   | false",
            "'\"a*\"'               | s      | a*           | true",
            "'\"a*\"'               | s      | ab           | false",
            "'\"dotted.name\"'      | s      | dotted.name  | true",
            "'\"q\"\"uote\"'        | s      | q\"uote      | true",
            "'\"My\"*'              | s      | MyTable      | true",
            "'\"My\"*'              | s      | mytable      | false",
            // the separator is not a character a wildcard can cross
            "'*'                    | a      | b            | true",
            "a*b                    | a      | b            | false",
    })
    void selectsAsPsqlWould(String pattern, String schema, String table, boolean selected) {
        assertThat(TableFilter.of(List.of(pattern), List.of()).matches(schema, table)).isEqualTo(selected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "public.orders,sales.items       | public.orders;sales.items",
            "' public.orders , sales.items ' | public.orders;sales.items",
            "'\"a,b\".t,c'                   | \"a,b\".t;c",
            "'\"x\"\"y\".t'                  | \"x\"\"y\".t",
    })
    void commasOutsideQuotesSeparatePatterns(String list, String expected) {
        assertThat(TableFilter.split(list)).containsExactly(expected.split(";"));
    }

    @org.junit.jupiter.api.Test
    void aListSelectsEachOfItsTables() {
        TableFilter filter = TableFilter.of(List.of("public.orders,sales.items"), List.of("sales.items"));
        assertThat(filter.matches("public", "orders")).isTrue();
        assertThat(filter.matches("sales", "items")).isFalse();
        assertThat(filter.matches("sales", "other")).isFalse();
        assertThat(filter.description()).containsExactly("+public.orders", "+sales.items", "-sales.items");
    }

    @org.junit.jupiter.api.Test
    void systemSchemasAreNeverSelected() {
        assertThat(TableFilter.of(List.of("*.*"), List.of()).matches("pg_catalog", "pg_class")).isFalse();
        assertThat(TableFilter.all().matches("information_schema", "tables")).isFalse();
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "''                | empty table pattern",
            "'  '              | empty table pattern",
            "'a,,b'            | empty one between commas",
            "'\"open.t'        | does not close",
            "'db.public.t'     | more than one dot",
            "'.t'              | empty schema or table",
            "'public.'         | empty schema or table",
    })
    void badPatternsSayWhatIsWrong(String pattern, String message) {
        assertThatThrownBy(() -> TableFilter.of(List.of(pattern), List.of()))
                .isInstanceOf(VerifyException.class).hasMessageContaining(message);
    }
}
