package dev.ratchet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ratchet.artifacts.ArtifactService;
import dev.ratchet.artifacts.ArtifactStoreFullException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * The artifact store's quota: an upload that would pass it gets 507 with a problem body naming
 * {@code ratchet.artifacts.quota}, refused before its body is read when its length is declared and as
 * soon as it passes when not; deletes always work and free the room.
 */
@WebMvcTest(ArtifactController.class)
@Import(ArtifactControllerTest.Fixture.class)
@TestPropertySource(properties = {"test.artifacts.max-size=10000000", "test.artifacts.quota=1000000"})
class ArtifactQuotaTest {
    private static final int QUOTA = 1_000_000;
    private static final Duration WAIT = Duration.ofSeconds(System.getenv("CI") == null ? 10 : 30);

    @Autowired
    MockMvcTester mvc;

    @Autowired
    ArtifactService artifacts;

    private MvcTestResult put(String path, byte[] body) {
        return mvc.put().uri("/api/v1/artifacts/" + path).contentType(MediaType.APPLICATION_OCTET_STREAM)
                .content(body).exchange();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void uploadsPastTheQuotaGet507WhileDeletesWorkAndFreeRoom() throws Exception {
        assertThat(put("quota/a", bytes(600_000, 1))).hasStatusOk();
        MvcTestResult full = put("quota/b", bytes(600_000, 2));
        assertThat(full).hasStatus(507);
        assertThat(full.getResponse().getContentType()).isEqualTo("application/problem+json");
        assertThat(full.getResponse().getContentAsString())
                .contains("\"property\":\"ratchet.artifacts.quota\"").contains("\"status\":507");
        assertThat(artifacts.find("quota/b")).isNull();
        assertThat(artifacts.temporaryFiles()).isZero();

        assertThat(mvc.delete().uri("/api/v1/artifacts/quota/a").exchange()).hasStatus(204);
        // The blob goes at the next reconciliation (grace 0 in the fixture); then the room is back.
        await().atMost(WAIT).until(() -> artifacts.stats().localBytes() == 0);
        assertThat(put("quota/b", bytes(600_000, 2))).hasStatusOk();
    }

    @Test
    void aDeclaredLengthOverTheQuotaIsRefusedBeforeTheBodyIsRead() {
        AtomicLong read = new AtomicLong();
        InputStream body = counting(read);
        assertThatThrownBy(() -> artifacts.put("quota/declared", body, QUOTA + 1L, null, false))
                .isInstanceOfSatisfying(ArtifactStoreFullException.class,
                        e -> assertThat(e.property()).isEqualTo("ratchet.artifacts.quota"));
        assertThat(read).hasValue(0);
    }

    @Test
    void anUploadOfUnknownLengthIsStoppedAsSoonAsItPassesTheQuota() throws Exception {
        AtomicLong read = new AtomicLong();
        long room = QUOTA - artifacts.stats().localBytes();
        assertThatThrownBy(() -> artifacts.put("quota/chunked", counting(read), -1, null, false))
                .isInstanceOf(ArtifactStoreFullException.class).hasMessageContaining("ratchet.artifacts.quota");
        // One read buffer (256 KiB) past the quota at most: the stream itself never ends.
        assertThat(read.get()).isGreaterThan(room).isLessThanOrEqualTo(room + 256L * 1024);
        assertThat(artifacts.temporaryFiles()).isZero();
        assertThat(artifacts.find("quota/chunked")).isNull();
    }

    /** An endless body that counts what is read from it. */
    private static InputStream counting(AtomicLong read) {
        return new InputStream() {
            @Override
            public int read() {
                read.incrementAndGet();
                return 7;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                read.addAndGet(len);
                java.util.Arrays.fill(b, off, off + len, (byte) 7);
                return len;
            }
        };
    }
}
