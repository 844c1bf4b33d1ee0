package dev.ratchet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BlockingHttpTest {

    private HttpServer server;
    private final BlockingHttp http = new BlockingHttp();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/echo", x -> {
            byte[] in = x.getRequestBody().readAllBytes();
            byte[] out = (x.getRequestMethod() + " " + x.getRequestURI() + " " + new String(in, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(201, out.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(out);
            }
        });
        server.createContext("/chunked", x -> {
            x.sendResponseHeaders(200, 0); // 0: chunked
            try (OutputStream o = x.getResponseBody()) {
                o.write("first,".getBytes(StandardCharsets.UTF_8));
                o.flush();
                o.write("second".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/close", x -> {
            x.getResponseHeaders().add("Connection", "close");
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void readsLengthAndChunkedBodiesOverOneKeptAliveConnection() {
        BlockingHttp.Answer put = http.exchange("PUT", uri("/echo/k?stale=true"), "text/plain",
                "v".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
        assertThat(put.status()).isEqualTo(201);
        assertThat(put.text()).isEqualTo("PUT /echo/k?stale=true v");
        BlockingHttp.Answer chunked = http.exchange("GET", uri("/chunked"), null, null, Duration.ofSeconds(5));
        assertThat(chunked.status()).isEqualTo(200);
        assertThat(chunked.text()).isEqualTo("first,second");
        for (int i = 0; i < 50; i++) {
            assertThat(http.exchange("GET", uri("/echo/" + i), null, null, Duration.ofSeconds(5)).text())
                    .isEqualTo("GET /echo/" + i + " ");
        }
    }

    @Test
    void aServerThatClosesOrIsGoneGivesAnAnswerOrMinusOneAndTheNextCallStartsClean() {
        assertThat(http.exchange("GET", uri("/close"), null, null, Duration.ofSeconds(5)).status()).isEqualTo(404);
        assertThat(http.exchange("GET", uri("/echo/after"), null, null, Duration.ofSeconds(5)).status())
                .as("a new connection after Connection: close").isEqualTo(201);
        int port = server.getAddress().getPort();
        server.stop(0);
        assertThat(http.exchange("GET", URI.create("http://127.0.0.1:" + port + "/echo"), null, null,
                Duration.ofSeconds(2)).status()).isEqualTo(-1);
    }
}
