package dev.ratchet.raft.sim;

import java.util.List;

/**
 * A simulated client: one operation at a time against the node it believes leads. A refused submission is
 * retried elsewhere and never enters the history; an accepted one is recorded as invoked and ends as ok,
 * or as info (outcome unknown) when it times out or its node can no longer answer.
 */
final class SimClient implements SimNode.Client {

    static final List<String> KEYS = List.of("a", "b", "c");
    /** Simulated time an accepted operation may take before it is recorded as unknown. */
    static final long OP_TIMEOUT = 800;
    /** Simulated time a submission may wait for the node to accept or refuse it. */
    static final long SUBMIT_TIMEOUT = 300;

    private final int id;
    private final Simulation sim;
    private String target;
    private int attempt;
    private int historyId = -1;
    private boolean stopped;
    private int valueCounter;

    SimClient(int id, Simulation sim) {
        this.id = id;
        this.sim = sim;
    }

    void stop() {
        stopped = true;
    }

    void start() {
        sim.schedule(sim.random.nextInt(20), this::issue);
    }

    private KvOp nextOp() {
        String key = KEYS.get(sim.random.nextInt(KEYS.size()));
        String value = "c" + id + "v" + (++valueCounter);
        int r = sim.random.nextInt(10);
        if (r < 4) {
            return new KvOp(KvOp.Kind.GET, key, null, null);
        } else if (r < 7) {
            return new KvOp(KvOp.Kind.PUT, key, value, null);
        } else if (r < 8) {
            return new KvOp(KvOp.Kind.DELETE, key, null, null);
        }
        String expected = sim.random.nextBoolean() ? null : "c" + sim.random.nextInt(sim.clients.size()) + "v"
                + sim.random.nextInt(Math.max(1, valueCounter));
        return new KvOp(KvOp.Kind.CAS, key, value, expected);
    }

    private KvOp pending;
    private long opId;

    private void issue() {
        if (stopped) {
            return;
        }
        pending = nextOp();
        opId = sim.nextRequestId();
        if (sim.random.nextInt(4) == 0) {
            // Clients' leader caches go stale in practice; this also mixes clients across both sides of a partition.
            target = null;
        }
        submit();
    }

    private void submit() {
        int a = ++attempt;
        if (target == null || !sim.node(target).up) {
            target = sim.randomNodeId();
        }
        sim.node(target).submit(pending, opId, this, a);
        sim.schedule(SUBMIT_TIMEOUT, () -> {
            if (attempt == a && historyId < 0) {
                target = null;
                submit();
            }
        });
    }

    @Override
    public void accepted(int a) {
        if (a != attempt || historyId >= 0) {
            return;
        }
        historyId = sim.history.invoke(id, pending, sim.now);
        sim.schedule(OP_TIMEOUT, () -> {
            if (attempt == a && historyId >= 0) {
                finishUnknown();
            }
        });
    }

    @Override
    public void rejected(int a, String leaderHint) {
        if (a != attempt || historyId >= 0) {
            return;
        }
        target = leaderHint != null ? leaderHint : sim.randomNodeId();
        attempt++;
        sim.schedule(5 + sim.random.nextInt(20), this::submit);
    }

    @Override
    public void completed(int a, KvOp.Result result) {
        if (a != attempt || historyId < 0) {
            return;
        }
        sim.history.ok(historyId, result, sim.now);
        next();
    }

    @Override
    public void abandoned(int a) {
        if (a == attempt && historyId >= 0) {
            finishUnknown();
        }
    }

    private void finishUnknown() {
        sim.history.info(historyId, sim.now);
        target = null;
        next();
    }

    private void next() {
        historyId = -1;
        attempt++;
        sim.schedule(sim.random.nextInt(30), this::issue);
    }
}
