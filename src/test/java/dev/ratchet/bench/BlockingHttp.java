package dev.ratchet.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's closed-loop HTTP/1.1 client: one blocking keep-alive socket per calling thread and
 * server, the request written in one go, the answer read on the same thread. The JDK's HttpClient hands
 * every request between its selector and executor threads; on two cores that added about 1 ms to each
 * request (a stale read: 1.5 ms through it, 0.42 ms from Python's http.client on one connection), which
 * swamps what the benchmark measures. wrk and etcd's own benchmark tool drive servers the same way.
 *
 * <p>Thread-safe by confinement: each thread uses its own connections. {@link #exchange} blocks until the
 * answer or the timeout; it never throws, answering -1 for any failure (the benchmark counts them), and
 * drops the connection then so that the next call starts clean.
 */
final class BlockingHttp {

    /** Status and body of one answer; status -1 if there was none. */
    record Answer(int status, byte[] body) {
        static final Answer NONE = new Answer(-1, new byte[0]);

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private final ThreadLocal<Map<String, Connection>> connections = ThreadLocal.withInitial(HashMap::new);

    /** Sends one request and reads its answer; see the class comment for blocking and failures. */
    Answer exchange(String method, URI uri, String contentType, byte[] body, Duration timeout) {
        String authority = uri.getHost() + ":" + uri.getPort();
        Map<String, Connection> mine = connections.get();
        Connection c = mine.get(authority);
        try {
            if (c == null) {
                c = new Connection(uri.getHost(), uri.getPort(), timeout);
                mine.put(authority, c);
            }
            Answer a = c.exchange(method, uri, contentType, body, timeout);
            if (c.closeAfter) {
                mine.remove(authority).close();
            }
            return a;
        } catch (IOException | RuntimeException e) {
            Connection broken = mine.remove(authority);
            if (broken != null) {
                broken.close();
            }
            return Answer.NONE;
        }
    }

    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String host;
        boolean closeAfter;

        Connection(String host, int port, Duration timeout) throws IOException {
            this.host = host + ":" + port;
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(timeout.toMillis(), 5_000));
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        Answer exchange(String method, URI uri, String contentType, byte[] body, Duration timeout) throws IOException {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append("\r\n");
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
                if (contentType != null) {
                    head.append("Content-Type: ").append(contentType).append("\r\n");
                }
            }
            head.append("\r\n");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[headBytes.length + (body == null ? 0 : body.length)];
            System.arraycopy(headBytes, 0, request, 0, headBytes.length);
            if (body != null) {
                System.arraycopy(body, 0, request, headBytes.length, body.length);
            }
            out.write(request);
            out.flush();
            return readAnswer(method.equals("HEAD"));
        }

        private Answer readAnswer(boolean noBody) throws IOException {
            String statusLine = line();
            if (!statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            int headerBytes = 0;
            for (String h = line(); !h.isEmpty(); h = line()) {
                headerBytes += h.length();
                if (headerBytes > MAX_HEADER_BYTES) {
                    throw new IOException("headers too long");
                }
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            if (noBody || status == 204 || status == 304 || status / 100 == 1) {
                return new Answer(status, new byte[0]);
            }
            if (chunked) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                for (long size = chunkSize(); size > 0; size = chunkSize()) {
                    copy(size, b);
                    line(); // the CRLF after each chunk
                }
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers are ignored
                }
                return new Answer(status, b.toByteArray());
            }
            if (length < 0) {
                closeAfter = true; // the body runs to the end of the connection
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                return new Answer(status, b.toByteArray());
            }
            ByteArrayOutputStream b = new ByteArrayOutputStream((int) Math.min(length, 1 << 16));
            copy(length, b);
            return new Answer(status, b.toByteArray());
        }

        private long chunkSize() throws IOException {
            String l = line();
            int semi = l.indexOf(';');
            return Long.parseLong((semi < 0 ? l : l.substring(0, semi)).trim(), 16);
        }

        private void copy(long n, ByteArrayOutputStream to) throws IOException {
            if (n > MAX_BODY_BYTES || to.size() + n > MAX_BODY_BYTES) {
                throw new IOException("answer body too large");
            }
            byte[] buf = new byte[(int) Math.min(n, 16 * 1024)];
            long left = n;
            while (left > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    throw new IOException("connection ended inside a body");
                }
                to.write(buf, 0, r);
                left -= r;
            }
        }

        /** One CRLF-ended line, without its end. */
        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int c = in.read(); ; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection ended");
                }
                if (c == '\n') {
                    int len = b.length();
                    if (len > 0 && b.charAt(len - 1) == '\r') {
                        b.setLength(len - 1);
                    }
                    return b.toString();
                }
                if (b.length() > MAX_HEADER_BYTES) {
                    throw new IOException("line too long");
                }
                b.append((char) c);
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }
}
