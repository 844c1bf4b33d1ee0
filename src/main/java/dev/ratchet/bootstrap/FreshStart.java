package dev.ratchet.bootstrap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * What a node with an empty data directory does before it founds or joins a cluster: answer the other
 * seeds' bootstrap question on its API port ({@link #answerWhileFresh}), and, if it is the founder,
 * find out whether a cluster exists already ({@link #discover}). The application builds one from
 * {@code server.address}, {@code server.port} and {@code ratchet.bootstrap-expect} and hands it to the
 * node; a node built without one (tests that build it directly) bootstraps as before.
 *
 * <p>Immutable; thread-safe. Both methods block on the network.
 *
 * @param apiBind where the API listens (the fresh node answers there until its web server starts)
 * @param bootstrapExpect fresh nodes, the founder included, needed before founding; 0 = every seed
 * @param probeTimeout bound on one question to one seed
 * @param apiTls the API's TLS server context when {@code server.ssl} is on (the fresh listener then
 *        serves HTTPS with it), or null for plain HTTP. Seeds are asked with the JVM's trust store either
 *        way, like every other call a member makes to another member's API.
 */
public record FreshStart(InetSocketAddress apiBind, int bootstrapExpect, Duration probeTimeout, SSLContext apiTls) {

    /** A fresh start whose API speaks plain HTTP. */
    public FreshStart(InetSocketAddress apiBind, int bootstrapExpect, Duration probeTimeout) {
        this(apiBind, bootstrapExpect, probeTimeout, null);
    }

    public FreshStart {
        if (bootstrapExpect < 0) {
            throw new IllegalArgumentException("bootstrapExpect must be >= 0: " + bootstrapExpect);
        }
    }

    /**
     * Starts answering the bootstrap question as fresh; close the result once the node has its place in
     * a cluster, before the web server binds the port.
     *
     * @throws IOException if the API port cannot be bound
     */
    public FreshNodeResponder answerWhileFresh(String nodeId, String joinToken, boolean founder) throws IOException {
        return FreshNodeResponder.start(apiBind, apiTls, new BootstrapProbe(joinToken), nodeId, founder);
    }

    /**
     * Asks each seed once which cluster it belongs to ({@link ClusterIdCheck}); the first that belongs to
     * another cluster than {@code recordedClusterId}, as a sentence, or empty. Blocks up to one probe
     * timeout per seed.
     */
    public java.util.Optional<String> foreignCluster(String recordedClusterId, List<URI> seeds, String joinToken,
            SecureRandom random) throws InterruptedException {
        return ClusterIdCheck.foreign(recordedClusterId, seeds, new HttpProber(new BootstrapProbe(joinToken), random,
                probeTimeout));
    }

    /**
     * Asks {@code seeds} until it is clear whether to found or to join ({@link BootstrapDiscovery}).
     *
     * @throws IllegalArgumentException if {@code bootstrapExpect > 1} and there are no seeds
     */
    public BootstrapDiscovery.Decision discover(String nodeId, List<URI> seeds, String joinToken, SecureRandom random)
            throws InterruptedException {
        HttpProber prober = new HttpProber(new BootstrapProbe(joinToken), random, probeTimeout);
        return new BootstrapDiscovery(nodeId, seeds, bootstrapExpect, prober,
                d -> Thread.sleep(d.toMillis()), System::nanoTime).decide();
    }
}
