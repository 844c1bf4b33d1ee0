package dev.ratchet.bootstrap;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The question "do you have a cluster?" a node asks before it bootstraps, and its authenticated answer.
 *
 * <p>The asker sends a random nonce ({@code GET /api/v1/bootstrap/status?nonce=...}); the answer names
 * the answering node, whether it is fresh (empty data directory: {@link State#FRESH}, or
 * {@link State#FOUNDER} when it may found the cluster) or a {@link State#MEMBER} of a cluster (with the cluster's id when it knows one), and carries an
 * HMAC-SHA256 over nonce, node id, state and cluster id under a key derived from the join token. A
 * replayed or forged answer does not verify, so a stray process on a seed address can neither stop a
 * bootstrap nor make one happen.
 *
 * <p>Immutable and thread-safe.
 */
public final class BootstrapProbe {

    /** The path of the question on the API port. */
    public static final String PATH = "/api/v1/bootstrap/status";
    static final int NONCE_BYTES = 24;

    /** What the answering node is. */
    public enum State {
        /** Empty data directory, waiting to join: it has no cluster yet. */
        FRESH,
        /** Empty data directory and {@code ratchet.bootstrap=true}: it has no cluster yet and may found one. */
        FOUNDER,
        /** It runs as a member of a cluster. */
        MEMBER
    }

    /** The answer, as sent on the wire (JSON). {@code clusterId} may be empty. */
    public record Answer(String nodeId, State state, String clusterId, String mac) {
    }

    private final byte[] key;

    /** @param joinToken the cluster's join token (both sides must hold the same one) */
    public BootstrapProbe(String joinToken) {
        Objects.requireNonNull(joinToken, "joinToken");
        this.key = hmac(joinToken.getBytes(StandardCharsets.UTF_8),
                "ratchet-bootstrap-probe-v1".getBytes(StandardCharsets.US_ASCII));
    }

    /** A fresh nonce for one question (URL-safe base64). */
    public static String newNonce(SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    }

    /** The signed answer of node {@code nodeId} to {@code nonce}. */
    public Answer answer(String nonce, String nodeId, State state, String clusterId) {
        String cluster = clusterId == null ? "" : clusterId;
        return new Answer(nodeId, state, cluster, mac(nonce, nodeId, state, cluster));
    }

    /** True if {@code answer} was made with this join token for {@code nonce}. Constant-time comparison. */
    public boolean verify(String nonce, Answer answer) {
        if (answer == null || answer.nodeId() == null || answer.state() == null || answer.mac() == null) {
            return false;
        }
        String expected = mac(nonce, answer.nodeId(), answer.state(), answer.clusterId() == null ? "" : answer.clusterId());
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                answer.mac().getBytes(StandardCharsets.US_ASCII));
    }

    /** True if {@code nonce} has the shape {@link #newNonce} gives (bounded, URL-safe base64). */
    public static boolean isWellFormedNonce(String nonce) {
        return nonce != null && nonce.length() >= 16 && nonce.length() <= 64 && nonce.matches("[A-Za-z0-9_-]+");
    }

    private String mac(String nonce, String nodeId, State state, String clusterId) {
        // Length-prefixed fields: no two different answers share the bytes that are signed.
        StringBuilder text = new StringBuilder();
        for (String field : new String[] {nonce, nodeId, state.name(), clusterId}) {
            text.append(field.length()).append(':').append(field).append(';');
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
