package dev.ratchet.api;

import dev.ratchet.node.NoLeaderException;
import dev.ratchet.join.RaftIds;
import dev.ratchet.node.RatchetNode;
import dev.ratchet.raft.Status;
import dev.ratchet.state.Member;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Sends an admin request this node cannot serve (it does not lead) to the leader's API, with this node's
 * admin token, and relays the answer. A forwarded request is never forwarded again: if leadership moved
 * meanwhile the caller gets 503 and retries. Thread-safe.
 */
final class LeaderForwarder {

    static final String FORWARDED_HEADER = "X-Ratchet-Forwarded-By";
    /** Largest forwarded body relayed, in bytes. */
    static final int MAX_BODY = 64 * 1024;

    private final RatchetNode node;
    private final String adminToken;
    private final Duration timeout;
    private final HttpClient http;

    LeaderForwarder(RatchetNode node, String adminToken, Duration timeout) {
        this.node = node;
        this.adminToken = adminToken;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * @param pathAndQuery the path (with query) to call on the leader
     * @param forwardedBy the value of {@link #FORWARDED_HEADER} on the incoming request, or null
     */
    ResponseEntity<String> forward(String method, String pathAndQuery, String jsonBody, String forwardedBy)
            throws IOException, InterruptedException {
        Status s = node.driver().status();
        if (forwardedBy != null) {
            throw new NoLeaderException("leadership moved while the request from " + forwardedBy
                    + " was forwarded; retry");
        }
        Member leader = s.leader() == null ? null : node.state().members().get(RaftIds.nodeId(s.leader()));
        if (leader == null) {
            throw new NoLeaderException("no leader is known to forward the request to; retry shortly");
        }
        if (adminToken == null) {
            throw new NoLeaderException(s.leader() + " leads; send the request to " + leader.apiUrl()
                    + " (this node has no ratchet.admin-token to forward it with)");
        }
        HttpRequest.BodyPublisher body = jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody);
        HttpRequest request = HttpRequest.newBuilder(URI.create(leader.apiUrl() + pathAndQuery))
                .timeout(timeout).method(method, body)
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", MediaType.APPLICATION_JSON_VALUE)
                .header(FORWARDED_HEADER, node.settings().nodeId()).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        String answer = response.body();
        if (answer != null && answer.length() > MAX_BODY) {
            answer = answer.substring(0, MAX_BODY);
        }
        return ResponseEntity.status(HttpStatus.valueOf(response.statusCode()))
                .header("Content-Type", response.headers().firstValue("Content-Type").orElse("application/json"))
                .header(FORWARDED_HEADER + "-To", RaftIds.nodeId(s.leader()))
                .body(answer);
    }
}
