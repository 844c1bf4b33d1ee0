package dev.ratchet.join;

import dev.ratchet.state.Member;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks members, through their REST API, to admit this node and hand it the cluster's trust roots: a
 * challenge first ({@code POST /api/v1/cluster/join/challenge}), then the answer to it
 * ({@code POST /api/v1/cluster/join}) at the same member. Tries each address in turn; a refusal for a
 * wrong token is final, any other failure is retried with backoff until the deadline.
 */
public final class JoinClient {

    private static final Logger log = LoggerFactory.getLogger(JoinClient.class);
    static final String JOIN_PATH = "/api/v1/cluster/join";
    static final String CHALLENGE_PATH = "/api/v1/cluster/join/challenge";

    private final JoinCredential credential;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile String waitingReason;

    public JoinClient(JoinCredential credential) {
        this.credential = credential;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Joins (or, for a member, re-fetches the roots) through the first address that answers.
     *
     * @throws JoinProtocol.JoinRefusedException if a member refused the token, or the answer did not authenticate
     * @throws IOException if no address answered before the deadline
     */
    public JoinProtocol.JoinGrant join(Member self, String incarnation, List<URI> addresses, Duration deadline,
            boolean refreshOnly)
            throws IOException, InterruptedException {
        if (addresses.isEmpty()) {
            throw new IOException("no address to join through: set ratchet.join-addresses to the API URL of a member");
        }
        long end = System.nanoTime() + deadline.toNanos();
        long backoffMillis = 200;
        IOException last = null;
        while (true) {
            JoinProtocol.JoinRefusedException refusal = null;
            int refusals = 0;
            for (URI base : addresses) {
                try {
                    return joinOnce(self, incarnation, base, refreshOnly);
                } catch (IOException e) {
                    last = e;
                    waiting("join through " + base + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                } catch (JoinProtocol.JoinRefusedException e) {
                    // One address refusing (or answering with something that does not authenticate)
                    // may be an impostor or a stale member: try the others before giving up.
                    refusal = e;
                    refusals++;
                    log.warn("join through {} refused: {}", base, e.getMessage());
                }
            }
            if (refusal != null && refusals == addresses.size()) {
                throw refusal;
            }
            if (System.nanoTime() - end > 0) {
                throw new IOException("could not join through " + addresses + " within " + deadline
                        + (last == null ? "" : "; last failure: " + last.getMessage()), last);
            }
            // Waiting between rounds of attempts is the point here, not a test delay.
            Thread.sleep(backoffMillis);
            backoffMillis = Math.min(backoffMillis * 2, 5_000);
        }
    }

    private JoinProtocol.JoinGrant joinOnce(Member self, String incarnation, URI base, boolean refreshOnly)
            throws IOException, InterruptedException {
        JoinProtocol.Challenge challenge = post(base, CHALLENGE_PATH, credential.challengeRequest(),
                JoinProtocol.Challenge.class, self);
        JoinCredential.Answer answer = credential.answer(challenge, self, incarnation, refreshOnly);
        JoinProtocol.JoinResponse response = post(base, JOIN_PATH, answer.request(), JoinProtocol.JoinResponse.class, self);
        JoinProtocol.JoinGrant grant = answer.open(response);
        waitingReason = null;
        return grant;
    }

    private <T> T post(URI base, String path, Object body, Class<T> answerType, Member self)
            throws IOException, InterruptedException {
        HttpRequest post = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(post, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 403) {
            throw new JoinProtocol.JoinRefusedException("member " + base + " refused to admit " + self.id()
                    + ": " + response.body());
        }
        if (response.statusCode() != 200) {
            throw new IOException("member " + base + " answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        try {
            return json.readValue(response.body(), answerType);
        } catch (RuntimeException e) {
            throw new IOException("member " + base + " sent an unreadable answer to " + path);
        }
    }

    /**
     * Why the last join attempt did not succeed, or null once one did (or none was made). Read by
     * readiness and metrics while a node waits to be admitted.
     */
    public String waitingReason() {
        return waitingReason;
    }

    /** Logs a reason to wait once per distinct reason, not at every retry. */
    private void waiting(String reason) {
        String previous = waitingReason;
        waitingReason = reason;
        if (!reason.equals(previous)) {
            log.info("waiting to join: {}", reason);
        } else {
            log.debug("still waiting to join: {}", reason);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
