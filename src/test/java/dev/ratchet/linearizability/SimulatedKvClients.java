package dev.ratchet.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Generates linearizable histories by simulation: clients invoke random operations on one sequential
 * in-memory map; each operation takes effect at one instant between its invocation and its return,
 * with random delays on both sides, so operations overlap as in a real cluster. Some outcomes are lost
 * (recorded as info): the operation then took effect before the loss, after it, or never. Operations
 * still in flight when the simulation stops stay open. Every written value is unique. Deterministic
 * for a given seed.
 */
final class SimulatedKvClients {

    /** The shape of a simulation; {@code infoPercent} of operations lose their outcome. */
    record Config(int clients, int keys, int operations, int maxDelay, int infoPercent) {
        Config {
            if (clients < 1 || keys < 1 || operations < 0 || maxDelay < 0 || infoPercent < 0 || infoPercent > 100) {
                throw new IllegalArgumentException("bad simulation config " + this);
            }
        }
    }

    private enum Kind { INVOKE, APPLY, ANSWER }

    private record Event(long time, long sequence, Kind kind, int client, int opId) implements Comparable<Event> {
        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final Config config;
    private final Random random;
    private final History<KvInput, KvOutput> history;
    private final Map<String, String> store = new HashMap<>();
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final List<KvInput> inputs = new ArrayList<>();
    private final Map<Integer, KvOutput> outputs = new HashMap<>();
    private final Map<Integer, Boolean> losesOutcome = new HashMap<>();
    private long sequence;
    private int invoked;

    private SimulatedKvClients(Config config, long seed) {
        this.config = config;
        this.random = new Random(seed);
        this.history = new History<>(Math.max(1, config.operations()));
    }

    /** Runs one simulation and returns its history. */
    static List<Op<KvInput, KvOutput>> run(Config config, long seed) {
        SimulatedKvClients simulation = new SimulatedKvClients(config, seed);
        simulation.simulate();
        return simulation.history.ops();
    }

    private void simulate() {
        for (int client = 0; client < config.clients(); client++) {
            schedule(random.nextInt(config.maxDelay() + 1), Kind.INVOKE, client, -1);
        }
        long stopAt = Long.MAX_VALUE;
        while (!events.isEmpty() && events.peek().time() <= stopAt) {
            Event event = events.poll();
            switch (event.kind()) {
                case INVOKE -> {
                    invoke(event);
                    if (invoked == config.operations()) {
                        stopAt = event.time() + config.maxDelay();
                    }
                }
                case APPLY -> outputs.put(event.opId(), apply(inputs.get(event.opId())));
                case ANSWER -> answer(event);
            }
        }
    }

    private void invoke(Event event) {
        if (invoked >= config.operations()) {
            return;
        }
        invoked++;
        KvInput input = randomInput(event.client());
        int opId = history.invoke(event.client(), input, event.time());
        inputs.add(input);
        boolean lost = random.nextInt(100) < config.infoPercent();
        losesOutcome.put(opId, lost);
        long applyAt = event.time() + delay();
        long answerAt = applyAt + delay();
        if (lost) {
            // The client gives up at some point; the operation takes effect before, after, or never.
            answerAt = event.time() + delay();
            if (random.nextInt(3) > 0) {
                schedule(event.time() + delay() + delay(), Kind.APPLY, event.client(), opId);
            }
        } else {
            schedule(applyAt, Kind.APPLY, event.client(), opId);
        }
        schedule(answerAt, Kind.ANSWER, event.client(), opId);
    }

    private void answer(Event event) {
        if (losesOutcome.get(event.opId())) {
            history.info(event.opId(), event.time());
        } else {
            history.ok(event.opId(), outputs.get(event.opId()), event.time());
        }
        // Time must advance between a client's operations, or everything would overlap everything.
        schedule(event.time() + 1 + delay(), Kind.INVOKE, event.client(), -1);
    }

    private KvOutput apply(KvInput input) {
        String current = store.get(input.key());
        if (input instanceof KvInput.Put put) {
            store.put(put.key(), put.value());
            return KvOutput.ack();
        }
        if (input instanceof KvInput.Delete delete) {
            store.remove(delete.key());
            return KvOutput.ack();
        }
        if (input instanceof KvInput.Get) {
            return KvOutput.read(current);
        }
        KvInput.Cas cas = (KvInput.Cas) input;
        if (!java.util.Objects.equals(cas.expectedValue(), current)) {
            return KvOutput.casFailed();
        }
        store.put(cas.key(), cas.newValue());
        return KvOutput.casOk();
    }

    private KvInput randomInput(int client) {
        String key = "k" + random.nextInt(config.keys());
        String fresh = "c" + client + "-" + invoked;
        int dice = random.nextInt(100);
        if (dice < 30) {
            return new KvInput.Put(key, fresh);
        }
        if (dice < 70) {
            return new KvInput.Get(key);
        }
        if (dice < 75) {
            return new KvInput.Delete(key);
        }
        // Expecting the value the store holds now makes some swaps succeed and, with overlap, some fail.
        String expected = random.nextBoolean() ? store.get(key) : null;
        return new KvInput.Cas(key, expected, fresh);
    }

    private int delay() {
        return random.nextInt(config.maxDelay() + 1);
    }

    private void schedule(long time, Kind kind, int client, int opId) {
        events.add(new Event(time, sequence++, kind, client, opId));
    }
}
