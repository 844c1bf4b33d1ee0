package dev.ratchet.join;

import dev.ratchet.state.Member;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cryptography of joining, in the spirit of kubeadm's bootstrap-token discovery: a node that holds no
 * trust root yet proves it knows the cluster's join token, and the cluster answers with its roots (private
 * keys included, since every member mints its own leaves) encrypted under a key only a token holder can
 * derive. Both directions are authenticated by the token, so a joiner can tell a real cluster from an
 * impostor, and nothing useful leaks to someone without the token.
 *
 * <ul>
 *   <li>Request: node id, addresses, a fresh 32-byte nonce and a timestamp, MACed with
 *       {@code K_auth = HMAC(token, "ratchet-join-auth-v1")}. Verified in constant time; the timestamp
 *       must be within {@link #MAX_CLOCK_SKEW_MILLIS} of the receiver's clock.</li>
 *   <li>Response: AES-256-GCM under {@code K_enc = HMAC(token, "ratchet-join-enc-v1" || nonce)}, with the
 *       joiner's id and nonce as associated data, of the roots bundle and the member list.</li>
 * </ul>
 */
public final class JoinProtocol {

    /** How far apart the joiner's and the member's clocks may be. */
    public static final long MAX_CLOCK_SKEW_MILLIS = 5 * 60_000L;
    static final int NONCE_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int MAX_RESPONSE_BYTES = 4 << 20;

    /** What a joiner sends (all fields travel as JSON; binary ones in base64). */
    public record JoinRequest(String nodeId, String peerAddress, String apiUrl, long timestampMillis, String nonce,
            String mac, Boolean refreshOnly, String incarnation) {

        /** Absent (older joiners, hand-written requests) means a plain join. */
        public boolean isRefreshOnly() {
            return Boolean.TRUE.equals(refreshOnly);
        }

        /** The joiner's incarnation; absent (a joiner from before incarnations) means the legacy one, "". */
        public String incarnationOrLegacy() {
            return incarnation == null ? "" : incarnation;
        }
    }

    /** What the cluster answers: IV and ciphertext, base64. */
    public record JoinResponse(String iv, String ciphertext) {
    }

    /** The decrypted answer. */
    public record JoinGrant(byte[] serializedRoots, List<Member> members) {
    }

    private static final int MAX_REMEMBERED_NONCES = 10_000;

    private final java.util.LinkedHashMap<String, Long> seenNonces = new java.util.LinkedHashMap<>();
    private final byte[] authKey;
    private final byte[] token;
    private final SecureRandom random;

    public JoinProtocol(String joinToken, SecureRandom random) {
        this.token = joinToken.getBytes(StandardCharsets.UTF_8);
        this.authKey = hmac(token, "ratchet-join-auth-v1".getBytes(StandardCharsets.US_ASCII));
        this.random = random;
    }

    /**
     * Builds a signed join request for this node. {@code refreshOnly}: this node is already a member and
     * only wants the current roots; the cluster must not change its membership for it (so a node an
     * operator removed cannot re-add itself by asking for roots).
     */
    public JoinRequest request(Member self, String incarnation, long nowMillis, boolean refreshOnly) {
        Incarnation.requireValid(incarnation);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        String nonceText = Base64.getEncoder().encodeToString(nonce);
        byte[] mac = hmac(authKey, canonical(self.id(), self.peerAddress(), self.apiUrl(), nowMillis, nonceText,
                refreshOnly, incarnation));
        return new JoinRequest(self.id(), self.peerAddress(), self.apiUrl(), nowMillis, nonceText,
                Base64.getEncoder().encodeToString(mac), refreshOnly, incarnation.isEmpty() ? null : incarnation);
    }

    /**
     * Checks a join request; returns the member it describes.
     *
     * @throws JoinRefusedException with a reason safe to show, if the MAC, timestamp or fields are wrong
     */
    public Member verify(JoinRequest request, long nowMillis) {
        if (request == null || request.nodeId() == null || request.peerAddress() == null || request.apiUrl() == null
                || request.nonce() == null || request.mac() == null) {
            throw new JoinRefusedException("join request is missing fields");
        }
        try {
            Incarnation.requireValid(request.incarnationOrLegacy());
        } catch (IllegalArgumentException e) {
            throw new JoinRefusedException(e.getMessage());
        }
        byte[] mac = decode(request.mac(), "mac");
        byte[] expected = hmac(authKey, canonical(request.nodeId(), request.peerAddress(), request.apiUrl(),
                request.timestampMillis(), request.nonce(), request.isRefreshOnly(), request.incarnationOrLegacy()));
        if (!MessageDigest.isEqual(mac, expected)) {
            throw new JoinRefusedException("join token does not match");
        }
        if (Math.abs(nowMillis - request.timestampMillis()) > MAX_CLOCK_SKEW_MILLIS) {
            throw new JoinRefusedException("join request timestamp is more than 5 minutes from this node's clock");
        }
        if (decode(request.nonce(), "nonce").length != NONCE_BYTES) {
            throw new JoinRefusedException("join nonce must be " + NONCE_BYTES + " bytes");
        }
        if (!rememberNonce(request.nonce(), nowMillis)) {
            throw new JoinRefusedException("join request replayed");
        }
        try {
            return new Member(request.nodeId(), request.peerAddress(), request.apiUrl());
        } catch (IllegalArgumentException e) {
            throw new JoinRefusedException("join request names an invalid member: " + e.getMessage());
        }
    }

    /** Encrypts the grant for the verified request. */
    public JoinResponse grant(JoinRequest request, byte[] serializedRoots, List<Member> members) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] plain = encodeGrant(serializedRoots, members);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, request, iv);
            byte[] sealed = cipher.doFinal(plain);
            return new JoinResponse(Base64.getEncoder().encodeToString(iv), Base64.getEncoder().encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * Decrypts and authenticates the cluster's answer to our request.
     *
     * @throws JoinRefusedException if the answer was not made with our token for our request
     */
    public JoinGrant open(JoinRequest request, JoinResponse response) {
        if (response == null || response.iv() == null || response.ciphertext() == null) {
            throw new JoinRefusedException("join answer is missing fields");
        }
        byte[] iv = decode(response.iv(), "iv");
        byte[] sealed = decode(response.ciphertext(), "ciphertext");
        if (iv.length != IV_BYTES || sealed.length > MAX_RESPONSE_BYTES) {
            throw new JoinRefusedException("join answer is malformed");
        }
        byte[] plain;
        try {
            plain = cipher(Cipher.DECRYPT_MODE, request, iv).doFinal(sealed);
        } catch (GeneralSecurityException e) {
            throw new JoinRefusedException("join answer does not authenticate: the cluster uses another join token");
        }
        return decodeGrant(plain);
    }

    private Cipher cipher(int mode, JoinRequest request, byte[] iv) throws GeneralSecurityException {
        byte[] nonce = decode(request.nonce(), "nonce");
        byte[] encKey = hmac(token, concat("ratchet-join-enc-v1".getBytes(StandardCharsets.US_ASCII), nonce));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(encKey, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(canonical(request.nodeId(), request.peerAddress(), request.apiUrl(), request.timestampMillis(),
                request.nonce(), request.isRefreshOnly(), request.incarnationOrLegacy()));
        return cipher;
    }

    private static byte[] canonical(String nodeId, String peerAddress, String apiUrl, long ts, String nonce,
            boolean refreshOnly, String incarnation) {
        // The incarnation is appended only when there is one, so requests of joiners from before
        // incarnations (and their MACs) stay exactly what they were.
        String s = "ratchet-join-v1\n" + nodeId + "\n" + peerAddress + "\n" + apiUrl + "\n" + ts + "\n" + nonce
                + "\n" + (refreshOnly ? "refresh" : "join") + (incarnation.isEmpty() ? "" : "\nincarnation " + incarnation);
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Records a verified nonce; false if it was seen within the clock-skew window (a replay). Bounded:
     * expired nonces are dropped, and past the cap the oldest go first.
     */
    private synchronized boolean rememberNonce(String nonce, long nowMillis) {
        seenNonces.values().removeIf(seenAt -> nowMillis - seenAt > 2 * MAX_CLOCK_SKEW_MILLIS);
        if (seenNonces.containsKey(nonce)) {
            return false;
        }
        if (seenNonces.size() >= MAX_REMEMBERED_NONCES) {
            seenNonces.remove(seenNonces.keySet().iterator().next());
        }
        seenNonces.put(nonce, nowMillis);
        return true;
    }

    private static byte[] encodeGrant(byte[] roots, List<Member> members) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(roots.length);
            out.write(roots);
            out.writeInt(members.size());
            for (Member m : members) {
                out.writeUTF(m.id());
                out.writeUTF(m.peerAddress());
                out.writeUTF(m.apiUrl());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JoinGrant decodeGrant(byte[] plain) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain));
            int rootsLength = in.readInt();
            if (rootsLength < 0 || rootsLength > plain.length) {
                throw new JoinRefusedException("join answer is malformed");
            }
            byte[] roots = in.readNBytes(rootsLength);
            int count = in.readInt();
            if (count < 0 || count > 1024) {
                throw new JoinRefusedException("join answer is malformed");
            }
            List<Member> members = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                members.add(new Member(in.readUTF(), in.readUTF(), in.readUTF()));
            }
            return new JoinGrant(roots, members);
        } catch (IOException | IllegalArgumentException e) {
            throw new JoinRefusedException("join answer is malformed");
        }
    }

    private static byte[] decode(String base64, String what) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new JoinRefusedException("join " + what + " is not valid base64");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** A join that must not go ahead; the message is safe to show to the other side. */
    public static final class JoinRefusedException extends RuntimeException {
        public JoinRefusedException(String message) {
            super(message);
        }
    }
}
