package dev.ratchet.admin;

import dev.ratchet.node.RatchetNode;
import dev.ratchet.trust.PeerTlsContexts;
import dev.ratchet.trust.TrustRoot;
import dev.ratchet.trust.TrustRootDescription;
import dev.ratchet.trust.TrustRoots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/roots}: the trust roots this node uses, newest first, with public facts only
 * (built from {@link TrustRootDescription}, which holds no key material), and the root each peer
 * connection uses. Requires admin credentials.
 */
@Endpoint(id = "roots")
public class RootsEndpoint {

    private final RatchetNode node;
    private final Clock clock;

    public RootsEndpoint(RatchetNode node, Clock clock) {
        this.node = node;
        this.clock = clock;
    }

    /**
     * @param ageSeconds seconds since notBefore
     * @param current true for the root whose leaves this node presents first (the newest)
     */
    public record RootView(String shortId, String serial, String subject, String sha256Fingerprint,
            String keyAlgorithm, Instant notBefore, Instant notAfter, long ageSeconds, long secondsUntilExpiry,
            boolean current) {
    }

    /**
     * @param side {@code client} when this node dialed the connection, {@code server} when it accepted it
     * @param rootShortId the root whose leaf this node presented in the last successful handshake
     */
    public record PeerRoot(String side, String rootShortId, String rootSha256Fingerprint) {
    }

    public record RootsView(String nodeId, Instant now, int count, List<RootView> roots, Map<String, PeerRoot> peers) {
    }

    @ReadOperation
    public RootsView roots() {
        Instant now = clock.instant();
        PeerTlsContexts tls = node.tls();
        TrustRoots roots = tls.roots();
        List<RootView> views = new ArrayList<>();
        for (int i = 0; i < roots.size(); i++) {
            TrustRoot r = roots.get(i);
            TrustRootDescription d = r.describe();
            views.add(new RootView(r.shortId(), d.serial(), d.subject(), d.sha256Fingerprint(), d.keyAlgorithm(),
                    d.notBefore(), d.notAfter(), Duration.between(d.notBefore(), now).toSeconds(),
                    Duration.between(now, d.notAfter()).toSeconds(), i == 0));
        }
        Map<String, PeerRoot> peers = new TreeMap<>();
        tls.rootsInUse().forEach((peer, inUse) -> peers.put(peer, new PeerRoot(
                inUse.side().name().toLowerCase(Locale.ROOT), inUse.rootFingerprint().substring(0, 16),
                inUse.rootFingerprint())));
        return new RootsView(node.settings().nodeId(), now, roots.size(), views, peers);
    }
}
