package dev.ratchet.node;

import dev.ratchet.bootstrap.BootstrapDiscovery;
import dev.ratchet.bootstrap.FreshNodeResponder;
import dev.ratchet.bootstrap.FreshStart;
import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.RaftConfig;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.Member;
import dev.ratchet.storage.FileRaftStorage;
import dev.ratchet.transport.PeerAddressBook;
import dev.ratchet.transport.PeerTransport;
import dev.ratchet.transport.TransportConfig;
import dev.ratchet.trust.Certificates;
import dev.ratchet.trust.HandshakeListener;
import dev.ratchet.trust.LeafCertificates;
import dev.ratchet.trust.NodeIdentity;
import dev.ratchet.trust.PeerTlsContexts;
import dev.ratchet.trust.RootRotation;
import dev.ratchet.trust.TrustFormatException;
import dev.ratchet.trust.TrustRoots;
import dev.ratchet.trust.TrustRootsCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Ratchet node, assembled from its parts: durable storage, the Raft core and its driver, the
 * replicated state, trust roots with root-iterating mutual TLS, the peer transport, joining, learner
 * promotion and root rotation. No Spring here: the application wires it as a bean, tests build it
 * directly.
 */
public final class RatchetNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RatchetNode.class);
    /** A learner this close to the leader's log is promoted to voter. */
    static final long PROMOTION_LAG_ENTRIES = 64;

    private final NodeSettings settings;
    private final Clock clock;
    private final SecureRandom random;
    private final HandshakeListener handshakes;
    private final Set<String> formerMembers = new HashSet<>();

    private FileRaftStorage storage;
    private RootsFile rootsFile;
    private ClusterState state;
    private LeafCertificates leaves;
    private PeerTlsContexts tls;
    private PeerAddressBook addressBook;
    private PeerTransport transport;
    private RaftPeerBridge bridge;
    private RaftDriver driver;
    private ClusterNode node;
    private JoinProtocol joinProtocol;
    private JoinClient joinClient;
    private boolean closed;
    private JoinService joinService;
    private RootRotation rotation;
    private ScheduledExecutorService maintenance;
    private volatile long leaderLastSeenNanos = System.nanoTime();
    private long lastRefreshNanos = System.nanoTime() - 10_000_000_000L;
    private byte[] restoreImage;
    private FreshStart freshStart;

    public RatchetNode(NodeSettings settings, Clock clock, SecureRandom random, HandshakeListener handshakes) {
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.handshakes = handshakes;
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

    /**
     * Opens the data directory, obtains the trust roots (seeding a new cluster, joining one, or reading
     * this node's copy), and starts the peer listener and the Raft driver.
     *
     * @throws IOException if the data directory, the peer port or the join fail; the message says which
     */
    public synchronized void start() throws IOException, InterruptedException {
        Path dataDir = settings.dataDir();
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        storage = FileRaftStorage.open(dataDir.resolve("raft"), (base, e) -> ConfChange.applyEntry(base, e.data()));
        rootsFile = new RootsFile(dataDir.resolve("trust").resolve("roots.bin"));
        joinProtocol = new JoinProtocol(settings.joinToken(), random);
        joinClient = new JoinClient(joinProtocol, clock);
        addressBook = new PeerAddressBook();
        settings.initialPeers().forEach((id, hostPort) -> {
            if (!id.equals(settings.nodeId())) {
                addressBook.put(id, address(hostPort));
            }
        });

        boolean empty = storage.lastIndex() == 0 && storage.hardState().term() == 0 && storage.snapshot().isEmpty();
        // A fresh node's web server starts only after start() returns: answer the seeds meanwhile.
        FreshNodeResponder answering = empty && freshStart != null
                ? freshStart.answerWhileFresh(settings.nodeId(), settings.joinToken(), settings.bootstrap()) : null;
        TrustRoots roots;
        try {
            roots = obtainRoots();
        } finally {
            if (answering != null) {
                answering.close();
            }
        }

        state = new ClusterState();
        leaves = new LeafCertificates(new NodeIdentity(settings.nodeId(), List.of(settings.peerHost())),
                settings.trust(), clock, random);
        tls = new PeerTlsContexts(leaves, roots, settings.trust(), this::mayConnect, handshakes);
        if (settings.sourceHost() != null) {
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
        state.addClusterListener(new ClusterState.ClusterListener() {
            @Override
            public void rootsChanged(byte[] serializedRoots) {
                adoptRoots(serializedRoots);
            }

            @Override
            public void membersChanged(Map<String, Member> members) {
                syncAddressBook(members);
            }
        });

        InetSocketAddress bind = new InetSocketAddress(
                settings.bindHost() == null ? settings.peerHost() : settings.bindHost(), settings.peerPort());
        TlsPeerAcceptor acceptor;
        try {
            acceptor = new TlsPeerAcceptor(bind, tls, settings.requestTimeout());
        } catch (IOException e) {
            throw new IOException("cannot listen on the peer address " + bind + " (ratchet.peer.port): " + e.getMessage(), e);
        }
        transport = new PeerTransport(settings.nodeId(), acceptor,
                (peerId, address, timeout) -> tls.connect(address.getHostString(), address.getPort(), peerId, timeout).socket(),
                addressBook, TransportConfig.defaults());
        bridge = new RaftPeerBridge(transport, settings.requestTimeout());

        RaftConfig raftConfig = RaftConfig.defaults(settings.nodeId()).withElectionTicks(settings.electionTicks(), 1);
        RaftCore core = new RaftCore(raftConfig, storage, new SplittableRandom(random.nextLong()));
        driver = new RaftDriver(core, storage, state, bridge,
                new RaftDriver.Settings(settings.heartbeatInterval(), settings.snapshotEntries(), 65_536), System::nanoTime);
        node = new ClusterNode(driver, state, bridge);
        joinService = new JoinService(joinProtocol, node, bridge, () -> TrustRootsCodec.encode(tls.roots()), clock,
                settings.requestTimeout());
        rotation = RootRotation.withFreshKeys(settings.trust(), () -> driver.status().role() == Role.LEADER,
                this::replicatedRoots, this::proposeRoots, random);

        transport.start();
        bridge.attach(driver);
        driver.start();

        maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ratchet-maintenance-" + settings.nodeId());
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(100, settings.heartbeatInterval().toMillis() * 4);
        maintenance.scheduleWithFixedDelay(this::maintainSafely, tick, tick, TimeUnit.MILLISECONDS);
        leaderLastSeenNanos = System.nanoTime();
        log.info("node {} started: peer {}:{}, API {}, {} trust roots", settings.nodeId(), settings.peerHost(),
                settings.peerPort(), settings.apiUrl(), roots.size());
    }

    private TrustRoots obtainRoots() throws IOException, InterruptedException {
        boolean fresh = storage.lastIndex() == 0 && storage.hardState().term() == 0 && storage.snapshot().isEmpty();
        Optional<TrustRoots> onDisk = rootsFile.read();
        if (fresh && settings.bootstrap() && !seedHasCluster()) {
            TrustRoots roots = onDisk.orElseGet(() -> Certificates.seed(settings.trust(), clock.instant(), random));
            rootsFile.write(roots);
            if (restoreImage != null) {
                try {
                    BackupRestore.bootstrapFrom(storage, restoreImage, TrustRootsCodec.encode(roots), settings.self());
                } catch (dev.ratchet.state.MalformedDataException e) {
                    throw new IOException("ratchet.admin.restore-from: not a Ratchet backup (" + e.getMessage()
                            + "); nothing was written to " + settings.dataDir().resolve("raft"), e);
                }
                return roots;
            }
            RaftCore.bootstrap(storage, List.of(settings.nodeId()));
            log.info("bootstrapped a new cluster with {} as its first voter", settings.nodeId());
            return roots;
        }
        if (restoreImage != null) {
            log.warn("ratchet.admin.restore-from ignored: the data directory is not empty or bootstrap is off");
        }
        if (!fresh && onDisk.isPresent()) {
            if (!allExpired(onDisk.get()) || settings.joinAddresses().isEmpty()) {
                // With no join address, members' API URLs are known once the state is loaded; the
                // maintenance loop fetches fresh roots from them then.
                return onDisk.get();
            }
            log.warn("every trust root this node holds has expired (it was away past their life);"
                    + " fetching the current roots with the join token");
        }
        if (settings.joinAddresses().isEmpty()) {
            throw new IOException(fresh
                    ? "the data directory " + settings.dataDir() + " is empty and ratchet.bootstrap is false:"
                            + " set ratchet.join-addresses to join a cluster, or ratchet.bootstrap=true to create one"
                    : "no trust roots in " + rootsFile.path() + ": set ratchet.join-addresses to fetch them");
        }
        // Fresh: join as a new member. Not fresh: a member whose roots all expired asks only for roots.
        JoinProtocol.JoinGrant grant = joinClient.join(settings.self(), settings.joinAddresses(), Duration.ofMinutes(5),
                !fresh);
        for (Member m : grant.members()) {
            if (!m.id().equals(settings.nodeId())) {
                addressBook.put(m.id(), address(m.peerAddress()));
            }
        }
        TrustRoots roots = decode(grant.serializedRoots());
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

    private boolean allExpired(TrustRoots roots) {
        java.time.Instant now = clock.instant();
        return roots.roots().stream().allMatch(r -> r.isExpiredAt(now));
    }

    private boolean mayConnect(String peerId) {
        return addressBook.lookup(peerId).isPresent() || (state != null && state.members().containsKey(peerId));
    }

    private void adoptRoots(byte[] serialized) {
        if (serialized.length == 0) {
            return;
        }
        TrustRoots roots;
        try {
            roots = decode(serialized);
        } catch (IOException e) {
            log.error("the replicated trust roots do not decode; keeping the current ones: {}", e.getMessage());
            return;
        }
        if (roots.equals(tls.roots())) {
            return;
        }
        if (roots.newest().notBefore().isBefore(tls.roots().newest().notBefore())) {
            // Replaying old log entries (catching up, or restarting) passes through older root lists;
            // going back to them would drop roots the others use now.
            return;
        }
        tls.update(roots);
        leaves.retainOnly(roots);
        try {
            rootsFile.write(roots);
        } catch (IOException e) {
            log.error("could not save the trust roots to {}: {}", rootsFile.path(), e.getMessage());
        }
        log.info("trust roots updated: {} roots, newest {}", roots.size(), roots.newest().shortId());
    }

    private void syncAddressBook(Map<String, Member> members) {
        for (Member m : members.values()) {
            if (!m.id().equals(settings.nodeId())) {
                addressBook.put(m.id(), address(m.peerAddress()));
                formerMembers.add(m.id());
            }
        }
        for (String id : new ArrayList<>(formerMembers)) {
            if (!members.containsKey(id)) {
                addressBook.remove(id);
                formerMembers.remove(id);
            }
        }
    }

    private TrustRoots replicatedRoots() {
        byte[] bytes = state.roots();
        if (bytes.length == 0) {
            return tls.roots();
        }
        try {
            return decode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void proposeRoots(TrustRoots roots) {
        node.submit(new Command.SetRoots(TrustRootsCodec.encode(roots))).whenComplete((r, e) -> {
            if (e != null) {
                log.warn("proposing rotated trust roots failed: {}", e.toString());
            } else {
                log.info("rotated trust roots: newest is now {}", roots.newest().shortId());
            }
        });
    }

    /**
     * The rotation check of the design seed: on the leader, a new root once the newest is older than
     * RootCertExpire/MaxTrustRoots. Meant to run every RootCertExpire/(2*MaxTrustRoots+1)
     * ({@link dev.ratchet.trust.TrustSettings#rotationCheckInterval()}); the application schedules it.
     * Followers return at once. Never throws: a failed check is logged and retried at the next one.
     */
    public void checkRootRotation() {
        if (rotation == null || driver == null || !driver.isAlive()) {
            return;
        }
        try {
            rotation.rotateIfDue(clock.instant());
        } catch (RuntimeException e) {
            log.warn("root rotation check failed: {}", e.toString());
        }
    }

    private void maintainSafely() {
        try {
            maintain();
        } catch (RuntimeException e) {
            log.warn("maintenance step failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Periodic upkeep: seed the replicated roots, keep our member record, promote learners, rejoin. */
    private void maintain() throws InterruptedException {
        if (!driver.isAlive()) {
            return;
        }
        Status status = driver.status();
        if (status.leader() != null) {
            leaderLastSeenNanos = System.nanoTime();
        }
        if (status.role() == Role.LEADER) {
            if (state.roots().length == 0) {
                node.submit(new Command.SetRoots(TrustRootsCodec.encode(tls.roots())));
            }
            promoteCaughtUpLearner(status);
        }
        if (status.leader() != null && !settings.self().equals(state.members().get(settings.nodeId()))
                && status.conf().contains(settings.nodeId())) {
            node.submit(new Command.SetMember(settings.self()));
        }
        long leaderless = System.nanoTime() - leaderLastSeenNanos;
        Duration rejoinAfter = settings.heartbeatInterval().multipliedBy(settings.electionTicks()).multipliedBy(20)
                .plusSeconds(10);
        boolean stranded = status.leader() == null && leaderless > rejoinAfter.toNanos();
        boolean expired = allExpired(tls.roots()) && System.nanoTime() - lastRefreshNanos > 5_000_000_000L;
        if (stranded || expired) {
            lastRefreshNanos = System.nanoTime();
            refreshRootsThroughJoin();
            leaderLastSeenNanos = System.nanoTime();
        }
    }

    private void promoteCaughtUpLearner(Status status) {
        status.progress().forEach((id, p) -> {
            // A fresh progress entry counts as "recently active" before the learner ever answered, so
            // also require acknowledged entries, a replicating follower and recent contact: promoting a
            // learner that is not running yet would add a dead voter and could cost the cluster its quorum.
            boolean heardFrom = p.match() > 0 && "REPLICATE".equals(p.state())
                    && p.ticksSinceContact() <= settings.electionTicks();
            if (p.learner() && heardFrom && p.recentActive() && status.commit() - p.match() <= PROMOTION_LAG_ENTRIES) {
                driver.proposeConfChange(new ConfChange(ConfChange.Type.ADD_VOTER, id)).whenComplete((a, e) -> {
                    if (e == null) {
                        log.info("promoted learner {} to voter", id);
                    }
                });
            }
        });
    }

    /**
     * A node that has seen no leader for long may hold only roots the others have dropped (it was away
     * past every root's life): ask a member, with the join token, for the current roots.
     */
    private void refreshRootsThroughJoin() throws InterruptedException {
        Set<URI> addresses = new LinkedHashSet<>(settings.joinAddresses());
        for (Member m : state.members().values()) {
            if (!m.id().equals(settings.nodeId())) {
                addresses.add(URI.create(m.apiUrl()));
            }
        }
        if (addresses.isEmpty()) {
            return;
        }
        log.warn("{} has seen no leader for a long time; fetching the current trust roots with the join token",
                settings.nodeId());
        try {
            JoinProtocol.JoinGrant grant = joinClient.join(settings.self(), List.copyOf(addresses),
                    Duration.ofSeconds(10), true);
            adoptRoots(grant.serializedRoots());
            for (Member m : grant.members()) {
                if (!m.id().equals(settings.nodeId())) {
                    addressBook.put(m.id(), address(m.peerAddress()));
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("fetching the trust roots failed: {}", e.getMessage());
        }
    }

    private static TrustRoots decode(byte[] serialized) throws IOException {
        try {
            return TrustRootsCodec.decode(serialized);
        } catch (TrustFormatException e) {
            throw new IOException("trust roots do not decode: " + e.getMessage(), e);
        }
    }

    static InetSocketAddress address(String hostPort) {
        Member.HostPort parts = Member.parseHostPort(hostPort);
        // Unresolved: the name is looked up at every dial, so a pod that comes back with a new IP is found.
        return InetSocketAddress.createUnresolved(parts.host(), parts.port());
    }

    public NodeSettings settings() {
        return settings;
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

    /** Live: the driver thread runs (it stops only on a storage failure or shutdown). */
    public boolean isLive() {
        return driver != null && driver.isAlive();
    }

    /** Ready: live, a leader is known, and this node has applied everything it knows to be committed. */
    public boolean isReady() {
        if (!isLive()) {
            return false;
        }
        Status s = driver.status();
        // Also within a few entries of what the leader has committed: a node that has only just heard
        // from the leader may have applied all it knows of and still be thousands of entries behind, and
        // a rolling restart that moves on then leaves the cluster unable to commit until it catches up.
        long applied = driver.appliedIndex();
        return s.leader() != null && s.conf().contains(settings.nodeId()) && applied >= s.commit()
                && s.leaderCommit() - applied <= PROMOTION_LAG_ENTRIES;
    }

    /** Hands leadership away if this node leads (graceful shutdown), waiting at most {@code wait}. */
    public void handOverLeadership(Duration wait) {
        if (driver == null || !driver.isAlive() || driver.status().role() != Role.LEADER) {
            return;
        }
        Status s = driver.status();
        String target = s.progress().entrySet().stream()
                .filter(e -> !e.getValue().learner() && e.getValue().heardWithin(settings.electionTicks()))
                .max((a, b) -> Long.compare(a.getValue().match(), b.getValue().match()))
                .map(Map.Entry::getKey).orElse(null);
        if (target == null) {
            return;
        }
        try {
            driver.transferLeadership(target).get(wait.toMillis(), TimeUnit.MILLISECONDS);
            log.info("handed leadership to {}", target);
        } catch (Exception e) {
            log.warn("leadership hand-over to {} did not finish: {}", target, e.toString());
        }
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
        if (storage != null) {
            storage.close();
        }
    }
}
