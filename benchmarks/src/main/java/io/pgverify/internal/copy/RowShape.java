package io.pgverify.internal.copy;

import static io.pgverify.internal.copy.CopyBytes.int4;
import static io.pgverify.internal.copy.CopyBytes.int8;
import static io.pgverify.internal.copy.CopyBytes.numeric;
import static io.pgverify.internal.copy.CopyBytes.text;

import java.io.ByteArrayOutputStream;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The row shapes the hot-path benchmarks run on, as the binary COPY bytes the server would send, built from a fixed
 * seed so every run measures the same input.
 */
public enum RowShape {

    /** (int8 id, int4 n): the cheapest rows, where per-row overhead dominates. 28 bytes a row. */
    NARROW(200_000) {
        @Override
        byte[][] fields(long id, Random random) {
            return new byte[][] {int8(id), int4(random.nextInt())};
        }
    },

    /** pgbench_accounts: int4 aid, int4 bid, int4 abalance, char(84) filler (blank). 114 bytes a row. */
    PGBENCH(200_000) {
        private final byte[] filler = text(" ".repeat(84));

        @Override
        byte[][] fields(long id, Random random) {
            return new byte[][] {int4((int) id), int4((int) (id / 100_000) + 1), int4(random.nextInt(10_000) - 5_000), filler};
        }
    },

    /** int8, text, jsonb, numeric, timestamptz: a typical business row of about 330 bytes. */
    WIDE(100_000) {
        @Override
        byte[][] fields(long id, Random random) {
            String name = "customer " + id + " " + Long.toHexString(random.nextLong()) + " Grüße aus Köln";
            String json = "{\"id\": " + id + ", \"tags\": [\"a\", \"b\", \"c\"], \"address\": {\"street\": \"Hauptstraße "
                    + random.nextInt(200) + "\", \"city\": \"Köln\", \"zip\": \"" + (10000 + random.nextInt(89999))
                    + "\"}, \"score\": " + random.nextDouble() + ", \"active\": true, \"note\": \"" + Long.toHexString(random.nextLong()) + "\"}";
            byte[] jsonb = new byte[1 + text(json).length];
            jsonb[0] = 1;
            System.arraycopy(text(json), 0, jsonb, 1, jsonb.length - 1);
            return new byte[][] {int8(id), text(name), jsonb, numeric(random.nextInt(1_000_000) + "." + random.nextInt(100)),
                    CopyBytes.timestamp(LocalDateTime.of(2020, 1, 1, 0, 0).plusSeconds(random.nextInt(100_000_000)))};
        }
    },

    /**
     * Issue 9's wide row: int8 id and 59 columns cycling through int4, int8, text, numeric, timestamptz, bool, float8,
     * date, varchar and uuid, plus the six NULL digest fields the plan appends for the text columns (see TablePlan's
     * large values). 66 fields, about 900 bytes a row: per-field work dominates. Few rows, so that both streams stay in
     * the caches as a message just received does: with more, the parse measures memory bandwidth, not the parser.
     */
    WIDE60(2_000) {
        @Override
        byte[][] fields(long id, Random random) {
            byte[][] fields = new byte[66][];
            fields[0] = int8(id);
            for (int j = 1; j < 60; j++) {
                fields[j] = switch (j % 10) {
                    case 0 -> int4((int) ((id * j) % 1_000_000));
                    case 1 -> int8(id * 1_000_003 + j);
                    case 2 -> text("text value " + id + "/" + j);
                    case 3 -> numeric(id * j / 7 + "." + random.nextInt(1_000_000));
                    case 4 -> CopyBytes.timestamp(LocalDateTime.of(2020, 1, 1, 0, 0).plusSeconds(id));
                    case 5 -> new byte[] {(byte) (id % 2)};
                    case 6 -> int8(Double.doubleToLongBits(id / 3.0));
                    case 7 -> int4((int) (id % 10_000));
                    case 8 -> text("v" + id);
                    default -> {
                        byte[] uuid = new byte[16];
                        random.nextBytes(uuid);
                        yield uuid;
                    }
                };
            }
            // The digest fields of the six text columns: NULL for values that are not large.
            return fields;
        }
    },

    /**
     * Issue 9's big values: (int8 id, 8 KB of incompressible text, the NULL digest field of a value that is not large).
     * Few rows, for the reason given at {@link #WIDE60}.
     */
    BIG8K(200) {
        @Override
        byte[][] fields(long id, Random random) {
            byte[] value = new byte[8192];
            for (int i = 0; i < value.length; i++) {
                value[i] = (byte) "0123456789abcdef".charAt(random.nextInt(16));
            }
            return new byte[][] {int8(id), value, null};
        }
    },

    /** (int8 id, bytea of 100 KB): TOAST-sized values, where the byte loops dominate. */
    TOAST(200) {
        @Override
        byte[][] fields(long id, Random random) {
            byte[] value = new byte[100 * 1024];
            random.nextBytes(value);
            return new byte[][] {int8(id), value};
        }
    };

    private static final long SEED = 20261123L;

    private final int rows;

    RowShape(int rows) {
        this.rows = rows;
    }

    abstract byte[][] fields(long id, Random random);

    public int rows() {
        return rows;
    }

    /** Reads messages as pgjdbc hands them over: each array parsed in place. */
    public static BinaryCopyReader read(List<byte[]> messages) {
        return BinaryCopyReader.ofChunks(messages);
    }

    /** The whole stream in one array. */
    public byte[] stream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        messages().forEach(out::writeBytes);
        return out.toByteArray();
    }

    /**
     * The stream cut as the server sends it: the header with the first row, then one message per row, then the
     * trailer alone.
     */
    public List<byte[]> messages() {
        Random random = new Random(SEED);
        List<byte[]> messages = new ArrayList<>(rows + 1);
        for (int id = 1; id <= rows; id++) {
            byte[] tuple = CopyBytes.tuple(fields(id, random));
            if (id == 1) {
                ByteArrayOutputStream first = new ByteArrayOutputStream();
                first.writeBytes(CopyBytes.header().toByteArray());
                first.writeBytes(tuple);
                tuple = first.toByteArray();
            }
            messages.add(tuple);
        }
        messages.add(new byte[] {-1, -1});
        return messages;
    }
}
