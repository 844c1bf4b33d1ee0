package dev.ratchet.trust;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one fixed leaf, whatever issuers the peer asks for: which root to present is decided
 * by the root iteration, not by the peer's hints. Immutable and thread-safe.
 */
final class LeafKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "ratchet-leaf";

    private final LeafCertificate leaf;
    private final Runnable onServerAlias;

    LeafKeyManager(LeafCertificate leaf) {
        this(leaf, () -> { });
    }

    /** @param onServerAlias told when JSSE picks our leaf for a server Certificate message (a valid ClientHello came) */
    LeafKeyManager(LeafCertificate leaf, Runnable onServerAlias) {
        this.leaf = Objects.requireNonNull(leaf);
        this.onServerAlias = Objects.requireNonNull(onServerAlias);
    }

    private String aliasFor(String keyType) {
        return leaf.privateKey().getAlgorithm().equals(keyType) ? ALIAS : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliasFor(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return keyTypes == null ? null : Arrays.stream(keyTypes).map(this::aliasFor)
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        String alias = aliasFor(keyType);
        if (alias != null) {
            onServerAlias.run();
        }
        return alias;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? new X509Certificate[] {leaf.certificate()} : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? leaf.privateKey() : null;
    }
}
