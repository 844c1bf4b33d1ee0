package dev.ratchet.trust;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compact binary form of {@link TrustRoots} for the replicated state. Stateless and thread-safe.
 *
 * <p>Layout (big-endian): magic {@code "RTRS"}, version byte {@code 1}, root count byte
 * (1..{@link TrustRoots#MAX_ROOTS}), then per root, newest first: u16 length + DER certificate,
 * u16 length + PKCS#8 DER private key. Nothing may follow. Decoding accepts only the canonical
 * encoding, so {@code encode(decode(b))} equals {@code b} for every accepted {@code b}.
 */
public final class TrustRootsCodec {
    /** Largest certificate or key accepted, in bytes. */
    public static final int MAX_ITEM_BYTES = 8 * 1024;
    /** Largest encoding accepted, in bytes. */
    public static final int MAX_ENCODED_BYTES = 6 + TrustRoots.MAX_ROOTS * (4 + 2 * MAX_ITEM_BYTES);

    private static final byte[] MAGIC = "RTRS".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    private static final byte[] CHALLENGE = "ratchet trust root key check".getBytes(StandardCharsets.US_ASCII);

    private TrustRootsCodec() {
    }

    /** Encodes {@code roots}; never fails for a valid {@link TrustRoots}. */
    public static byte[] encode(TrustRoots roots) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(VERSION);
        out.write(roots.size());
        for (TrustRoot root : roots.roots()) {
            writeItem(out, root.certificateDer());
            writeItem(out, root.privateKey().getEncoded());
        }
        return out.toByteArray();
    }

    /**
     * Decodes and checks roots: each certificate is a self-signed CA, each key belongs to its
     * certificate, no root repeats, and the bytes are the canonical encoding.
     *
     * @throws TrustFormatException on any malformed, truncated, oversized or inconsistent input
     */
    public static TrustRoots decode(byte[] encoded) throws TrustFormatException {
        if (encoded == null) {
            throw new TrustFormatException("trust roots encoding is null");
        }
        if (encoded.length > MAX_ENCODED_BYTES) {
            throw new TrustFormatException("trust roots encoding is " + encoded.length + " bytes, limit "
                    + MAX_ENCODED_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(encoded);
        byte[] magic = take(in, MAGIC.length, "magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new TrustFormatException("not a trust roots encoding: bad magic");
        }
        int version = take(in, 1, "version")[0];
        if (version != VERSION) {
            throw new TrustFormatException("unsupported trust roots version " + version + ", expected " + VERSION);
        }
        int count = take(in, 1, "root count")[0] & 0xff;
        if (count < 1 || count > TrustRoots.MAX_ROOTS) {
            throw new TrustFormatException("root count " + count + " outside 1.." + TrustRoots.MAX_ROOTS);
        }
        // Frame everything first: cheap structural errors are found before any cryptography runs.
        List<byte[]> items = new ArrayList<>(2 * count);
        for (int i = 0; i < count; i++) {
            items.add(readItem(in, "certificate of root " + i));
            items.add(readItem(in, "key of root " + i));
        }
        if (in.hasRemaining()) {
            throw new TrustFormatException(in.remaining() + " unexpected bytes after root " + (count - 1));
        }
        List<TrustRoot> roots = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            X509Certificate certificate = parseCertificate(items.get(2 * i), i);
            PrivateKey key = parseKey(items.get(2 * i + 1), certificate, i);
            roots.add(new TrustRoot(certificate, key));
        }
        try {
            return TrustRoots.of(roots);
        } catch (IllegalArgumentException e) {
            throw new TrustFormatException("inconsistent trust roots: " + e.getMessage());
        }
    }

    private static X509Certificate parseCertificate(byte[] der, int index) throws TrustFormatException {
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TrustFormatException("certificate of root " + index + " is not valid DER X.509", e);
        }
        try {
            if (!Arrays.equals(certificate.getEncoded(), der)) {
                throw new TrustFormatException("certificate of root " + index + " is not in canonical DER");
            }
        } catch (GeneralSecurityException e) {
            throw new TrustFormatException("certificate of root " + index + " cannot be re-encoded", e);
        }
        if (certificate.getBasicConstraints() < 0) {
            throw new TrustFormatException("certificate of root " + index + " is not a CA");
        }
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                || !Certificates.isSignedBy(certificate, certificate.getPublicKey())) {
            throw new TrustFormatException("certificate of root " + index + " is not self-signed");
        }
        return certificate;
    }

    private static PrivateKey parseKey(byte[] der, X509Certificate certificate, int index) throws TrustFormatException {
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TrustFormatException("key of root " + index + " is not a valid PKCS#8 "
                    + certificate.getPublicKey().getAlgorithm() + " key", e);
        }
        if (!Arrays.equals(key.getEncoded(), der)) {
            throw new TrustFormatException("key of root " + index + " is not in canonical PKCS#8");
        }
        try {
            Signature signer = Signature.getInstance(KeyType.signatureAlgorithmFor(key));
            signer.initSign(key);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(KeyType.signatureAlgorithmFor(key));
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(CHALLENGE);
            if (!verifier.verify(signature)) {
                throw new TrustFormatException("key of root " + index + " does not belong to its certificate");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TrustFormatException("key of root " + index + " does not belong to its certificate", e);
        }
        return key;
    }

    private static void writeItem(ByteArrayOutputStream out, byte[] item) {
        if (item.length == 0 || item.length > MAX_ITEM_BYTES) {
            throw new IllegalStateException("item of " + item.length + " bytes cannot be encoded");
        }
        out.write(item.length >>> 8);
        out.write(item.length & 0xff);
        out.writeBytes(item);
    }

    private static byte[] readItem(ByteBuffer in, String what) throws TrustFormatException {
        byte[] header = take(in, 2, "length of " + what);
        int length = ((header[0] & 0xff) << 8) | (header[1] & 0xff);
        if (length == 0 || length > MAX_ITEM_BYTES) {
            throw new TrustFormatException("length of " + what + " is " + length + ", allowed 1.." + MAX_ITEM_BYTES);
        }
        return take(in, length, what);
    }

    private static byte[] take(ByteBuffer in, int length, String what) throws TrustFormatException {
        if (in.remaining() < length) {
            throw new TrustFormatException("truncated at " + what + ": need " + length + " bytes, have " + in.remaining());
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
