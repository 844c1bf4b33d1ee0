package dev.ratchet.raft.sim;

import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.RaftException;
import java.util.ArrayList;
import java.util.List;

/**
 * A nemesis step aimed at the single-server membership change bug (Ongaro, raft-dev, July 2015; issue 12
 * item 3), played inside a random run on an even-sized configuration {@code C} of four voters:
 * <ol>
 *   <li>leader {@code A} appends "remove {@code V}" and is isolated at once, so its change {@code C1}
 *       stays on its own log;</li>
 *   <li>the moment the others elect {@code L} (before its first messages arrive), {@code L} is cut from a
 *       voter {@code D} that just voted for it, and {@code L} tries "remove {@code A}" ({@code C2}) at its
 *       first chance; a correct core refuses until an entry of {@code L}'s term commits, which needs
 *       {@code D} or {@code A};</li>
 *   <li>later the network becomes {@code {A, D} | the rest}: {@code A} and {@code D} are a majority of
 *       {@code C1}, {@code L} and the third voter one of {@code C2}.</li>
 * </ol>
 * With the planted switch the core accepts {@code C2} at once, both sides commit different entries at the
 * same index, and the invariant checker reports it. Timing is the seed's: the step does not always line up.
 */
final class ReconfigRace {

    private enum Phase { IDLE, AWAIT_NEW_LEADER, SPLIT_PENDING }

    private final Simulation sim;
    private Phase phase = Phase.IDLE;
    private String oldLeader;
    private String removedByOld;
    private long oldTerm;
    private String cutVoter;
    long started;
    long lined;

    ReconfigRace(Simulation sim) {
        this.sim = sim;
    }

    /** Step 1, from the nemesis: only on a leader of exactly four voters with nothing in flight. */
    void start(SimNode leader) {
        if (phase != Phase.IDLE || !leader.isLeader() || sim.healed()) {
            return;
        }
        ConfState conf = leader.core.status().conf();
        if (conf.voters().size() != 4 || !conf.learners().isEmpty()) {
            return;
        }
        List<String> others = new ArrayList<>(conf.voters());
        others.remove(leader.raftId());
        String victim = others.get(sim.random.nextInt(others.size()));
        try {
            leader.core.proposeConfChange(new ConfChange(ConfChange.Type.REMOVE_NODE, victim));
        } catch (RaftException | IllegalArgumentException e) {
            return;
        }
        oldLeader = leader.raftId();
        removedByOld = victim;
        oldTerm = leader.core.term();
        phase = Phase.AWAIT_NEW_LEADER;
        started++;
        List<String> rest = new ArrayList<>();
        sim.nodes().forEach(n -> rest.add(n.name));
        rest.remove(leader.name);
        sim.network.heal();
        sim.network.split(List.of(leader.name), rest);
        sim.note("race: " + oldLeader + " proposes remove " + victim + " and is isolated");
        // Give up if no new leader shows up in time; the random nemesis carries on meanwhile.
        sim.schedule(1_500, () -> {
            if (phase == Phase.AWAIT_NEW_LEADER) {
                phase = Phase.IDLE;
            }
        });
    }

    /**
     * Step 2, in the very instant a node's Ready says it leads (its first messages are on the wire): cut
     * it from a voter that elected it. Only the network is touched here, never the core.
     */
    void onBecameLeader(SimNode leader) {
        if (phase != Phase.AWAIT_NEW_LEADER || sim.healed() || leader.raftId().equals(oldLeader)
                || leader.core.term() <= oldTerm) {
            return;
        }
        ConfState conf = leader.core.status().conf();
        if (!conf.voters().contains(oldLeader)) {
            phase = Phase.IDLE;
            return;
        }
        List<String> candidates = new ArrayList<>(conf.voters());
        candidates.removeAll(List.of(oldLeader, removedByOld, leader.raftId()));
        if (candidates.isEmpty()) {
            phase = Phase.IDLE;
            return;
        }
        cutVoter = candidates.get(sim.random.nextInt(candidates.size()));
        String d = SimNode.nameOf(cutVoter);
        sim.network.block(leader.name, d);
        sim.network.block(d, leader.name);
        leader.directedChange = new ConfChange(ConfChange.Type.REMOVE_NODE, oldLeader);
        leader.changeAtFirstChance = true;
        phase = Phase.SPLIT_PENDING;
        lined++;
        sim.note("race: " + leader.raftId() + " leads, cut from " + cutVoter + ", wants remove " + oldLeader);
        sim.schedule(300 + sim.random.nextInt(300), this::splitOldMajority);
    }

    /** Step 3: {@code A} with {@code D} against the rest. */
    private void splitOldMajority() {
        if (phase != Phase.SPLIT_PENDING || sim.healed()) {
            phase = Phase.IDLE;
            return;
        }
        phase = Phase.IDLE;
        List<String> side = List.of(SimNode.nameOf(oldLeader), SimNode.nameOf(cutVoter));
        List<String> rest = new ArrayList<>();
        sim.nodes().forEach(n -> rest.add(n.name));
        rest.removeAll(side);
        sim.network.heal();
        sim.network.split(side, rest);
        sim.note("race: split " + side + " | " + rest);
    }
}
