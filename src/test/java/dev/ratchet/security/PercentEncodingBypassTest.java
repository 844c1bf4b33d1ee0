package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 1: the admin check used to decide on the raw URI while Spring MVC matched the decoded
 * path, so percent-encoded spellings of protected paths answered 200 without credentials. Sent over a
 * plain socket so that no client library normalises the spelling first.
 */
class PercentEncodingBypassTest extends SoloNodeTest {

    @Test
    void encodedSpellingsOfProtectedPathsAreNeverServedWithoutCredentials() throws IOException {
        List<String> targets = List.of("/api/v1/%61dmin/backup", "/%61pi/v1/admin/backup", "/api/%761/admin/backup",
                "/%61ctuator/roots", "/%61ctuator/consensus", "/actuator/%72oots", "/api/v1/admin/%62ackup");
        for (String target : targets) {
            RawHttp.Response r = http.send("GET", target, null);
            assertThat(r.status()).as("GET %s without credentials: %s", target, r.body()).isIn(400, 401, 403, 404);
            assertThat(r.body()).as(target).doesNotContain("PRIVATE").doesNotContain("nodeId");
        }
    }

    @Test
    void thePlainSpellingStillWorksWithTheToken() throws IOException {
        assertThat(http.send("GET", "/actuator/consensus", SoloNode.ADMIN_TOKEN).status()).isEqualTo(200);
        assertThat(http.send("GET", "/actuator/consensus", null).status()).isEqualTo(401);
    }
}
