package io.pgverify.internal.copy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.Objects;

import org.postgresql.copy.CopyOut;

/**
 * Reads PostgreSQL's binary COPY format one tuple at a time, without allocating per row or per column.
 *
 * <p>A tuple is exposed as a window of a byte array ({@link #tupleBuffer()}, {@link #tupleOffset()},
 * {@link #tupleLength()}) that covers the tuple's whole encoding: the field count and every field's length prefix and
 * bytes. Because the length prefixes are part of the window, two tuples with equal windows hold equal values: NULL
 * and the empty string, or {@code ('ab','c')} and {@code ('a','bc')}, can never be confused.
 *
 * <p>The window is valid until the next call to {@link #next()}: the bytes may be the driver's message array itself
 * (the server sends one CopyData message per row, so in the normal case nothing is copied) or this reader's own
 * buffer (when a tuple arrives split across chunks).
 *
 * <pre>{@code
 * try (BinaryCopyReader rows = BinaryCopyReader.open(copyManager.copyOut(sql))) {
 *     while (rows.next()) {
 *         consume(rows.tupleBuffer(), rows.fieldOffset(0), rows.fieldLength(0));
 *     }
 * }
 * }</pre>
 *
 * <p>A stream that ends without the trailer, carries data after it, or is otherwise malformed throws an
 * {@link IOException}: a truncated stream must never look like a short table.
 */
public final class BinaryCopyReader implements AutoCloseable {

    static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    /** Bit 16: the old WITH OIDS layout, which adds a field we never ask for. */
    private static final int FLAG_OIDS = 1 << 16;
    /** Bits 16..31 are critical: a reader must stop when it sees one it does not know. */
    private static final int CRITICAL_FLAGS = 0xFFFF0000;
    private static final int INITIAL_BUFFER = 64 * 1024;
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final ChunkSource source;
    /** Whether the source hands over arrays to parse in place; a field so the per-row path makes no call for it. */
    private final boolean lends;

    /** The bytes being parsed: either a chunk handed over by the source or {@link #own}. */
    private byte[] buf = new byte[0];
    private int pos;
    private int end;
    /** Where leftovers are gathered when a tuple or the header spans chunks; grown, never shrunk. */
    private byte[] own;

    private boolean headerRead;
    private boolean finished;
    private int expectedFieldCount = -1;

    private int tupleOffset;
    private int tupleLength;
    private int fieldCount;
    /** Field offsets relative to the tuple start; -1 length means NULL. */
    private int[] fieldOffsets = new int[16];
    private int[] fieldLengths = new int[16];

    private long rowsRead;
    private long bytesConsumed;

    private BinaryCopyReader(ChunkSource source, byte[] own) {
        this.source = source;
        this.lends = source.lendsChunks();
        this.own = own;
    }

    /**
     * Reads an active {@code COPY ... TO STDOUT (FORMAT binary)}. The driver's message arrays are parsed in place;
     * {@link #close()} reads an unfinished copy to its end, so the connection stays usable.
     */
    public static BinaryCopyReader open(CopyOut copyOut) throws IOException {
        Objects.requireNonNull(copyOut, "copyOut");
        CopyOutSource source = new CopyOutSource(copyOut);
        if (copyOut.getFormat() != 1) {
            source.close();
            throw new IOException("The COPY is in text format: add (FORMAT binary) to the COPY statement");
        }
        // The server announces the column count; every tuple must carry exactly that many fields.
        return new BinaryCopyReader(source, new byte[0]).expectFieldCount(copyOut.getFieldCount());
    }

    /** Reads a binary COPY stream from bytes, e.g. a file written by {@code COPY ... TO} or a test fixture. */
    public static BinaryCopyReader of(InputStream in) {
        Objects.requireNonNull(in, "in");
        return new BinaryCopyReader(new StreamSource(in), new byte[INITIAL_BUFFER]);
    }

    /** Reads a binary COPY stream that is wholly in memory; no byte is copied. */
    public static BinaryCopyReader of(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        BinaryCopyReader reader = new BinaryCopyReader(new IteratorSource(Collections.emptyIterator()), new byte[0]);
        reader.buf = bytes;
        reader.pos = offset;
        reader.end = offset + length;
        return reader;
    }

    /** Reads a stream handed over in chunks cut anywhere, as a network might; parsed in place like the driver's. */
    static BinaryCopyReader ofChunks(Iterable<byte[]> chunks) {
        return new BinaryCopyReader(new IteratorSource(chunks.iterator()), new byte[0]);
    }

    /**
     * Makes the reader fail on a tuple whose field count differs, e.g. the number of columns the query selected.
     * Without it the first tuple sets the count every later one must have.
     */
    public BinaryCopyReader expectFieldCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("field count must not be negative: " + count);
        }
        this.expectedFieldCount = count;
        return this;
    }

    /** Advances to the next tuple; false once the trailer has been read and the stream has ended. */
    public boolean next() throws IOException {
        if (finished) {
            return false;
        }
        if (!headerRead) {
            readHeader();
        }
        // Any bytes of the previous tuple may be dropped from now on.
        int start = pos;
        if (start + 2 > end) {
            start = require(start, 2);
        }
        short count = (short) (((buf[start] & 0xFF) << 8) | (buf[start + 1] & 0xFF));
        if (count == -1) {
            consume(start, 2);
            readToEnd();
            return false;
        }
        if (count < 0) {
            throw malformed("negative field count " + count);
        }
        if (count != expectedFieldCount) {
            if (expectedFieldCount >= 0) {
                throw malformed("tuple has " + count + " fields, expected " + expectedFieldCount);
            }
            expectedFieldCount = count;
        }
        if (count > fieldOffsets.length) {
            fieldOffsets = new int[count];
            fieldLengths = new int[count];
        }
        int rel = 2;
        int i = 0;
        // The usual case: the whole tuple lies in the array at hand (pgjdbc hands over one message per row). Each length
        // is then read in one big-endian load, checked against what the array holds, and nothing is pulled or moved;
        // the first field that reaches past the array leaves the rest to the general loop below.
        int[] offsets = fieldOffsets;
        int[] lengths = fieldLengths;
        byte[] b0 = buf;
        int available = end - start;
        for (; i < count && rel <= available - 4; i++) {
            int len = (int) INT_BE.get(b0, start + rel);
            rel += 4;
            if (len > available - rel) {
                // Reaches past the array (or claims an impossible size): the general loop below decides which.
                rel -= 4;
                break;
            }
            offsets[i] = rel;
            lengths[i] = len;
            if (len > 0) {
                rel += len;
            } else if (len < -1) {
                throw malformed("field " + i + " has length " + len);
            }
        }
        for (; i < count; i++) {
            if (start + rel + 4 > end) {
                start = require(start, rel + 4);
            }
            byte[] b = buf;
            int p = start + rel;
            int len = (b[p] << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            rel += 4;
            fieldOffsets[i] = rel;
            fieldLengths[i] = len;
            if (len > 0) {
                if (len > Integer.MAX_VALUE - 16 - rel) {
                    throw malformed("field " + i + " claims " + len + " bytes");
                }
                rel += len;
                if (start + rel > end) {
                    start = require(start, rel);
                }
            } else if (len < -1) {
                throw malformed("field " + i + " has length " + len);
            }
        }
        fieldCount = count;
        tupleOffset = start;
        tupleLength = rel;
        consume(start, rel);
        rowsRead++;
        return true;
    }

    private void consume(int start, int length) {
        pos = start + length;
        bytesConsumed += length;
    }

    private void readHeader() throws IOException {
        int start = require(pos, SIGNATURE.length);
        if (!Arrays.equals(buf, start, start + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw malformed("not a binary COPY stream: the PGCOPY signature is missing");
        }
        start = require(start, SIGNATURE.length + 8);
        int flags = readInt(start + SIGNATURE.length);
        if ((flags & FLAG_OIDS) != 0) {
            throw malformed("the stream carries OIDs (WITH OIDS), which this reader does not expect");
        }
        if ((flags & CRITICAL_FLAGS) != 0) {
            throw malformed("unknown critical header flags 0x" + Integer.toHexString(flags));
        }
        int extension = readInt(start + SIGNATURE.length + 4);
        if (extension < 0) {
            throw malformed("negative header extension length " + extension);
        }
        int headerLength = SIGNATURE.length + 8 + extension;
        start = require(start, headerLength);
        consume(start, headerLength);
        headerRead = true;
    }

    /** After the trailer the source must end: anything more means we misread the stream. */
    private void readToEnd() throws IOException {
        if (pos < end) {
            throw malformed((end - pos) + " bytes after the trailer");
        }
        for (byte[] chunk = source.nextChunk(); chunk != null; chunk = source.nextChunk()) {
            if (chunk.length > 0) {
                throw malformed(chunk.length + " bytes after the trailer");
            }
        }
        finished = true;
    }

    private int readInt(int p) {
        byte[] b = buf;
        return (b[p] << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    /**
     * Makes {@code needed} bytes from {@code start} available, pulling chunks from the source; returns where those
     * bytes now start (they move when leftovers are gathered into {@link #own}).
     */
    private int require(int start, int needed) throws IOException {
        while (end - start < needed) {
            int have = end - start;
            if (have == 0 && lends) {
                // The usual case: the previous chunk was used up exactly, so parse the next one where it lies.
                byte[] chunk = source.nextChunk();
                if (chunk == null) {
                    throw truncated(needed, 0);
                }
                buf = chunk;
                start = 0;
                end = chunk.length;
                continue;
            }
            if (buf != own || start > 0) {
                gather(start, have, needed);
                start = 0;
            }
            if (!source.fill(this)) {
                throw truncated(needed, have);
            }
        }
        return start;
    }

    /** Moves the unread bytes to the front of {@link #own}, growing it to hold at least {@code needed} bytes. */
    private void gather(int start, int have, int needed) {
        byte[] target = own;
        if (target.length < Math.max(needed, have) || target.length == 0) {
            target = new byte[Math.max(Math.max(needed, INITIAL_BUFFER), (int) Math.min(Integer.MAX_VALUE - 16, 2L * own.length))];
        }
        System.arraycopy(buf, start, target, 0, have);
        own = target;
        buf = target;
        pos = 0;
        end = have;
    }

    /** Ensures {@link #own} can take {@code more} bytes after {@link #end}. */
    byte[] ownSpace(int more) {
        if (own.length - end < more) {
            long wanted = Math.max((long) end + more, 2L * own.length);
            own = Arrays.copyOf(own, (int) Math.min(Integer.MAX_VALUE - 16, wanted));
            buf = own;
        }
        return own;
    }

    int end() {
        return end;
    }

    void appended(int n) {
        end += n;
    }

    private IOException truncated(int needed, int have) {
        return malformed("the stream ended inside " + (headerRead ? "a tuple" : "the header") + " (needed " + needed
                + " bytes, " + have + " left) — the copy was cut short or the trailer is missing");
    }

    private IOException malformed(String what) {
        return new IOException("Malformed binary COPY stream after " + rowsRead + " rows, " + bytesConsumed + " bytes: " + what);
    }

    public int fieldCount() {
        return fieldCount;
    }

    /** The array holding the current tuple; valid until the next call to {@link #next()}. */
    public byte[] tupleBuffer() {
        return buf;
    }

    public int tupleOffset() {
        return tupleOffset;
    }

    /** The current tuple's whole encoding, field count and length prefixes included. */
    public int tupleLength() {
        return tupleLength;
    }

    /** Where field {@code i}'s bytes start in {@link #tupleBuffer()}. */
    public int fieldOffset(int i) {
        Objects.checkIndex(i, fieldCount);
        return tupleOffset + fieldOffsets[i];
    }

    /** Field {@code i}'s length in bytes, or -1 for NULL. */
    public int fieldLength(int i) {
        Objects.checkIndex(i, fieldCount);
        return fieldLengths[i];
    }

    public long rowsRead() {
        return rowsRead;
    }

    /** Bytes of the stream parsed so far, header and trailer included. */
    public long bytesRead() {
        return bytesConsumed;
    }

    /** True once the trailer was read and the stream ended. */
    public boolean finished() {
        return finished;
    }

    /**
     * Ends the copy so the connection can be used again: an unfinished copy is read to its end and dropped (see
     * {@code CopyOutSource.close()} for why it is not cancelled). After a read from the driver failed, nothing is
     * read: the connection's state is unknown, and its owner must abort it.
     */
    @Override
    public void close() throws IOException {
        source.close();
    }

    /** Where the bytes come from. */
    private interface ChunkSource {
        /** True when {@link #nextChunk()} hands over arrays to parse in place. */
        boolean lendsChunks();

        /** The next chunk, or null at the end; a non-lending source is asked only after the trailer. */
        byte[] nextChunk() throws IOException;

        /** Appends bytes to the reader's own buffer; false at the end. */
        boolean fill(BinaryCopyReader reader) throws IOException;

        void close() throws IOException;
    }

    /** Appends the lent chunks only when a tuple spans chunks. */
    private abstract static class LendingSource implements ChunkSource {
        @Override
        public boolean lendsChunks() {
            return true;
        }

        @Override
        public boolean fill(BinaryCopyReader reader) throws IOException {
            byte[] chunk = nextChunk();
            if (chunk == null) {
                return false;
            }
            byte[] target = reader.ownSpace(chunk.length);
            System.arraycopy(chunk, 0, target, reader.end(), chunk.length);
            reader.appended(chunk.length);
            return true;
        }
    }

    private static final class CopyOutSource extends LendingSource {
        private final CopyOut copyOut;
        /** Whether a read from the driver failed: where the connection stands in the protocol is then unknown. */
        private boolean failed;

        CopyOutSource(CopyOut copyOut) {
            this.copyOut = copyOut;
        }

        @Override
        public byte[] nextChunk() throws IOException {
            boolean read = false;
            try {
                byte[] chunk = copyOut.readFromCopy();
                read = true;
                return chunk;
            } catch (SQLException e) {
                throw new IOException("COPY failed: " + e.getMessage(), e);
            } finally {
                failed |= !read;
            }
        }

        /**
         * Reads the rest of an unfinished copy and drops it. {@code CopyOut.cancelCopy()} is not used: in pgjdbc
         * 42.7 it sends an out-of-band cancel and releases the connection without consuming the copy's remaining
         * messages, so the next statement on the connection reads them (failing with "No results were returned") or
         * is itself cancelled when the request arrives late. Draining costs the rest of the range; a caller that
         * cannot afford it should abort the connection instead of closing this reader.
         */
        @Override
        public void close() throws IOException {
            if (failed) {
                // A read failed inside the driver (an OutOfMemoryError while it allocated a message, a lost
                // connection): draining would parse whatever follows as messages, and may wait for bytes that never
                // come. The caller must abort the connection instead.
                return;
            }
            try {
                while (copyOut.isActive() && copyOut.readFromCopy() != null) {
                    // discard
                }
            } catch (SQLException e) {
                throw new IOException("COPY failed while its remaining rows were discarded: " + e.getMessage(), e);
            }
        }
    }

    private static final class IteratorSource extends LendingSource {
        private final Iterator<byte[]> chunks;

        IteratorSource(Iterator<byte[]> chunks) {
            this.chunks = chunks;
        }

        @Override
        public byte[] nextChunk() {
            return chunks.hasNext() ? chunks.next() : null;
        }

        @Override
        public void close() {
        }
    }

    private static final class StreamSource implements ChunkSource {
        private final InputStream in;

        StreamSource(InputStream in) {
            this.in = in;
        }

        @Override
        public boolean lendsChunks() {
            return false;
        }

        @Override
        public byte[] nextChunk() throws IOException {
            int next = in.read();
            return next < 0 ? null : new byte[] {(byte) next};
        }

        @Override
        public boolean fill(BinaryCopyReader reader) throws IOException {
            byte[] target = reader.ownSpace(1);
            int n = in.read(target, reader.end(), target.length - reader.end());
            if (n < 0) {
                return false;
            }
            reader.appended(n);
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
