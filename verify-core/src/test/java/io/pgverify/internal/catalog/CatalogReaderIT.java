package io.pgverify.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pgverify.embedded.DatabasePair;
import io.pgverify.embedded.PostgresPairExtension;
import io.pgverify.embedded.TestDatabase;

/** Column types are resolved from the types the selected columns use, through domains and array elements. */
@ExtendWith(PostgresPairExtension.class)
class CatalogReaderIT {

    private static final String TYPES = """
            CREATE SCHEMA app;
            CREATE TYPE app.mood AS ENUM ('sad', 'ok');
            CREATE DOMAIN app.positive AS integer CHECK (VALUE > 0);
            CREATE DOMAIN app.small_positive AS app.positive CHECK (VALUE < 100);
            CREATE DOMAIN app.int_list AS integer[];
            CREATE DOMAIN app.float_list AS float8[];
            CREATE TYPE app.address AS (street text, zip text);
            CREATE TYPE app.floatrange AS RANGE (subtype = float8);
            CREATE TABLE app.unused_types (id int PRIMARY KEY, spot app.address);
            CREATE TABLE app.typed (
                id int PRIMARY KEY, nested app.small_positive, ints app.int_list, floats app.float_list,
                moods app.mood[], home app.address, homes app.address[], span app.floatrange, plain numeric);
            """;

    @Test
    void resolvesDomainsArraysAndCompositesOnBothServers(DatabasePair db) throws Exception {
        db.both(TYPES);
        for (TestDatabase side : new TestDatabase[] {db.source(), db.target()}) {
            try (Connection connection = side.connect()) {
                Catalog catalog = CatalogReader.read(connection, TableFilter.of(List.of("app.typed"), List.of()), side.toString());
                assertThat(catalog.tables()).singleElement();
                TableInfo table = catalog.table("app", "typed").orElseThrow();
                Function<String, ColumnInfo> column = name -> table.column(name).orElseThrow();

                // A domain over a domain resolves to the built-in base: compared in binary.
                assertThat(column.apply("nested").baseType().name()).as(side.toString()).isEqualTo("int4");
                assertThat(column.apply("nested").binaryStable()).isTrue();
                // A domain over a built-in array: the array, whose element is built in.
                assertThat(column.apply("ints").baseType().name()).isEqualTo("_int4");
                assertThat(column.apply("ints").binaryStable()).isTrue();
                // Float arrays go through text (NaN bit patterns), whatever the domain around them.
                assertThat(column.apply("floats").baseType().name()).isEqualTo("_float8");
                assertThat(column.apply("floats").binaryStable()).isFalse();
                // An array of a user enum carries the enum's OID: text.
                assertThat(column.apply("moods").baseType().isArray()).isTrue();
                assertThat(column.apply("moods").binaryStable()).isFalse();
                // A composite, its array and a user range: text.
                assertThat(column.apply("home").baseType().typtype()).isEqualTo('c');
                assertThat(column.apply("home").binaryStable()).isFalse();
                assertThat(column.apply("homes").binaryStable()).isFalse();
                assertThat(column.apply("span").baseType().typtype()).isEqualTo('r');
                assertThat(column.apply("span").binaryStable()).isFalse();
                assertThat(column.apply("plain").binaryStable()).isTrue();
            }
        }
    }
}
