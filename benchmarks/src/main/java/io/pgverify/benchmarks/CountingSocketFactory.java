package io.pgverify.benchmarks;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import javax.net.SocketFactory;

/**
 * Counts the bytes that cross every connection the driver opens with it, per label: the figure the network-frugal mode
 * of issue 4 is to be measured against. pgjdbc instantiates it by name from the {@code socketFactory} connection
 * parameter, handing over {@code socketFactoryArg} as the label, e.g. {@code source}.
 *
 * <p>Bytes are counted above TCP (protocol messages, no TCP/IP headers) and before TLS, which the benchmark does not use.
 * Round trips are counted as the client sees them: a write that follows a read (or opens the connection) starts one.
 */
public final class CountingSocketFactory extends SocketFactory {

    /** Bytes received and sent, and round trips, per label. */
    record Traffic(long received, long sent, long roundTrips) {
        long total() {
            return received + sent;
        }
    }

    private static final Map<String, LongAdder[]> COUNTERS = new ConcurrentHashMap<>();

    private final LongAdder received;
    private final LongAdder sent;
    private final LongAdder roundTrips;

    /** Called by pgjdbc with the connection's {@code socketFactoryArg}. */
    public CountingSocketFactory(String label) {
        LongAdder[] counters = COUNTERS.computeIfAbsent(label == null ? "" : label, k -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
        this.received = counters[0];
        this.sent = counters[1];
        this.roundTrips = counters[2];
    }

    static Traffic traffic(String label) {
        LongAdder[] counters = COUNTERS.get(label);
        return counters == null ? new Traffic(0, 0, 0)
                : new Traffic(counters[0].sum(), counters[1].sum(), counters[2].sum());
    }

    static void reset() {
        COUNTERS.values().forEach(c -> {
            for (LongAdder counter : c) {
                counter.reset();
            }
        });
    }

    @Override
    public Socket createSocket() {
        return new CountingSocket(received, sent, roundTrips);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new java.net.InetSocketAddress(localHost, localPort));
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new java.net.InetSocketAddress(localAddress, localPort));
        socket.connect(new java.net.InetSocketAddress(address, port));
        return socket;
    }

    private static final class CountingSocket extends Socket {
        private final LongAdder received;
        private final LongAdder sent;
        private final LongAdder roundTrips;
        private volatile boolean readSinceWrite = true;
        private InputStream countedIn;
        private OutputStream countedOut;

        CountingSocket(LongAdder received, LongAdder sent, LongAdder roundTrips) {
            this.received = received;
            this.sent = sent;
            this.roundTrips = roundTrips;
        }

        private void writing() {
            if (readSinceWrite) {
                readSinceWrite = false;
                roundTrips.increment();
            }
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (countedIn == null) {
                countedIn = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        readSinceWrite = true;
                        int b = super.read();
                        if (b >= 0) {
                            received.increment();
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        readSinceWrite = true;
                        int n = in.read(b, off, len); // the wrapped stream (FilterInputStream.in)
                        if (n > 0) {
                            received.add(n);
                        }
                        return n;
                    }
                };
            }
            return countedIn;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (countedOut == null) {
                countedOut = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int b) throws IOException {
                        writing();
                        out.write(b);
                        sent.increment();
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        // FilterOutputStream would write byte by byte.
                        writing();
                        out.write(b, off, len);
                        sent.add(len);
                    }
                };
            }
            return countedOut;
        }
    }
}
