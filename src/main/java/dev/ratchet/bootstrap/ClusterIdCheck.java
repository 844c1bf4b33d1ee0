package dev.ratchet.bootstrap;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Before a node whose data directory recorded a cluster id talks to the cluster at its seed addresses,
 * one round of the bootstrap question (authenticated with the join token) tells it which cluster each
 * seed belongs to. A seed that is a member of another cluster means the node was pointed at the wrong
 * one: installing that cluster's snapshot would throw away this directory's data. Seeds that do not
 * answer, are fresh, or do not know their cluster's id yet prove nothing.
 *
 * <p>Stateless; {@link #foreign} blocks on the prober (one question per seed).
 */
public final class ClusterIdCheck {

    private ClusterIdCheck() {
    }

    /**
     * The first seed that answers as a member of a cluster other than {@code recordedClusterId}, as a
     * sentence for the log, or empty.
     */
    public static Optional<String> foreign(String recordedClusterId, List<URI> seeds, BootstrapDiscovery.Prober prober)
            throws InterruptedException {
        for (URI seed : seeds) {
            Optional<BootstrapProbe.Answer> answer = prober.ask(seed);
            if (answer.isEmpty() || answer.get().state() != BootstrapProbe.State.MEMBER) {
                continue;
            }
            String theirs = answer.get().clusterId() == null ? "" : answer.get().clusterId();
            if (!theirs.isEmpty() && !theirs.equals(recordedClusterId)) {
                return Optional.of("seed " + seed + " (node " + answer.get().nodeId() + ") is a member of cluster "
                        + theirs);
            }
        }
        return Optional.empty();
    }
}
