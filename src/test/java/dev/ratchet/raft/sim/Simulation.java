package dev.ratchet.raft.sim;

import dev.ratchet.raft.ConfChange;
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
 * after which the cluster must have one leader and every node must have applied the whole log.
 */
public final class Simulation {

    static final long TICK = 10;

    /** The outcome of a run that kept every invariant; {@link #history} is what the clients saw. */
    record Result(long seed, FaultMix mix, int nodes, SimHistory history, long events, long messages,
                  Map<String, Long> sentByType, long confChangesApplied, String trace) { }

    final long seed;
    final SplittableRandom random;
    final FaultMix mix;
    final SimNetwork network;
    final InvariantChecker checker = new InvariantChecker();
    final SimHistory history = new SimHistory();
    final List<SimClient> clients = new ArrayList<>();
    boolean plantedLocalReads;
    long plantedReadsServed;
    long confChangesApplied;
    /** Cleared by the planted-bug test so a deposed leader keeps believing it leads while partitioned. */
    boolean checkQuorum = true;
    long now;
    private long seq;
    private long requestIds;
    private final PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0]
            ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    private final Map<Long, Runnable> actions = new java.util.HashMap<>();
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final List<String> trace = new ArrayList<>();
    private final int nodeCount;
    private final long faultTime;
    private final long healTime;
    private long events;

    public Simulation(long seed, int nodeCount, FaultMix mix, long faultTime, long healTime) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.mix = mix;
        this.nodeCount = nodeCount;
        this.faultTime = faultTime;
        this.healTime = healTime;
        this.network = new SimNetwork(this, mix);
    }

    /** The standard configuration for a seed: 3 or 5 nodes and a fault mix, both chosen by the seed. */
    static Simulation forSeed(long seed) {
        SplittableRandom pick = new SplittableRandom(seed * 0x9E3779B97F4A7C15L);
        int nodes = pick.nextBoolean() ? 3 : 5;
        FaultMix mix = FaultMix.ALL.get(pick.nextInt(FaultMix.ALL.size()));
        return new Simulation(seed, nodes, mix, 4_000, 3_000);
    }

    void schedule(long delay, Runnable action) {
        long id = seq++;
        queue.add(new long[] {now + delay, id});
        actions.put(id, action);
    }

    int nodeCount() {
        return nodeCount;
    }

    SimNode node(String id) {
        return nodes.get(id);
    }

    String randomNodeId() {
        List<String> ids = new ArrayList<>(nodes.keySet());
        return ids.get(random.nextInt(ids.size()));
    }

    long nextRequestId() {
        return ++requestIds;
    }

    private void note(String s) {
        if (trace.size() < 200) {
            trace.add(now + " " + s);
        }
    }

    public Result run() {
        int snapshotEvery = 5 + random.nextInt(40);
        int chunk = 8 + random.nextInt(64);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= nodeCount; i++) {
            ids.add("n" + i);
        }
        for (String id : ids) {
            RaftConfig cfg = RaftConfig.defaults(id).withElectionTicks(10, 2)
                    .withFlowControl(256 + random.nextInt(2048), 1 + random.nextInt(8), 1L << 16)
                    .withSnapshotChunkBytes(chunk)
                    .withFeatures(true, checkQuorum, false);
            SimNode n = new SimNode(id, this, cfg, snapshotEvery);
            RaftCore.bootstrap(n.disk, ids);
            nodes.put(id, n);
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
        schedule(faultTime, this::heal);
        long end = faultTime + healTime;
        try {
            while (!queue.isEmpty() && queue.peek()[0] <= end) {
                long[] ev = queue.poll();
                now = ev[0];
                actions.remove(ev[1]).run();
                events++;
                checker.afterEvent(nodes.values());
            }
            checkConverged();
        } catch (AssertionError | RuntimeException e) {
            throw new SimulationFailure(this, e);
        }
        return new Result(seed, mix, nodeCount, history, events, network.sent, network.sentByType, confChangesApplied,
                String.join("\n", trace));
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
            Collections.addAll(actionsAvailable, "crash", "restart");
        }
        if (mix.transfers()) {
            actionsAvailable.add("transfer");
        }
        if (mix.membership()) {
            actionsAvailable.add("membership");
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
                ids.remove(l.id);
                network.split(List.of(l.id), ids);
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
                if (n.up) {
                    n.crash();
                    schedule(200 + random.nextInt(1500), () -> restart(n));
                }
            }
            case "restart" -> nodes.values().stream().filter(n -> !n.up).findFirst().ifPresent(this::restart);
            case "transfer" -> leader().ifPresent(l -> {
                String target = ids.get(random.nextInt(ids.size()));
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
            case "membership" -> leader().ifPresent(this::changeMembership);
            default -> throw new AssertionError(action);
        }
        note(action + " -> " + network.describe() + " " + nodes.values());
        schedule(200 + random.nextInt(600), this::nemesis);
    }

    /** Removes a voter or adds back a removed node (first as learner, then promoted), one at a time. */
    private void changeMembership(SimNode leader) {
        leader.enqueue(() -> {
            if (leader.core.role() != Role.LEADER) {
                return;
            }
            var conf = leader.core.status().conf();
            List<String> outside = new ArrayList<>(nodes.keySet());
            outside.removeAll(conf.voters());
            ConfChange change;
            if (!conf.learners().isEmpty()) {
                change = new ConfChange(ConfChange.Type.ADD_VOTER, conf.learners().iterator().next());
            } else if (!outside.isEmpty() && (conf.voters().size() <= 2 || random.nextBoolean())) {
                change = new ConfChange(ConfChange.Type.ADD_LEARNER, outside.get(random.nextInt(outside.size())));
            } else if (conf.voters().size() > 2) {
                List<String> voters = new ArrayList<>(conf.voters());
                change = new ConfChange(ConfChange.Type.REMOVE_NODE, voters.get(random.nextInt(voters.size())));
            } else {
                return;
            }
            try {
                leader.core.proposeConfChange(change);
                note("propose " + change + " at " + leader.id);
            } catch (RaftException ignored) {
                // A change is still pending: try again at the next nemesis step.
            }
        });
    }

    private void restart(SimNode n) {
        if (!n.up) {
            n.start();
            note("restart " + n.id);
        }
    }

    private java.util.Optional<SimNode> leader() {
        return nodes.values().stream().filter(SimNode::isLeader).findFirst();
    }

    private void heal() {
        healed = true;
        network.heal();
        network.setMix(new FaultMix("healed", 0, 0, 1, 5, false, false, false, false));
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
        for (SimNode n : nodes.values()) {
            if (!conf.contains(n.id)) {
                continue;
            }
            if (n.core.commitIndex() != last || n.core.appliedIndex() != last) {
                throw new AssertionError("liveness: " + n + " has commit " + n.core.commitIndex() + " applied "
                        + n.core.appliedIndex() + " but the leader's log ends at " + last + " " + nodes.values());
            }
        }
    }

    String describe() {
        return "seed=" + seed + " nodes=" + nodeCount + " mix=" + mix.name() + " now=" + now + " events=" + events;
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
