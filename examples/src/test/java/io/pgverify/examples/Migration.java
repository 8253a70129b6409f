package io.pgverify.examples;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.pgverify.embedded.TestDatabase;

/** A stand-in for the migration a team would test: copies the orders through the client. */
final class Migration {

    private Migration() {
    }

    static void copyOrders(TestDatabase from, TestDatabase to) throws SQLException {
        StringBuilder values = new StringBuilder();
        try (Connection source = from.connect(); Statement read = source.createStatement();
             ResultSet rows = read.executeQuery("SELECT id, total FROM orders")) {
            while (rows.next()) {
                values.append(values.length() == 0 ? "" : ",").append('(').append(rows.getInt(1)).append(',')
                        .append(rows.getBigDecimal(2)).append(')');
            }
        }
        to.execute("INSERT INTO orders VALUES " + values);
    }
}
