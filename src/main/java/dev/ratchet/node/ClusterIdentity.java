package dev.ratchet.node;

import dev.ratchet.bootstrap.FreshStart;
import dev.ratchet.join.IdentityFile;
import dev.ratchet.join.Incarnation;
import dev.ratchet.state.Command;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which cluster this data directory belongs to, from the node's start to its stop. The founder mints the
 * cluster id and records it before the cluster exists; the leader puts it into the replicated state
 * ({@link Command.SetClusterId}, first one wins) if the state has none (a cluster from before cluster ids
 * gets one from its next leader); every other node records the id it applies. A directory that recorded
 * one id and then applies another was pointed at the wrong cluster: {@link #applied} says so once, and the
 * node stops serving.
 *
 * <p>Thread-safe: the applying thread reports ids, the maintenance thread seeds them, readers anywhere.
 * {@link #mint} and {@link #applied} block on a small fsynced file write.
 */
final class ClusterIdentity {

    private static final Logger log = LoggerFactory.getLogger(ClusterIdentity.class);

    private final IdentityFile file;
    private final SecureRandom random;
    private volatile Incarnation current;
    private volatile String conflict;

    ClusterIdentity(IdentityFile file, Incarnation identity, SecureRandom random) {
        this.file = file;
        this.current = identity;
        this.random = random;
    }

    /** The directory's identity now (its cluster id null until known). */
    Incarnation current() {
        return current;
    }

    /** A new random cluster id: 32 hex digits. */
    static String newClusterId(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * For a founder: names the new cluster and records it in the identity file (once; a founder restarted
     * before its first snapshot keeps the id it minted).
     *
     * @throws IOException if the identity file cannot be written
     */
    synchronized String mint() throws IOException {
        if (current.clusterId() == null) {
            record(newClusterId(random));
        }
        return current.clusterId();
    }

    /**
     * On the leader: the command that names the cluster when the replicated state has no id yet (the one
     * this directory recorded, or a new one), or empty when it has one.
     */
    Optional<Command> seed(String replicatedClusterId) {
        if (!replicatedClusterId.isEmpty()) {
            return Optional.empty();
        }
        String recorded = current.clusterId();
        return Optional.of(new Command.SetClusterId(recorded != null ? recorded : newClusterId(random)));
    }

    /**
     * The applied state names the cluster {@code clusterId}. Records it if this directory knew none;
     * returns false (having logged one error line) if it had recorded another one.
     */
    synchronized boolean applied(String clusterId) {
        String recorded = current.clusterId();
        if (recorded == null) {
            try {
                record(clusterId);
                log.info("{} belongs to cluster {} (recorded in {})", current.nodeId(), clusterId, file.path());
            } catch (IOException e) {
                // The next start records it again from the state; nothing is lost meanwhile.
                log.warn("could not record cluster id {} in {}: {}", clusterId, file.path(), e.toString());
            }
            return true;
        }
        if (recorded.equals(clusterId)) {
            return true;
        }
        if (conflict == null) {
            conflict = "the data directory " + file.path().toAbsolutePath().getParent() + " belongs to cluster "
                    + recorded + ", but the cluster it reached is " + clusterId;
            log.error("{}: refusing to serve it; point ratchet.join-addresses and ratchet.peers at the nodes of "
                    + "cluster {}, or give this node an empty data directory to join {}", conflict, recorded, clusterId);
        }
        return false;
    }

    /**
     * For a directory that recorded its cluster's id, before it talks to its seeds: asks each which cluster
     * it runs; pointed at another cluster, the node refuses to start (one error line) rather than take
     * that cluster's snapshot over its data. Blocks up to one probe timeout per seed.
     *
     * @throws IOException naming both clusters if a seed is a member of another one
     */
    void refuseForeignCluster(FreshStart fresh, List<URI> seeds, String joinToken, Path dataDir)
            throws IOException, InterruptedException {
        String recorded = current.clusterId();
        if (recorded == null || seeds.isEmpty()) {
            return;
        }
        Optional<String> foreign = fresh.foreignCluster(recorded, seeds, joinToken, random);
        if (foreign.isPresent()) {
            String refusal = "the data directory " + dataDir + " belongs to cluster " + recorded + ", but "
                    + foreign.get() + ": refusing to join it; point ratchet.join-addresses at the nodes of cluster "
                    + recorded + ", or give this node an empty data directory to join the other one";
            log.error(refusal);
            throw new IOException(refusal);
        }
    }

    /** Why this node refuses the cluster it reached, if it does. */
    Optional<String> conflict() {
        return Optional.ofNullable(conflict);
    }

    private void record(String clusterId) throws IOException {
        Incarnation next = current.withClusterId(clusterId);
        file.write(next);
        current = next;
    }
}
