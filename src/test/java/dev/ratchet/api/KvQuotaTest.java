package dev.ratchet.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The document quota: a store that would outgrow it refuses writes with 507 and keeps taking deletes. */
@WebMvcTest(KvController.class)
@Import({RequestThreadWait.class, KvControllerTest.Fixture.class})
@TestPropertySource(properties = "ratchet.api.max-store-size=2000B")
class KvQuotaTest {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    DirectReplicator replicator;

    private MvcTestResult put(String key, String body) {
        return mvc.put().uri("/api/v1/kv/" + key).contentType(MediaType.APPLICATION_OCTET_STREAM).content(body).exchange();
    }

    @Test
    void writesPastTheQuotaAreRefusedWhileDeletesAndShrinkingStillWork() throws Exception {
        // 2000 bytes: each document counts 384 bytes plus its value, so five 10-byte values fit, not six.
        for (int i = 0; i < 5; i++) {
            assertThat(put("quota/k" + i, "0123456789")).hasStatus(201);
        }
        MvcTestResult full = put("quota/k5", "0123456789");
        assertThat(full).hasStatus(507);
        assertThat(full.getResponse().getContentType()).isEqualTo("application/problem+json");
        assertThat(full.getResponse().getContentAsString()).contains("ratchet.api.max-store-size");
        assertThat(replicator.state().document("quota/k5")).isNull();
        assertThat(put("quota/k0", "01234")).as("shrinking a value").hasStatusOk();
        assertThat(put("quota/k2", "0123456789".repeat(5))).as("growing one past the quota").hasStatus(507);
        assertThat(mvc.delete().uri("/api/v1/kv/quota/k1").exchange()).hasStatus(204);
        assertThat(put("quota/k5", "0123456789")).as("room again after a delete").hasStatus(201);
    }
}
