package dev.ratchet.raft.sim;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.RaftConfig;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.RaftException;
import dev.ratchet.raft.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One deterministic simulated cluster run: a single seed drives the scheduler, network, disks, crashes,
 * clients and every node's election randomness, so any failure replays exactly from its seed. Time is
 * abstract units (think milliseconds); nodes tick every {@link #TICK} units.
 *
 * <p>The run has a fault phase (clients and nemesis active), then a heal phase (no faults, every node up)
 * after which the cluster must have one leader, every member must have applied the whole log, and every
 * lost disk must have been replaced (no old incarnation left in the membership).
 *
 * <p>A run may start with fewer voters than servers ({@link #initialVoters}): the spares are empty and
 * join through membership changes, so the cluster grows 3→4→5 and shrinks again.
 */
public final class Simulation {

    static final long TICK = 10;

    /** The outcome of a run that kept every invariant; {@link #history} is what the clients saw. */
    record Result(long seed, FaultMix mix, int nodes, SimHistory history, long events, long messages,
                  Map<String, Long> sentByType, long confChangesApplied, String trace, Stats stats) { }

    /** Counts of the faults and changes a run went through (coverage of the fault model). */
    record Stats(long wipes, long tornAppends, long confChangesTriedAtElection, long confChangesAtElection,
                 long replacementsPromoted,
                 long evenVoterConfigs, long localSnapshots, long reconfigRaces, long failedForces,
                 long droppedLocalSnapshots) { }

    final long seed;
    final SplittableRandom random;
    final FaultMix mix;
    final SimNetwork network;
    final InvariantChecker checker = new InvariantChecker();
    final SimHistory history = new SimHistory();
    final List<SimClient> clients = new ArrayList<>();
    final SimMembership membership = new SimMembership(this);
    final ReconfigRace race = new ReconfigRace(this);
    boolean plantedLocalReads;
    long plantedReadsServed;
    /**
     * PLANTED BUG 2 (test-only): a server that lost its disk comes back empty under its old Raft id, votes,
     * and is never replaced: Raft amnesia.
     */
    boolean plantedAmnesia;
    /**
     * PLANTED BUG 4 (test-only): the driver reports each pipelined sync done as soon as it is started, before
     * the disk answered: acknowledgements and the leader's own vote in the quorum promise writes a crash can
     * still lose.
     */
    boolean plantedEarlyDurability;
    /** Applied to every node's configuration (the planted bug 3 switch of the core goes here). */
    java.util.function.UnaryOperator<RaftConfig> configTweak = c -> c;
    long confChangesApplied;
    long localSnapshots;
    /** Local snapshots not adopted: a newer one was installed while their file was "written". */
    long droppedLocalSnapshots;
    long evenVoterConfigs;
    private long lastVoterCount;
    /** Cleared by the planted-bug test so a deposed leader keeps believing it leads while partitioned. */
    boolean checkQuorum = true;
    /** Cleared by planted-bug tests that need the plain election rules of §5.2 (no pre-vote round). */
    boolean preVote = true;
    long now;
    private long seq;
    private long requestIds;
    private final PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0]
            ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    private final Map<Long, Runnable> actions = new java.util.HashMap<>();
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final List<String> trace = new ArrayList<>();
    private final int nodeCount;
    /** Servers that are voters at bootstrap; the others start empty and join later. */
    int initialVoters;
    private final long faultTime;
    private final long healTime;
    private long events;

    public Simulation(long seed, int nodeCount, FaultMix mix, long faultTime, long healTime) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.mix = mix;
        this.nodeCount = nodeCount;
        this.initialVoters = nodeCount;
        this.faultTime = faultTime;
        this.healTime = healTime;
        this.network = new SimNetwork(this, mix);
        checker.disksCanBeLost = mix.diskLoss();
    }

    /**
     * The standard configuration for a seed: 3, 4 or 5 servers (five sometimes starting with three voters
     * and two empty spares) and a fault mix, all chosen by the seed.
     */
    static Simulation forSeed(long seed) {
        SplittableRandom pick = new SplittableRandom(seed * 0x9E3779B97F4A7C15L);
        int nodes = 3 + pick.nextInt(3);
        FaultMix mix = FaultMix.ALL.get(pick.nextInt(FaultMix.ALL.size()));
        Simulation sim = new Simulation(seed, nodes, mix, 4_000, 3_000);
        if (nodes == 5 && mix.membership() && pick.nextBoolean()) {
            sim.initialVoters = 3;
        }
        return sim;
    }

    void schedule(long delay, Runnable action) {
        long id = seq++;
        queue.add(new long[] {now + delay, id});
        actions.put(id, action);
    }

    int nodeCount() {
        return nodeCount;
    }

    /** The server with this name or Raft id. */
    SimNode node(String id) {
        return nodes.get(SimNode.nameOf(id));
    }

    java.util.Collection<SimNode> nodes() {
        return nodes.values();
    }

    /** The number of entries {@link RaftCore#bootstrap} wrote: changes after them are the run's own. */
    int bootstrapEntries() {
        return initialVoters;
    }

    boolean healed() {
        return healed;
    }

    /** A node learned it leads and has nothing outstanding: the first thing it may do. */
    void onElected(SimNode leader) {
        membership.onElected(leader);
    }

    String randomNodeId() {
        List<String> ids = new ArrayList<>(nodes.keySet());
        return ids.get(random.nextInt(ids.size()));
    }

    long nextRequestId() {
        return ++requestIds;
    }

    void note(String s) {
        if (trace.size() < 200) {
            trace.add(now + " " + s);
        }
    }

    public Result run() {
        int snapshotEvery = 5 + random.nextInt(40);
        int chunk = 8 + random.nextInt(64);
        List<String> voters = new ArrayList<>();
        for (int i = 1; i <= initialVoters; i++) {
            voters.add("n" + i + "~1");
        }
        for (int i = 1; i <= nodeCount; i++) {
            String name = "n" + i;
            long sizePerMsg = 256 + random.nextInt(2048);
            int inflight = 1 + random.nextInt(8);
            java.util.function.Function<String, RaftConfig> cfg = id -> configTweak.apply(RaftConfig.defaults(id)
                    .withElectionTicks(10, 2)
                    .withFlowControl(sizePerMsg, inflight, 1L << 16)
                    .withSnapshotChunkBytes(chunk)
                    .withFeatures(preVote, checkQuorum, false));
            SimNode n = new SimNode(name, this, cfg, snapshotEvery, new SimDisk(4 + random.nextInt(40), true));
            if (i <= initialVoters) {
                RaftCore.bootstrap(n.disk, voters);
            }
            nodes.put(name, n);
        }
        for (SimNode n : nodes.values()) {
            n.start();
            long phase = random.nextInt((int) TICK);
            scheduleTicks(n, phase);
        }
        for (int i = 0; i < 3; i++) {
            SimClient c = new SimClient(i, this);
            clients.add(c);
        }
        clients.forEach(SimClient::start);
        if (mix.anyNemesis()) {
            schedule(200 + random.nextInt(500), this::nemesis);
        }
        if (mix.diskLoss()) {
            scheduleMembershipManager(100);
        }
        schedule(faultTime, this::heal);
        long end = faultTime + healTime;
        try {
            while (!queue.isEmpty() && queue.peek()[0] <= end) {
                long[] ev = queue.poll();
                now = ev[0];
                actions.remove(ev[1]).run();
                events++;
                checker.afterEvent(nodes.values());
                countEvenConfigs();
            }
            checkConverged();
        } catch (AssertionError | RuntimeException e) {
            throw new SimulationFailure(this, e);
        }
        long wipes = nodes.values().stream().mapToLong(n -> n.disk.wipes).sum();
        long torn = nodes.values().stream().mapToLong(n -> n.disk.tornAppends).sum();
        long failedForces = nodes.values().stream().mapToLong(n -> n.disk.failedForces).sum();
        return new Result(seed, mix, nodeCount, history, events, network.sent, network.sentByType, confChangesApplied,
                String.join("\n", trace), new Stats(wipes, torn, membership.triedAtElection, membership.proposedAtElection,
                membership.replacementsPromoted, evenVoterConfigs, localSnapshots, race.lined, failedForces,
                droppedLocalSnapshots));
    }

    private void countEvenConfigs() {
        leader().ifPresent(l -> {
            long voters = l.core.status().conf().voters().size();
            if (voters != lastVoterCount) {
                lastVoterCount = voters;
                if (voters % 2 == 0) {
                    evenVoterConfigs++;
                }
            }
        });
    }

    /** The leader-side membership manager runs every few ticks, like the production one. */
    private void scheduleMembershipManager(long delay) {
        schedule(delay, () -> {
            leader().ifPresent(l -> l.enqueue(() -> membership.replaceLostDisks(l)));
            scheduleMembershipManager(5 * TICK);
        });
    }

    private void scheduleTicks(SimNode n, long delay) {
        schedule(delay, () -> {
            if (n.up) {
                n.tick();
            }
            scheduleTicks(n, TICK);
        });
    }

    private boolean healed;

    private void nemesis() {
        if (healed) {
            return;
        }
        List<String> actionsAvailable = new ArrayList<>();
        if (mix.partitions()) {
            Collections.addAll(actionsAvailable, "split", "isolate-leader", "one-way", "heal");
        }
        if (mix.crashes()) {
            Collections.addAll(actionsAvailable, "crash", "restart", "fail-force");
        }
        if (mix.diskLoss()) {
            Collections.addAll(actionsAvailable, "wipe", "crash", "restart");
        }
        if (mix.transfers()) {
            actionsAvailable.add("transfer");
        }
        if (mix.membership()) {
            Collections.addAll(actionsAvailable, "membership", "membership", "reconfig-race");
        }
        String action = actionsAvailable.get(random.nextInt(actionsAvailable.size()));
        List<String> ids = new ArrayList<>(nodes.keySet());
        switch (action) {
            case "split" -> {
                Collections.shuffle(ids, new java.util.Random(random.nextLong()));
                int cut = 1 + random.nextInt(ids.size() - 1);
                network.heal();
                network.split(ids.subList(0, cut), ids.subList(cut, ids.size()));
            }
            case "isolate-leader" -> leader().ifPresent(l -> {
                ids.remove(l.name);
                network.split(List.of(l.name), ids);
            });
            case "one-way" -> {
                String a = ids.get(random.nextInt(ids.size()));
                String b = ids.get(random.nextInt(ids.size()));
                if (!a.equals(b)) {
                    network.block(a, b);
                }
            }
            case "heal" -> network.heal();
            case "crash" -> {
                SimNode n = nodes.get(ids.get(random.nextInt(ids.size())));
                if (random.nextBoolean()) {
                    // Aim at the window between a Ready's writes and their sync, where torn writes live.
                    n.crashBeforeNextSync = true;
                } else {
                    crashAndRestart(n);
                }
            }
            case "fail-force" -> nodes.get(ids.get(random.nextInt(ids.size()))).disk.failNextForce = true;
            case "restart" -> nodes.values().stream().filter(n -> !n.up).findFirst().ifPresent(this::restart);
            case "wipe" -> wipe(nodes.get(ids.get(random.nextInt(ids.size()))));
            case "transfer" -> leader().ifPresent(l -> {
                String target = nodes.get(ids.get(random.nextInt(ids.size()))).raftId();
                l.enqueue(() -> {
                    try {
                        if (l.core.role() == Role.LEADER && l.core.status().conf().voters().contains(target)) {
                            l.core.transferLeadership(target);
                        }
                    } catch (RaftException ignored) {
                        // Lost leadership in between: nothing to transfer.
                    }
                });
            });
            case "membership" -> leader().ifPresent(l -> l.enqueue(() -> membership.randomChange(l)));
            case "reconfig-race" -> leader().ifPresent(l -> l.enqueue(() -> race.start(l)));
            default -> throw new AssertionError(action);
        }
        note(action + " -> " + network.describe() + " " + nodes.values());
        schedule(200 + random.nextInt(600), this::nemesis);
    }

    /**
     * The server loses its volume and restarts empty, as a new incarnation that asks to join (or, with the
     * planted amnesia bug, under its old id). Only while every voter's disk is intact and at least three
     * vote, so that a majority of intact disks always remains (losing more is disaster recovery, not this).
     */
    private void wipe(SimNode n) {
        SimNode l = leader().orElse(null);
        if (l == null) {
            return;
        }
        ConfState conf = l.core.status().conf();
        boolean replacing = !membership.staleIds(conf, nodes.values()).isEmpty()
                || nodes.values().stream().anyMatch(x -> x.wantsToJoin);
        if (conf.voters().size() < 3 || replacing) {
            return;
        }
        if (n.up) {
            n.crash();
        }
        n.disk.wipe();
        checker.forget(n);
        if (!plantedAmnesia) {
            n.incarnation++;
            n.wantsToJoin = true;
        }
        note("wipe " + n.name + " -> " + n.raftId());
        schedule(200 + random.nextInt(1500), () -> restart(n));
    }

    /** Power loss on the server now; it restarts on what its disk kept some time later. */
    void crashAndRestart(SimNode n) {
        if (n.up && !healed) {
            n.crash();
            note("crash " + n.raftId());
            schedule(200 + random.nextInt(1500), () -> restart(n));
        }
    }

    /** The process stopped by itself (a storage failure): it restarts later, even after the heal. */
    void stopAndRestart(SimNode n) {
        if (n.up) {
            n.crash();
            note("stopped " + n.raftId());
            schedule(200 + random.nextInt(1500), () -> restart(n));
        }
    }

    private void restart(SimNode n) {
        if (!n.up) {
            boolean started = n.start();
            note((started ? "restart " : "cannot restart (" + n.disk.unrecoverable() + ") ") + n.raftId());
        }
    }

    private java.util.Optional<SimNode> leader() {
        return nodes.values().stream().filter(SimNode::isLeader).findFirst();
    }

    private void heal() {
        healed = true;
        nodes.values().forEach(n -> n.disk.failNextForce = false);
        network.heal();
        network.setMix(FaultMix.HEALED);
        nodes.values().forEach(this::restart);
        clients.forEach(SimClient::stop);
        note("heal " + nodes.values());
    }

    /** After the heal phase: one leader, and every member has committed and applied the leader's whole log. */
    private void checkConverged() {
        List<SimNode> leaders = nodes.values().stream().filter(SimNode::isLeader).toList();
        if (leaders.size() != 1) {
            throw new AssertionError("liveness: expected one leader after healing, found " + leaders + " " + nodes.values());
        }
        SimNode l = leaders.get(0);
        long last = l.core.status().lastIndex();
        var conf = l.core.status().conf();
        List<String> stale = membership.staleIds(conf, nodes.values());
        if (!stale.isEmpty() || nodes.values().stream().anyMatch(n -> n.wantsToJoin && !conf.voters().contains(n.raftId()))) {
            throw new AssertionError("liveness: lost disks not replaced after healing: members " + conf + ", stale "
                    + stale + " " + nodes.values());
        }
        for (SimNode n : nodes.values()) {
            if (!conf.contains(n.raftId())) {
                continue;
            }
            if (n.core.commitIndex() != last || n.core.appliedIndex() != last) {
                throw new AssertionError("liveness: " + n + " has commit " + n.core.commitIndex() + " applied "
                        + n.core.appliedIndex() + " but the leader's log ends at " + last + " " + nodes.values());
            }
        }
    }

    String describe() {
        return "seed=" + seed + " nodes=" + nodeCount + " voters=" + initialVoters + " mix=" + mix.name() + " now=" + now
                + " events=" + events;
    }

    String trace() {
        return String.join("\n", trace);
    }

    /** A run that broke an invariant; the message names the seed and how to replay it. */
    static final class SimulationFailure extends RuntimeException {
        SimulationFailure(Simulation sim, Throwable cause) {
            super(sim.describe() + ": " + cause.getMessage() + "\n  replay: ./mvnw -q test -Dtest=RaftSimulationTest"
                    + " -Dratchet.sim.seed=" + sim.seed + "\n  trace:\n" + sim.trace(), cause);
        }
    }
}
