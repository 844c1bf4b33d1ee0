package dev.ratchet.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.artifacts.ArtifactService;
import dev.ratchet.artifacts.ArtifactSettings;
import dev.ratchet.artifacts.StorageLimits;
import dev.ratchet.config.ApiProperties;
import dev.ratchet.transport.AcceptedPeer;
import dev.ratchet.transport.PeerAcceptor;
import dev.ratchet.transport.PeerAddressBook;
import dev.ratchet.transport.PeerTransport;
import dev.ratchet.transport.TransportConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The artifact API on one in-process replica (no peers): HTTP semantics, limits and error answers. */
@WebMvcTest(ArtifactController.class)
class ArtifactControllerTest {

    @TestConfiguration
    @EnableConfigurationProperties(ApiProperties.class)
    static class Fixture {
        @Bean
        DirectReplicator replicator() {
            return new DirectReplicator();
        }

        @Bean(destroyMethod = "close")
        PeerTransport transport() {
            PeerAcceptor idle = new PeerAcceptor() {
                private volatile boolean closed;

                @Override
                public AcceptedPeer accept() throws IOException {
                    throw new IOException("no peers in this test");
                }

                @Override
                public InetSocketAddress localAddress() {
                    return new InetSocketAddress("127.0.0.1", 0);
                }

                @Override
                public boolean isClosed() {
                    return closed;
                }

                @Override
                public void close() {
                    closed = true;
                }
            };
            return new PeerTransport("solo", idle, (peer, address, timeout) -> {
                throw new IOException("no peers in this test");
            }, new PeerAddressBook(), TransportConfig.defaults());
        }

        @Bean(destroyMethod = "close")
        ArtifactService artifacts(DirectReplicator replicator, PeerTransport transport,
                @Value("${test.artifacts.max-size:64}") long maxSize, @Value("${test.artifacts.quota:0}") long quota)
                throws IOException {
            ArtifactSettings d = ArtifactSettings.defaults();
            ArtifactService s = new ArtifactService("solo", Files.createTempDirectory("artifact-api").resolve("blobs"),
                    replicator, transport, new ArtifactSettings(maxSize, 1, 10, d.fetchAttemptTimeout(), 1, d.chunkBytes(),
                            Duration.ofSeconds(1), Duration.ZERO, Duration.ofMillis(200)), new StorageLimits(quota, 0),
                    () -> true);
            s.start();
            return s;
        }
    }

    @Autowired
    MockMvcTester mvc;

    @Autowired
    DirectReplicator replicator;

    private MvcTestResult put(String path, String body, String header, String value) {
        var req = mvc.put().uri("/api/v1/artifacts/" + path).contentType(MediaType.APPLICATION_OCTET_STREAM)
                .content(body);
        if (header != null) {
            req = req.header(header, value);
        }
        return req.exchange();
    }

    private static String quotedSha(String s) throws Exception {
        return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8))) + "\"";
    }

    @Test
    void putThenGetHeadRangeAndNotModified() throws Exception {
        MvcTestResult written = put("rel/a.bin", "0123456789", null, null);
        assertThat(written).hasStatusOk().hasHeader("ETag", quotedSha("0123456789"));
        MvcTestResult read = mvc.get().uri("/api/v1/artifacts/rel/a.bin").exchange();
        assertThat(read).hasStatusOk().hasHeader("ETag", quotedSha("0123456789"));
        assertThat(read.getResponse().getContentAsString()).isEqualTo("0123456789");
        MvcTestResult head = mvc.head().uri("/api/v1/artifacts/rel/a.bin").exchange();
        assertThat(head).hasStatusOk();
        assertThat(head.getResponse().getContentLengthLong()).isEqualTo(10);
        assertThat(head.getResponse().getContentAsByteArray()).isEmpty();
        MvcTestResult range = mvc.get().uri("/api/v1/artifacts/rel/a.bin").header("Range", "bytes=7-").exchange();
        assertThat(range).hasStatus(206).hasHeader("Content-Range", "bytes 7-9/10");
        assertThat(range.getResponse().getContentAsString()).isEqualTo("789");
        assertThat(mvc.get().uri("/api/v1/artifacts/rel/a.bin").header("Range", "bytes=20-").exchange()).hasStatus(416);
        assertThat(mvc.get().uri("/api/v1/artifacts/rel/a.bin").header("If-None-Match", quotedSha("0123456789"))
                .exchange()).hasStatus(304);
    }

    @Test
    void conditionalPutsAndDeletes() throws Exception {
        assertThat(put("cond/b", "one", "If-None-Match", "*")).hasStatusOk();
        assertThat(put("cond/b", "two", "If-None-Match", "*")).hasStatus(412).hasHeader("ETag", quotedSha("one"));
        assertThat(put("cond/b", "two", "If-Match", quotedSha("nope"))).hasStatus(412);
        assertThat(put("cond/b", "two", "If-Match", quotedSha("one"))).hasStatusOk();
        assertThat(put("cond/new", "x", "If-Match", "*")).as("If-Match: * needs an existing artifact").hasStatus(412);
        assertThat(mvc.delete().uri("/api/v1/artifacts/cond/b").header("If-Match", quotedSha("one")).exchange())
                .hasStatus(412);
        assertThat(mvc.delete().uri("/api/v1/artifacts/cond/b").exchange()).hasStatus(204);
        assertThat(mvc.get().uri("/api/v1/artifacts/cond/b").exchange()).hasStatus(404);
    }

    @Test
    void listingAndPrefixDelete() {
        put("tree/x/1", "1", null, null);
        put("tree/x/2", "2", null, null);
        put("tree/y", "3", null, null);
        assertThat(mvc.get().uri("/api/v1/artifacts?prefix=tree/&limit=2").exchange()).hasStatusOk()
                .bodyJson().extractingPath("$.items.length()").isEqualTo(2);
        assertThat(mvc.delete().uri("/api/v1/artifacts?prefix=tree/x/").exchange()).hasStatusOk()
                .bodyJson().extractingPath("$.deleted").isEqualTo(2);
        assertThat(mvc.get().uri("/api/v1/artifacts?prefix=tree/").exchange()).hasStatusOk()
                .bodyJson().extractingPath("$.items[0].path").isEqualTo("tree/y");
        assertThat(mvc.delete().uri("/api/v1/artifacts").exchange()).hasStatus(400);
    }

    @Test
    void refusals() {
        assertThat(put("big", "x".repeat(65), null, null)).as("max-size is 64 bytes here").hasStatus(413);
        // A literal "/../" is resolved by the URL layer before routing; encoded dot segments and control
        // characters reach the path check (ArtifactClusterTest sends them through a real Tomcat too).
        assertThat(mvc.put().uri(java.net.URI.create("/api/v1/artifacts/a/%2E%2E/b")).content("x").exchange())
                .hasStatus(400);
        assertThat(mvc.put().uri(java.net.URI.create("/api/v1/artifacts/a%01b")).content("x").exchange())
                .hasStatus(400);
        assertThat(put("x".repeat(1100), "x", null, null)).as("path length limit").hasStatus(400);
        assertThat(put("w", "x", "If-Match", "W/\"weak\"")).hasStatus(400);
        replicator.leaderless = true;
        try {
            assertThat(put("noleader", "x", null, null)).hasStatus(503).hasHeader("Retry-After", "1");
        } finally {
            replicator.leaderless = false;
        }
        assertThat(mvc.get().uri("/api/v1/artifacts/noleader").exchange()).hasStatus(404);
    }
}
