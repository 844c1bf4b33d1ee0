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
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The wire form and cryptography of joining. A node that holds no trust root yet proves it knows a join
 * token, and the cluster answers with its roots (private keys included, since every member mints its
 * own leaves) encrypted under a key only a token holder can derive.
 *
 * <ol>
 *   <li>The joiner asks a member for a challenge, naming its minted token's id if it has one. The member
 *       answers with a fresh one-time nonce, its own node id (the issuer), and the salt and iteration
 *       count of the token's key: {@code K = PBKDF2-HMAC-SHA256(token, salt, iterations)} ({@link JoinKeys}).</li>
 *   <li>The joiner sends its request with {@code mac = HMAC(K, canonical(issuer, challenge, token id,
 *       request fields, joiner nonce))}. The member takes the challenge out of its outstanding set (so
 *       the request cannot be replayed, and it is unknown to every other member) and checks the MAC in
 *       constant time.</li>
 *   <li>The answer is AES-256-GCM under {@code HMAC(K, "ratchet-join-enc-v2" || challenge || joiner nonce)}
 *       with the canonical request as associated data: it authenticates the member to the joiner.</li>
 * </ol>
 * A sniffed exchange lets an eavesdropper test guesses of the token offline only at the KDF's price per
 * guess. Stateless; thread-safe.
 */
public final class JoinProtocol {

    static final int NONCE_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int MAX_RESPONSE_BYTES = 4 << 20;

    /** What a joiner asks for first: {@code tokenId} of its minted token, or null for the bootstrap token. */
    public record ChallengeRequest(String tokenId) {
    }

    /**
     * A member's one-time challenge: {@code nonce} and {@code salt} in base64; valid for
     * {@code ttlMillis} and only at {@code issuer}.
     */
    public record Challenge(String issuer, String nonce, String salt, int iterations, long ttlMillis) {
    }

    /** What a joiner sends (JSON; binary fields in base64). */
    public record JoinRequest(String nodeId, String peerAddress, String apiUrl, String issuer, String challenge,
            String tokenId, String joinerNonce, String mac, Boolean refreshOnly, String incarnation) {

        /** Absent (hand-written requests) means a plain join. */
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

    private JoinProtocol() {
    }

    /** Builds and MACs a request answering {@code challenge} under {@code key}. */
    static JoinRequest request(byte[] key, Challenge challenge, String tokenId, Member self, String incarnation,
            boolean refreshOnly, SecureRandom random) {
        Incarnation.requireValid(incarnation);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        JoinRequest unsigned = new JoinRequest(self.id(), self.peerAddress(), self.apiUrl(), challenge.issuer(),
                challenge.nonce(), tokenId, Base64.getEncoder().encodeToString(nonce), null, refreshOnly,
                incarnation.isEmpty() ? null : incarnation);
        String mac = Base64.getEncoder().encodeToString(JoinKeys.hmac(key, canonical(unsigned)));
        return new JoinRequest(unsigned.nodeId(), unsigned.peerAddress(), unsigned.apiUrl(), unsigned.issuer(),
                unsigned.challenge(), tokenId, unsigned.joinerNonce(), mac, unsigned.refreshOnly(), unsigned.incarnation());
    }

    /**
     * Checks that every field is present and well-formed; returns the member the request describes.
     *
     * @throws JoinRefusedException naming what is wrong
     */
    static Member requireWellFormed(JoinRequest request) {
        if (request == null || request.nodeId() == null || request.peerAddress() == null || request.apiUrl() == null
                || request.issuer() == null || request.challenge() == null || request.joinerNonce() == null
                || request.mac() == null) {
            throw new JoinRefusedException("join request is missing fields (ask POST /api/v1/cluster/join/challenge"
                    + " first; a join needs nodeId, peerAddress, apiUrl, issuer, challenge, joinerNonce and mac)");
        }
        try {
            Incarnation.requireValid(request.incarnationOrLegacy());
        } catch (IllegalArgumentException e) {
            throw new JoinRefusedException(e.getMessage());
        }
        if (decode(request.joinerNonce(), "joiner nonce").length != NONCE_BYTES
                || decode(request.challenge(), "challenge").length != NONCE_BYTES) {
            throw new JoinRefusedException("join nonces must be " + NONCE_BYTES + " bytes");
        }
        decode(request.mac(), "mac");
        try {
            return new Member(request.nodeId(), request.peerAddress(), request.apiUrl());
        } catch (IllegalArgumentException e) {
            throw new JoinRefusedException("join request names an invalid member: " + e.getMessage());
        }
    }

    /** True when the request's MAC was made with {@code key}; constant time. */
    static boolean macMatches(byte[] key, JoinRequest request) {
        return MessageDigest.isEqual(decode(request.mac(), "mac"), JoinKeys.hmac(key, canonical(request)));
    }

    /** Encrypts the grant for a verified request. */
    static JoinResponse seal(byte[] key, JoinRequest request, byte[] serializedRoots, List<Member> members,
            SecureRandom random) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key, request, iv).doFinal(encodeGrant(serializedRoots, members));
            return new JoinResponse(Base64.getEncoder().encodeToString(iv), Base64.getEncoder().encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * Decrypts and authenticates the cluster's answer to our request.
     *
     * @throws JoinRefusedException if the answer was not made with our key for our request
     */
    static JoinGrant open(byte[] key, JoinRequest request, JoinResponse response) {
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
            plain = cipher(Cipher.DECRYPT_MODE, key, request, iv).doFinal(sealed);
        } catch (GeneralSecurityException e) {
            throw new JoinRefusedException("join answer does not authenticate: the cluster uses another join token");
        }
        return decodeGrant(plain);
    }

    private static Cipher cipher(int mode, byte[] key, JoinRequest request, byte[] iv) throws GeneralSecurityException {
        byte[] encKey = JoinKeys.hmac(key, JoinKeys.ascii("ratchet-join-enc-v2"), decode(request.challenge(), "challenge"),
                decode(request.joinerNonce(), "joiner nonce"));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(encKey, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(canonical(request));
        return cipher;
    }

    /** Every field the MAC covers, one per line; the issuer binds the proof to the member that challenged. */
    private static byte[] canonical(JoinRequest r) {
        String s = "ratchet-join-v2\n" + r.issuer() + "\n" + r.challenge() + "\n"
                + (r.tokenId() == null ? "-" : r.tokenId()) + "\n" + r.nodeId() + "\n" + r.peerAddress() + "\n"
                + r.apiUrl() + "\n" + r.joinerNonce() + "\n" + (r.isRefreshOnly() ? "refresh" : "join") + "\n"
                + r.incarnationOrLegacy();
        return s.getBytes(StandardCharsets.UTF_8);
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

    static byte[] decode(String base64, String what) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new JoinRefusedException("join " + what + " is not valid base64");
        }
    }

    /** A join that must not go ahead; the message is safe to show to the other side. */
    public static final class JoinRefusedException extends RuntimeException {
        public JoinRefusedException(String message) {
            super(message);
        }
    }
}
