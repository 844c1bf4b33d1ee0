package dev.ratchet.state;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How etags are made. A document's etag is strong and changes whenever its content or its revision
 * changes: the revision (the log index of the write) followed by a digest of the content. Rewriting the
 * same bytes therefore yields a new etag, which is what compare-and-set users expect (as etcd's
 * mod_revision). Artifact etags are the SHA-256 of the file content alone, so equal files share one blob.
 */
public final class Etags {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Etags() {
    }

    /** The etag of a document written at {@code revision} with {@code value}; unquoted. */
    public static String forDocument(long revision, byte[] value) {
        ByteBuffer digest = ByteBuffer.wrap(sha256(value));
        return forDocument(revision, digest.getLong(), digest.getInt());
    }

    /**
     * The same etag from its parts, the first 8 and the next 4 bytes of the content's digest; with
     * {@link #forDocumentAscii}, the one place that spells a document etag ({@link Document} keeps only the parts).
     */
    static String forDocument(long revision, long digestHigh, int digestLow) {
        return Long.toString(revision, 36) + "-" + HEX.toHexDigits(digestHigh) + HEX.toHexDigits(digestLow);
    }

    /**
     * {@link #forDocument(long, long, int)}'s etag as ASCII bytes, spelled without intermediate strings (a
     * snapshot image writes one per document).
     */
    static byte[] forDocumentAscii(long revision, long digestHigh, int digestLow) {
        String base36 = Long.toString(revision, 36);
        int n = base36.length();
        byte[] out = new byte[n + 1 + 24];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) base36.charAt(i);
        }
        out[n] = '-';
        for (int i = 0; i < 16; i++) {
            out[n + 1 + i] = HEX_DIGITS[(int) (digestHigh >>> (60 - 4 * i)) & 0xf];
        }
        for (int i = 0; i < 8; i++) {
            out[n + 17 + i] = HEX_DIGITS[(digestLow >>> (28 - 4 * i)) & 0xf];
        }
        return out;
    }

    /** Lower-case hex SHA-256 of the bytes. */
    public static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(sha256(bytes));
    }

    /** True if the string is 64 lower-case hex characters, the form of an artifact etag. */
    public static boolean isSha256Hex(String s) {
        return s != null && s.length() == 64 && isLowerHex(s, 0);
    }

    /** True if every character of {@code s} from {@code from} on is a lower-case hex digit. */
    static boolean isLowerHex(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
