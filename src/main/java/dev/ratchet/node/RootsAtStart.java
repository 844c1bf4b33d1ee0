package dev.ratchet.node;

import dev.ratchet.bootstrap.BootstrapDiscovery;
import dev.ratchet.bootstrap.FreshStart;
import dev.ratchet.join.Incarnation;
import dev.ratchet.join.JoinClient;
import dev.ratchet.join.JoinProtocol;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.storage.FileRaftStorage;
import dev.ratchet.trust.Certificates;
import dev.ratchet.trust.TrustRoots;
import dev.ratchet.trust.TrustRootsCodec;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a starting node gets its trust roots, once, at start: it applies {@link StartupPlan}'s decision by
 * seeding a new cluster (optionally from a backup), joining one (or refreshing expired roots) with the
 * join token, or reading this node's own copy. Lives only for the duration of {@link RatchetNode#start()}.
 *
 * <p>Single-threaded: only the thread running {@link RatchetNode#start()} (under that node's lock) calls
 * it. It logs under {@link RatchetNode}'s logger, where these lines always were.
 */
final class RootsAtStart {

    private static final Logger log = LoggerFactory.getLogger(RatchetNode.class);

    private final NodeSettings settings;
    private final Clock clock;
    private final SecureRandom random;
    private final FileRaftStorage storage;
    private final Incarnation identity;
    private final ClusterIdentity clusterIdentity;
    private final RootsFile rootsFile;
    private final JoinClient joinClient;
    private final PeerDirectory peers;
    private final byte[] restoreImage;
    private final FreshStart freshStart;

    /**
     * @param restoreImage a backup to found the cluster from, or null
     * @param freshStart asks the seeds before founding, or null to found at once
     */
    RootsAtStart(NodeSettings settings, Clock clock, SecureRandom random, FileRaftStorage storage, Incarnation identity,
            ClusterIdentity clusterIdentity, RootsFile rootsFile, JoinClient joinClient, PeerDirectory peers,
            byte[] restoreImage, FreshStart freshStart) {
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.storage = storage;
        this.identity = identity;
        this.clusterIdentity = clusterIdentity;
        this.rootsFile = rootsFile;
        this.joinClient = joinClient;
        this.peers = peers;
        this.restoreImage = restoreImage;
        this.freshStart = freshStart;
    }

    /**
     * Decides and carries out the start: blocks while asking the seeds or joining (up to five minutes).
     *
     * @param empty the data directory held no Raft state
     * @throws IOException if the plan fails, or writing the roots, the restore or the join fail
     */
    TrustRoots obtainRoots(boolean empty) throws IOException, InterruptedException {
        Optional<TrustRoots> onDisk = rootsFile.read();
        StartupPlan plan = StartupPlan.decide(new StartupPlan.Facts(empty, settings.bootstrap(), onDisk.isPresent(),
                onDisk.map(r -> TrustLifecycle.allExpired(r, clock)).orElse(false), !settings.joinAddresses().isEmpty(),
                settings.dataDir(), rootsFile.path(),
                StartupPlan.asksSeeds(empty, settings.bootstrap()) && seedHasCluster()));
        if (restoreImage != null && plan.action() != StartupPlan.Action.BOOTSTRAP) {
            log.warn("ratchet.admin.restore-from ignored: the data directory is not empty, bootstrap is off,"
                    + " or a seed already runs a cluster");
        }
        switch (plan.action()) {
            case BOOTSTRAP -> {
                return bootstrap(onDisk);
            }
            case USE_LOCAL_ROOTS -> {
                return onDisk.orElseThrow();
            }
            case FAIL -> throw new IOException(plan.reason());
            case REFRESH_ROOTS -> log.warn("{}; fetching the current roots with the join token", plan.reason());
            case JOIN -> log.info("joining the cluster through {} as {}", settings.joinAddresses(), identity.raftId());
            default -> throw new IllegalStateException(plan.toString());
        }
        JoinProtocol.JoinGrant grant = joinClient.join(settings.self(), identity.incarnation(), settings.joinAddresses(),
                Duration.ofMinutes(5), plan.action() == StartupPlan.Action.REFRESH_ROOTS);
        peers.putAll(grant.members());
        TrustRoots roots = TrustLifecycle.decode(grant.serializedRoots());
        rootsFile.write(roots);
        log.info("joined the cluster through {}; {} members known", settings.joinAddresses(), grant.members().size());
        return roots;
    }

    /** For a founder with a {@link FreshStart}: asks the seeds; true means join instead of founding. */
    private boolean seedHasCluster() throws InterruptedException {
        if (freshStart == null) {
            return false;
        }
        BootstrapDiscovery.Decision decision = freshStart.discover(settings.nodeId(), settings.joinAddresses(),
                settings.joinToken(), random);
        log.info("{} {}: {}", settings.nodeId(), decision.bootstrap() ? "founds a new cluster" : "does not bootstrap",
                decision.reason());
        return !decision.bootstrap();
    }

    private TrustRoots bootstrap(Optional<TrustRoots> onDisk) throws IOException {
        TrustRoots roots = onDisk.orElseGet(() -> Certificates.seed(settings.trust(), clock.instant(), random));
        rootsFile.write(roots);
        if (restoreImage != null) {
            try {
                BackupRestore.bootstrapFrom(storage, restoreImage, TrustRootsCodec.encode(roots), settings.self(),
                        identity.raftId());
            } catch (dev.ratchet.state.MalformedDataException e) {
                throw new IOException("ratchet.admin.restore-from: not a Ratchet backup (" + e.getMessage()
                        + "); nothing was written to " + settings.dataDir().resolve("raft"), e);
            }
            log.info("bootstrapped a new cluster {} from a backup ({} bytes) with {} as its first voter",
                    clusterIdentity.mint(), restoreImage.length, identity.raftId());
            return roots;
        }
        RaftCore.bootstrap(storage, List.of(identity.raftId()));
        log.info("bootstrapped a new cluster {} with {} as its first voter", clusterIdentity.mint(), identity.raftId());
        return roots;
    }
}
