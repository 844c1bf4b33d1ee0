package dev.ratchet.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class TrustRootsCodecTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    /** Roots of every key type, made once: RSA-3072 keys take up to a second each. */
    private static final List<TrustRoot> POOL = makePool();

    private static List<TrustRoot> makePool() {
        List<TrustRoot> pool = new ArrayList<>();
        for (KeyType type : KeyType.values()) {
            // One RSA-3072 root only: its key alone takes a second or more to generate.
            for (int i = 0; i < (type == KeyType.RSA_3072 ? 1 : 2); i++) {
                TrustSettings settings = new TrustSettings(java.time.Duration.ofDays(90), 3,
                        java.time.Duration.ofHours(1), type);
                pool.add(Certificates.newRoot(TestKeys.pooled(type, i), settings, NOW.plusSeconds(i), TestKeys.RANDOM));
            }
        }
        return List.copyOf(pool);
    }

    @Provide
    Arbitrary<TrustRoots> rootLists() {
        return Arbitraries.of(POOL).set().ofMinSize(1).ofMaxSize(4)
                .map(set -> TrustRoots.of(new ArrayList<>(set)))
                .flatMap(roots -> Arbitraries.shuffle(roots.roots()).map(TrustRoots::of));
    }

    @Property(tries = 60)
    void roundTripsExactly(@ForAll("rootLists") TrustRoots roots) throws Exception {
        byte[] encoded = TrustRootsCodec.encode(roots);
        TrustRoots decoded = TrustRootsCodec.decode(encoded);
        assertThat(decoded).isEqualTo(roots);
        assertThat(decoded.roots()).extracting(TrustRoot::fingerprint)
                .containsExactlyElementsOf(roots.roots().stream().map(TrustRoot::fingerprint).toList());
        assertThat(TrustRootsCodec.encode(decoded)).isEqualTo(encoded);
    }

    @Property(tries = 300)
    void refusesEveryTruncation(@ForAll("rootLists") TrustRoots roots, @ForAll @IntRange(min = 0, max = 100_000) int cut) {
        byte[] encoded = TrustRootsCodec.encode(roots);
        byte[] truncated = Arrays.copyOf(encoded, cut % encoded.length);
        assertThatThrownBy(() -> TrustRootsCodec.decode(truncated)).isInstanceOf(TrustFormatException.class);
    }

    @Property(tries = 300)
    void refusesTrailingBytes(@ForAll("rootLists") TrustRoots roots, @ForAll @Size(min = 1, max = 64) byte[] tail) {
        byte[] encoded = TrustRootsCodec.encode(roots);
        byte[] longer = Arrays.copyOf(encoded, encoded.length + tail.length);
        System.arraycopy(tail, 0, longer, encoded.length, tail.length);
        assertThatThrownBy(() -> TrustRootsCodec.decode(longer)).isInstanceOf(TrustFormatException.class)
                .hasMessageContaining("unexpected bytes");
    }

    @Property(tries = 100)
    void aChangedByteIsRefusedOrStillRoundTrips(@ForAll("rootLists") TrustRoots roots,
            @ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] mutated = TrustRootsCodec.encode(roots);
        mutated[position % mutated.length] ^= (byte) xor;
        try {
            TrustRoots decoded = TrustRootsCodec.decode(mutated);
            assertThat(TrustRootsCodec.encode(decoded)).isEqualTo(mutated);
            assertThat(decoded).isNotEqualTo(roots);
        } catch (TrustFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void refusesJunk(@ForAll @Size(max = 2048) byte[] junk) {
        assertThatThrownBy(() -> TrustRootsCodec.decode(junk)).isInstanceOf(TrustFormatException.class);
    }

    @Property(tries = 100)
    void refusesJunkBehindAValidHeader(@ForAll @Size(max = 4096) byte[] junk) {
        byte[] input = new byte[6 + junk.length];
        System.arraycopy("RTRS".getBytes(), 0, input, 0, 4);
        input[4] = 1;
        input[5] = 1;
        System.arraycopy(junk, 0, input, 6, junk.length);
        assertThatThrownBy(() -> TrustRootsCodec.decode(input)).isInstanceOf(TrustFormatException.class);
    }

    @Example
    void refusesOversizedNullAndDuplicateInput() {
        assertThatThrownBy(() -> TrustRootsCodec.decode(new byte[TrustRootsCodec.MAX_ENCODED_BYTES + 1]))
                .isInstanceOf(TrustFormatException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> TrustRootsCodec.decode(null)).isInstanceOf(TrustFormatException.class);
        byte[] one = TrustRootsCodec.encode(TrustRoots.of(POOL.get(0)));
        byte[] twice = new byte[6 + 2 * (one.length - 6)];
        System.arraycopy(one, 0, twice, 0, one.length);
        System.arraycopy(one, 6, twice, one.length, one.length - 6);
        twice[5] = 2;
        assertThatThrownBy(() -> TrustRootsCodec.decode(twice)).isInstanceOf(TrustFormatException.class)
                .hasMessageContaining("appears twice");
    }

    @Example
    void refusesAKeyThatBelongsToAnotherRoot() {
        byte[] first = TrustRootsCodec.encode(TrustRoots.of(POOL.get(0)));
        byte[] second = TrustRootsCodec.encode(TrustRoots.of(POOL.get(1)));
        // Same key type and size, so only the pairing differs: keep the first certificate, take the second key.
        int certLength = ((first[6] & 0xff) << 8) | (first[7] & 0xff);
        int secondCertLength = ((second[6] & 0xff) << 8) | (second[7] & 0xff);
        byte[] mixed = new byte[8 + certLength + (second.length - 8 - secondCertLength)];
        System.arraycopy(first, 0, mixed, 0, 8 + certLength);
        System.arraycopy(second, 8 + secondCertLength, mixed, 8 + certLength, second.length - 8 - secondCertLength);
        assertThatThrownBy(() -> TrustRootsCodec.decode(mixed)).isInstanceOf(TrustFormatException.class)
                .hasMessageContaining("does not belong to its certificate");
    }

    @Example
    void textNeverShowsPrivateKeys() throws Exception {
        TrustRoots roots = TrustRoots.of(new ArrayList<>(new LinkedHashSet<>(POOL)));
        List<String> texts = new ArrayList<>();
        texts.add(roots.toString());
        texts.add(roots.describe().toString());
        LeafCertificates leaves = new LeafCertificates(new NodeIdentity("n1", List.of("127.0.0.1")),
                TrustSettings.defaults(), new TestKeys.MutableClock(NOW), TestKeys.RANDOM);
        texts.add(leaves.leafFor(POOL.get(0)).orElseThrow().toString());
        byte[] corrupt = TrustRootsCodec.encode(roots);
        corrupt[corrupt.length - 3] ^= 0x5a;
        try {
            TrustRootsCodec.decode(corrupt);
        } catch (TrustFormatException e) {
            texts.add(e.getMessage());
            texts.add(String.valueOf(e.getCause()));
        }
        Set<String> secrets = new LinkedHashSet<>();
        for (TrustRoot root : roots.roots()) {
            byte[] key = root.privateKey().getEncoded();
            secrets.add(HexFormat.of().formatHex(key, key.length - 24, key.length));
            secrets.add(Base64.getEncoder().encodeToString(Arrays.copyOfRange(key, key.length - 24, key.length)));
            if (root.privateKey() instanceof ECPrivateKey ec) {
                secrets.add(ec.getS().toString());
                secrets.add(ec.getS().toString(16));
            } else if (root.privateKey() instanceof RSAPrivateCrtKey rsa) {
                secrets.add(rsa.getPrivateExponent().toString().substring(0, 40));
                secrets.add(rsa.getPrimeP().toString(16).substring(0, 40));
            }
        }
        assertThat(texts).hasSizeGreaterThanOrEqualTo(4);
        for (String text : texts) {
            for (String secret : secrets) {
                assertThat(text).doesNotContainIgnoringCase(secret);
            }
        }
        assertThat(texts.get(0)).contains(roots.newest().shortId());
    }

    @Example
    void descriptionShowsPublicFactsOnly() {
        TrustRoot root = POOL.get(0);
        TrustRootDescription description = root.describe();
        assertThat(description.sha256Fingerprint()).hasSize(64).isEqualTo(root.fingerprint());
        assertThat(description.keyAlgorithm()).isEqualTo("EC");
        assertThat(description.subject()).startsWith("CN=Ratchet root ").endsWith(",O=Ratchet");
        assertThat(description.notBefore()).isEqualTo(NOW.minusSeconds(3600));
        assertThat(description.notAfter()).isEqualTo(NOW.plus(java.time.Duration.ofDays(90)).plusSeconds(3600));
        assertThat(new java.math.BigInteger(description.serial(), 16)).isEqualTo(root.certificate().getSerialNumber());
    }
}
