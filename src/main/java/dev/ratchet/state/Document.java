package dev.ratchet.state;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A stored key/value document: its bytes, its etag, and the log indexes at which the key was created
 * and last modified. The value array is never handed out for mutation: {@link #value()} returns a copy.
 * Immutable and safe to share between threads.
 *
 * <p>Why the etag is not kept as a string (issue 14, heap per document): a document's etag is its mod
 * revision in base 36, a dash and 24 hex digits of a digest ({@link Etags#forDocument}). As a
 * {@code String} it took 72 bytes of a 100-byte document's ~330; the 12 digest bytes held in two fields
 * take 12, and {@link #etag()} spells the string out when asked. An etag of any other form (a snapshot
 * written by a build with another scheme) is kept as given.
 */
public final class Document {

    private static final HexFormat HEX = HexFormat.of();
    private static final int DIGEST_HEX_DIGITS = 24;

    private final String key;
    private final byte[] value;
    private final long createRevision;
    private final long modRevision;
    /** The first 8 and the next 4 digest bytes of a compact etag. */
    private final long digestHigh;
    private final int digestLow;
    /** The etag as given when it does not have the compact form; null when it does. */
    private final String otherEtag;

    /**
     * @throws NullPointerException if the key, the value or the etag is null
     */
    public Document(String key, byte[] value, String etag, long createRevision, long modRevision) {
        this.key = Objects.requireNonNull(key, "key");
        this.value = Objects.requireNonNull(value, "value");
        Objects.requireNonNull(etag, "etag");
        this.createRevision = createRevision;
        this.modRevision = modRevision;
        String prefix = Long.toString(modRevision, 36) + "-";
        if (etag.length() == prefix.length() + DIGEST_HEX_DIGITS && etag.startsWith(prefix)
                && Etags.isLowerHex(etag, prefix.length())) {
            this.digestHigh = HEX.fromHexDigitsToLong(etag, prefix.length(), prefix.length() + 16);
            this.digestLow = HEX.fromHexDigits(etag, prefix.length() + 16, etag.length());
            this.otherEtag = null;
        } else {
            this.digestHigh = 0;
            this.digestLow = 0;
            this.otherEtag = etag;
        }
    }

    public String key() {
        return key;
    }

    /** A copy of the value. */
    public byte[] value() {
        return value.clone();
    }

    /** The etag, unquoted; a new string on each call when it is held compactly. */
    public String etag() {
        if (otherEtag != null) {
            return otherEtag;
        }
        return Etags.forDocument(modRevision, digestHigh, digestLow);
    }

    /**
     * The etag's UTF-8 bytes (ASCII for a compact etag), as a snapshot image stores them; built without the
     * intermediate strings {@link #etag()} makes, since encoding a large state does this once per document.
     */
    byte[] etagBytes() {
        if (otherEtag != null) {
            return otherEtag.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return Etags.forDocumentAscii(modRevision, digestHigh, digestLow);
    }

    public long createRevision() {
        return createRevision;
    }

    public long modRevision() {
        return modRevision;
    }

    /** Size of the value in bytes, without copying it. */
    public int size() {
        return value.length;
    }

    byte[] valueUnsafe() {
        return value;
    }

    // The etag's form is canonical for a given mod revision (compact exactly when it can be), so comparing
    // the fields compares the etags without spelling them out.
    @Override
    public boolean equals(Object o) {
        return o instanceof Document d && key.equals(d.key) && Arrays.equals(value, d.value)
                && digestHigh == d.digestHigh && digestLow == d.digestLow && Objects.equals(otherEtag, d.otherEtag)
                && createRevision == d.createRevision && modRevision == d.modRevision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, digestHigh, digestLow, otherEtag, createRevision, modRevision);
    }

    @Override
    public String toString() {
        return "Document[" + key + ", " + value.length + "B, etag=" + etag() + ", rev=" + modRevision + "]";
    }
}
