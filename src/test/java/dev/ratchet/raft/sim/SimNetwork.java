package dev.ratchet.raft.sim;

import dev.ratchet.raft.Message;
import dev.ratchet.raft.MessageCodec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The simulated network: every message is serialized with {@link MessageCodec} (as the real transport
 * will), then dropped, delayed, duplicated or blocked by a partition as the run's {@link FaultMix} and the
 * nemesis decide. Partitions are sets of blocked directed links between servers (whatever their
 * incarnation), so one-way partitions come for free. Messages are addressed by Raft id; the receiving
 * server drops those for an incarnation it no longer is.
 */
final class SimNetwork {

    private final Simulation sim;
    private FaultMix mix;
    private final Set<String> blocked = new HashSet<>();
    long sent;
    long delivered;
    /** Messages sent, by type (for coverage assertions). */
    final java.util.Map<String, Long> sentByType = new java.util.TreeMap<>();

    SimNetwork(Simulation sim, FaultMix mix) {
        this.sim = sim;
        this.mix = mix;
    }

    void setMix(FaultMix mix) {
        this.mix = mix;
    }

    void send(Message m) {
        sent++;
        sentByType.merge(m.getClass().getSimpleName(), 1L, Long::sum);
        String link = SimNode.nameOf(m.from()) + ">" + SimNode.nameOf(m.to());
        if (blocked.contains(link) || sim.random.nextDouble() < mix.drop()) {
            return;
        }
        byte[] wire = MessageCodec.encode(m);
        int copies = sim.random.nextDouble() < mix.duplicate() ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = mix.minDelay() + sim.random.nextInt(mix.maxDelay() - mix.minDelay() + 1);
            sim.schedule(delay, () -> {
                if (!blocked.contains(link)) {
                    delivered++;
                    sim.node(m.to()).receive(MessageCodec.decode(wire));
                }
            });
        }
    }

    void block(String from, String to) {
        blocked.add(from + ">" + to);
    }

    /** Cuts every link between the two groups, both ways. */
    void split(List<String> a, List<String> b) {
        for (String x : a) {
            for (String y : b) {
                block(x, y);
                block(y, x);
            }
        }
    }

    void heal() {
        blocked.clear();
    }

    String describe() {
        return blocked.isEmpty() ? "healed" : "blocked " + blocked;
    }
}
