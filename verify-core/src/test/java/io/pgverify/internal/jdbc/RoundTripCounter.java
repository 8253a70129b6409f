package io.pgverify.internal.jdbc;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import javax.net.SocketFactory;

/**
 * Counts a connection's round trips, per label ({@code socketFactoryArg}): a write to the socket that follows a read
 * from it starts one. What a test of the fixed cost per session asserts on, since timings are not asserted.
 */
public final class RoundTripCounter extends SocketFactory {

    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
    private final LongAdder count;

    public RoundTripCounter(String label) {
        count = COUNTS.computeIfAbsent(label, k -> new LongAdder());
    }

    public static long count(String label) {
        LongAdder adder = COUNTS.get(label);
        return adder == null ? 0 : adder.sum();
    }

    public static void reset(String label) {
        COUNTS.computeIfAbsent(label, k -> new LongAdder()).reset();
    }

    @Override
    public Socket createSocket() {
        return new Counted(count);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(address, port);
    }

    private static final class Counted extends Socket {
        private final LongAdder count;
        private volatile boolean readSinceWrite = true;
        private InputStream in;
        private OutputStream out;

        Counted(LongAdder count) {
            this.count = count;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        readSinceWrite = true;
                        return super.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        readSinceWrite = true;
                        return in.read(b, off, len);
                    }
                };
            }
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int b) throws IOException {
                        turn();
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        turn();
                        out.write(b, off, len);
                    }
                };
            }
            return out;
        }

        private void turn() {
            if (readSinceWrite) {
                readSinceWrite = false;
                count.increment();
            }
        }
    }
}
