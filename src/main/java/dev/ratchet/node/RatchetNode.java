package dev.ratchet.node;

import dev.ratchet.bootstrap.FreshNodeResponder;
import dev.ratchet.bootstrap.FreshStart;
import dev.ratchet.join.IdentityFile;
import dev.ratchet.join.Incarnation;
import dev.ratchet.join.BootstrapKey;
import dev.ratchet.join.JoinClient;
import dev.ratchet.join.JoinCredential;
import dev.ratchet.join.JoinService;
import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.RaftConfig;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Member;
import dev.ratchet.storage.FileRaftStorage;
import dev.ratchet.storage.PosixFileIo;
import dev.ratchet.transport.PeerTransport;
import dev.ratchet.transport.TransportConfig;
import dev.ratchet.trust.HandshakeListener;
import dev.ratchet.trust.LeafCertificates;
import dev.ratchet.trust.NodeIdentity;
import dev.ratchet.trust.PeerTlsContexts;
import dev.ratchet.trust.TrustRoots;
import dev.ratchet.trust.TrustRootsCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Ratchet node, assembled from its parts: durable storage and this data directory's
 * {@link Incarnation}, the Raft core and its driver, the replicated state, the peer directory, trust
 * roots with root-iterating mutual TLS ({@link TrustLifecycle}), the peer transport, joining, and
 * membership upkeep ({@link MembershipMaintenance}). This class only assembles and exposes them; the
 * start-up decision is {@link StartupPlan}, carried out by {@link RootsAtStart}; readiness is
 * {@link NodeReadiness}. No Spring here: the application wires it as a bean, tests build it directly.
 */
public final class RatchetNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RatchetNode.class);

    private final NodeSettings settings;
    private final Clock clock;
    private final SecureRandom random;
    private final HandshakeListener handshakes;
    private final NodeReadiness readiness;

    private FileRaftStorage storage;
    private Incarnation identity;
    private ClusterIdentity clusterIdentity;
    private RootsFile rootsFile;
    private ClusterState state;
    private LeafCertificates leaves;
    private PeerTlsContexts tls;
    private PeerDirectory peers;
    private PeerTransport transport;
    private RaftPeerBridge bridge;
    private volatile PeerRoundTrips roundTrips;
    private volatile RaftDriver driver;
    private ClusterNode node;
    private JoinClient joinClient;
    private boolean closed;
    private JoinService joinService;
    private TrustLifecycle trust;
    private volatile MembershipMaintenance membership;
    private ScheduledExecutorService maintenance;
    private byte[] restoreImage;
    private FreshStart freshStart;
    private AutopilotSettings autopilot = AutopilotSettings.OFF;

    public RatchetNode(NodeSettings settings, Clock clock, SecureRandom random, HandshakeListener handshakes) {
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.handshakes = handshakes;
        this.readiness = new NodeReadiness(settings, () -> driver, () -> joinClient, () -> clusterIdentity, () -> identity);
    }

    /**
     * Makes a fresh bootstrap start from a backup ({@link NodeAdmin#backup()}) instead of an empty state.
     * Call before {@link #start()}; ignored (with a warning) when the data directory is not empty.
     */
    public synchronized RatchetNode restoreFrom(byte[] backup) {
        this.restoreImage = backup.clone();
        return this;
    }

    /**
     * Makes a start on an empty data directory answer the other seeds' bootstrap question on the API port
     * while it joins or founds, and makes a founder ({@code ratchet.bootstrap=true}) ask the seeds first:
     * it joins if one has a cluster, and founds only once enough fresh nodes answered ({@link FreshStart}).
     * Call before {@link #start()}; without it an empty directory with bootstrap on founds at once.
     */
    public synchronized RatchetNode discoverBeforeBootstrap(FreshStart fresh) {
        this.freshStart = fresh;
        return this;
    }

    /** Turns on dead-voter cleanup ({@link AutopilotSettings}). Call before {@link #start()}. */
    public synchronized RatchetNode useAutopilot(AutopilotSettings settings) {
        this.autopilot = java.util.Objects.requireNonNull(settings, "settings");
        return this;
    }

    /** On the leader: each member's health as autopilot sees it; elsewhere (or before start) empty. Thread-safe. */
    public java.util.List<MemberHealth> memberHealth() {
        MembershipMaintenance m = membership;
        return m == null ? java.util.List.of() : m.health();
    }

    /**
     * Opens the data directory, obtains the trust roots (seeding a new cluster, joining one, or reading
     * this node's copy), and starts the peer listener and the Raft driver. Blocks while joining.
     *
     * @throws IOException if the data directory, the peer port or the join fail; the message says which
     */
    public synchronized void start() throws IOException, InterruptedException {
        Path dataDir = settings.dataDir();
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        storage = FileRaftStorage.open(dataDir.resolve("raft"), (base, e) -> ConfChange.applyEntry(base, e.data()),
                settings.storage(), new PosixFileIo());
        boolean empty = storage.lastIndex() == 0 && storage.hardState().term() == 0 && storage.snapshotMetadata().index() == 0;
        IdentityFile identityFile = new IdentityFile(dataDir.resolve("identity"));
        identity = identityFile.resolve(settings.nodeId(), empty, random);
        clusterIdentity = new ClusterIdentity(identityFile, identity, random);
        if (!empty && freshStart != null) {
            clusterIdentity.refuseForeignCluster(freshStart, settings.joinAddresses(), settings.joinToken(), dataDir);
        }
        rootsFile = new RootsFile(dataDir.resolve("trust").resolve("roots.bin"));
        joinClient = new JoinClient(new JoinCredential(settings.joinToken(), random));
        peers = new PeerDirectory(settings.nodeId(), settings.initialPeers());

        // A fresh node's web server starts only after start() returns: answer the seeds meanwhile.
        FreshNodeResponder answering = empty && freshStart != null
                ? freshStart.answerWhileFresh(settings.nodeId(), settings.joinToken(), settings.bootstrap()) : null;
        TrustRoots roots;
        try {
            roots = new RootsAtStart(settings, clock, random, storage, identity, clusterIdentity, rootsFile, joinClient,
                    peers, restoreImage, freshStart).obtainRoots(empty);
        } finally {
            if (answering != null) {
                answering.close();
            }
        }

        state = new ClusterState();
        leaves = new LeafCertificates(new NodeIdentity(settings.nodeId(), List.of(settings.peerHost())),
                settings.trust(), clock, random);
        tls = new PeerTlsContexts(leaves, roots, settings.trust(), id -> peers.knows(id, state.members()), handshakes);
        bindSourceHost();
        trust = new TrustLifecycle(rootsFile, clock, System::nanoTime, tls, leaves, state, c -> node.submit(c),
                settings.trust(), () -> driver.status().role() == Role.LEADER, random);
        state.addClusterListener(new ClusterState.ClusterListener() {
            @Override
            public void rootsChanged(byte[] serializedRoots) {
                trust.adopt(serializedRoots);
            }

            @Override
            public void membersChanged(Map<String, Member> members) {
                peers.follow(members);
            }

            @Override
            public void clusterIdKnown(String clusterId) {
                clusterIdentity.applied(clusterId);
            }
        });

        InetSocketAddress bind = new InetSocketAddress(
                settings.bindHost() == null ? settings.peerHost() : settings.bindHost(), settings.peerPort());
        TlsPeerAcceptor acceptor;
        try {
            acceptor = new TlsPeerAcceptor(bind, tls, settings.handshakeLimits());
        } catch (IOException e) {
            throw new IOException("cannot listen on the peer address " + bind + " (ratchet.peer.port): " + e.getMessage(), e);
        }
        HandshakeWarnings dialWarnings = new HandshakeWarnings("outbound", System::nanoTime);
        transport = new PeerTransport(settings.nodeId(), acceptor, (peerId, address, timeout) -> {
            try {
                return tls.connect(address.getHostString(), address.getPort(), peerId, timeout).socket();
            } catch (dev.ratchet.trust.PeerHandshakeException e) {
                dialWarnings.failed(peerId + " at " + address, e.getMessage());
                throw e;
            }
        },
                peers.book(), TransportConfig.defaults());
        bridge = new RaftPeerBridge(transport, identity.raftId(), settings.requestTimeout());
        roundTrips = new PeerRoundTrips(transport, () -> state.members().keySet().stream()
                .filter(id -> !id.equals(settings.nodeId())).toList(), settings.requestTimeout(), System::nanoTime);
        roundTrips.register();

        RaftConfig raftConfig = RaftConfig.defaults(identity.raftId()).withElectionTicks(settings.electionTicks(), 1);
        RaftCore core = new RaftCore(raftConfig, storage, new SplittableRandom(random.nextLong()));
        driver = new RaftDriver(core, storage, state, bridge,
                new RaftDriver.Settings(settings.heartbeatInterval(), settings.snapshotEntries(), 65_536), System::nanoTime);
        node = new ClusterNode(driver, state, bridge);
        membership = new MembershipMaintenance(new MembershipMaintenance.Settings(identity.raftId(), settings.self(),
                settings.electionTicks(), settings.electionTimeout(), rejoinAfter(), settings.replaceAfter(), settings.maxJoinVoters()),
                new DriverCluster(), System::nanoTime, autopilot, new NodeAdmin(this, clock, random)::removeMember);
        NodeAdmission admission = new NodeAdmission(driver, state, membership, transport,
                () -> TrustRootsCodec.encode(tls.roots()), settings.requestTimeout(), c -> node.submit(c), clock::millis);
        joinService = new JoinService(settings.nodeId(), new BootstrapKey(settings.joinToken(), random), admission, clock,
                settings.requestTimeout(), random);

        transport.start();
        bridge.attach(driver);
        admission.register();
        driver.start();

        maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ratchet-maintenance-" + settings.nodeId());
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(100, settings.heartbeatInterval().toMillis() * 4);
        maintenance.scheduleWithFixedDelay(this::maintainSafely, tick, tick, TimeUnit.MILLISECONDS);
        long probe = PeerRoundTrips.PROBE_INTERVAL.toMillis();
        maintenance.scheduleWithFixedDelay(roundTrips::probe, probe, probe, TimeUnit.MILLISECONDS);
        log.info("node {} (Raft id {}) started: peer {}:{}, API {}, {} trust roots", settings.nodeId(),
                identity.raftId(), settings.peerHost(), settings.peerPort(), settings.apiUrl(), roots.size());
    }

    private void bindSourceHost() throws IOException {
        if (settings.sourceHost() == null) {
            return;
        }
        // Bind once now so a non-local address fails start-up, not every later dial.
        try (java.net.Socket probe = new java.net.Socket()) {
            java.net.InetAddress source = java.net.InetAddress.getByName(settings.sourceHost());
            probe.bind(new InetSocketAddress(source, 0));
            tls.dialFrom(source);
        } catch (IOException e) {
            throw new IOException("ratchet.peer.source-host '" + settings.sourceHost()
                    + "' is not an address of this host: " + e.getMessage(), e);
        }
    }

    private Duration rejoinAfter() {
        return settings.electionTimeout().multipliedBy(20).plusSeconds(10);
    }

    /**
     * The rotation check of the design seed: on the leader, a new root once the newest is older than
     * RootCertExpire/MaxTrustRoots. Meant to run every RootCertExpire/(2*MaxTrustRoots+1)
     * ({@link dev.ratchet.trust.TrustSettings#rotationCheckInterval()}); the application schedules it.
     * Followers return at once. Never throws: a failed check is logged and retried at the next one.
     */
    public void checkRootRotation() {
        if (trust == null || driver == null || !driver.isAlive()) {
            return;
        }
        trust.checkRotation();
    }

    private void maintainSafely() {
        try {
            if (!driver.isAlive()) {
                return;
            }
            if (clusterIdentity.conflict().isPresent()) {
                driver.close(); // Serving another cluster's data under this directory's identity: stop.
                return;
            }
            if (driver.status().role() == Role.LEADER) {
                trust.seedReplicatedRoots();
                clusterIdentity.seed(state.clusterId()).ifPresent(node::submit);
            }
            boolean stranded = membership.step();
            if (stranded || trust.expiredAndDueForRefresh()) {
                trust.refreshThroughJoin(joinClient, settings.self(), identity.incarnation(), settings.joinAddresses(),
                        peers);
            }
        } catch (RuntimeException e) {
            log.warn("maintenance step failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The driver as membership upkeep sees it. */
    private final class DriverCluster implements MembershipMaintenance.Cluster {
        @Override
        public Status status() {
            return driver.status();
        }

        @Override
        public Map<String, Member> members() {
            return state.members();
        }

        @Override
        public java.util.concurrent.CompletableFuture<?> submit(dev.ratchet.state.Command command) {
            return node.submit(command);
        }

        @Override
        public java.util.concurrent.CompletableFuture<?> proposeConfChange(ConfChange change) {
            return driver.proposeConfChange(change);
        }
    }

    public NodeSettings settings() {
        return settings;
    }

    /**
     * This data directory's identity; its {@link Incarnation#raftId()} is this node's Raft id, its cluster
     * id is null until known.
     */
    public Incarnation identity() {
        ClusterIdentity c = clusterIdentity;
        return c == null ? identity : c.current();
    }

    public ClusterNode replicator() {
        return node;
    }

    public ClusterState state() {
        return state;
    }

    public RaftDriver driver() {
        return driver;
    }

    /** The peer round-trip prober; null before {@link #start()}. */
    public PeerRoundTrips roundTrips() {
        return roundTrips;
    }

    public PeerTransport transport() {
        return transport;
    }

    public PeerTlsContexts tls() {
        return tls;
    }

    public JoinService joinService() {
        return joinService;
    }

    public FileRaftStorage storage() {
        return storage;
    }

    /** Live: the driver thread runs (it stops only on a storage failure or shutdown). Thread-safe. */
    public boolean isLive() {
        return readiness.isLive();
    }

    /** Ready: live, a full member with a known leader, and caught up with what the leader committed. Thread-safe. */
    public boolean isReady() {
        return readiness.isReady();
    }

    /**
     * Why this node is not ready, or empty when it is: not started or joining, no leader known, not (or
     * not yet alone as) a member of the configuration, or still catching up. Thread-safe.
     */
    public Optional<String> notReadyReason() {
        return readiness.notReadyReason();
    }

    /** What membership change this node waits for now, if any. Thread-safe. */
    public MembershipWait membershipWait() {
        return readiness.membershipWait();
    }

    /** Hands leadership away if this node leads (graceful shutdown), waiting at most {@code wait}. */
    public void handOverLeadership(Duration wait) {
        LeadershipHandOver.handOver(driver, settings.electionTicks(), wait);
    }

    /** Stops the node; safe to call more than once (shutdown hook and bean destruction both may). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
        if (driver != null) {
            driver.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        if (storage != null) {
            storage.close();
        }
    }
}
