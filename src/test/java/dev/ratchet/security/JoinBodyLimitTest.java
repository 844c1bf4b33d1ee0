package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, "limits on everything": a join body is at most 8 KiB and is refused (413, problem+json)
 * before it is parsed. A 100 MB body that is valid JSON as far as it goes (Jackson would read a 20 M
 * character string before giving up) is refused at once, whether its length is declared or it is chunked,
 * and the server stops reading long before the client finishes sending.
 */
class JoinBodyLimitTest extends SoloNodeTest {

    private static final long HUNDRED_MB = 100L * 1024 * 1024;
    /** What the server may take in before it refuses: its socket buffers and Tomcat's swallow allowance. */
    private static final long MOST_THE_SERVER_MAY_READ = 16L * 1024 * 1024;

    /** Result of streaming a body: the status line the server answered and how much the client got out. */
    record Streamed(String statusLine, long bytesSent, long millis) {
    }

    private Streamed stream(String path, boolean chunked) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + HUNDRED_MB + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            AtomicLong sent = new AtomicLong();
            long start = System.nanoTime();
            Thread writer = new Thread(() -> {
                byte[] block = new byte[64 * 1024];
                Arrays.fill(block, (byte) 'a');
                byte[] prefix = "{\"nodeId\":\"".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(prefix, 0, block, 0, prefix.length);
                try {
                    while (sent.get() < HUNDRED_MB) {
                        if (chunked) {
                            out.write((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(block);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        sent.addAndGet(block.length);
                        Arrays.fill(block, 0, prefix.length, (byte) 'a');
                    }
                } catch (IOException e) {
                    // The server closed the connection: what this test wants.
                }
            }, "body-streamer");
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            long sentWhenAnswered = sent.get();
            socket.close();
            writer.join(10_000);
            return new Streamed(line.toString().strip(), sentWhenAnswered, millis);
        }
    }

    @Test
    void aHundredMegabyteJoinWithADeclaredLengthIsRefusedUnread() throws Exception {
        Streamed s = stream("/api/v1/cluster/join", false);
        assertThat(s.statusLine()).startsWith("HTTP/1.1 413");
        assertThat(s.bytesSent()).as("bytes out when the answer came").isLessThan(MOST_THE_SERVER_MAY_READ);
        assertThat(s.millis()).isLessThan(5_000);
    }

    @Test
    void aHundredMegabyteChunkedJoinIsRefusedAfterTheLimit() throws Exception {
        Streamed s = stream("/api/v1/cluster/join", true);
        assertThat(s.statusLine()).startsWith("HTTP/1.1 413");
        assertThat(s.bytesSent()).isLessThan(MOST_THE_SERVER_MAY_READ);
        assertThat(s.millis()).isLessThan(5_000);
    }

    @Test
    void justOverTheLimitIsRefusedWithAProblemAndJustUnderIsParsed() throws IOException {
        String over = "{\"nodeId\":\"" + "a".repeat(BodyLimitFilter.MAX_JOIN_BODY) + "\"}";
        RawHttp.Response refused = http.send("POST", "/api/v1/cluster/join", null, over);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body()).contains(Problems.BODY_TOO_LARGE);

        String forged = "{\"nodeId\":\"impostor\",\"peerAddress\":\"127.0.0.1:9\",\"apiUrl\":\"http://127.0.0.1:9\","
                + "\"timestampMillis\":" + System.currentTimeMillis() + ",\"nonce\":\"00\",\"mac\":\"00\"}";
        RawHttp.Response parsed = http.send("POST", "/api/v1/cluster/join", null, forged);
        assertThat(parsed.status()).as(parsed.body()).isIn(400, 403);
        assertThat(parsed.body()).doesNotContain(Problems.BODY_TOO_LARGE);
    }

    @Test
    void otherPostsHaveTheGeneralLimit() throws IOException {
        String big = "{\"id\":\"" + "a".repeat(70 * 1024) + "\"}";
        RawHttp.Response r = http.send("POST", "/api/v1/admin/members", SoloNode.ADMIN_TOKEN, big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.body()).contains(Problems.BODY_TOO_LARGE);
    }
}
