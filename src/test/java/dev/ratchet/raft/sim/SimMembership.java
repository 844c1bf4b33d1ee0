package dev.ratchet.raft.sim;

import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.RaftException;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Membership changes in the simulation, always one server at a time and only through the leader's core:
 * <ul>
 *   <li>the nemesis's random changes (remove a voter, add a learner, promote it), which walk the cluster
 *       through even sizes (3→4→5, 5→4→3, 3→2→3), also proposed by a new leader in the very step it learns
 *       it leads (before it committed anything of its term);</li>
 *   <li>the replacement of lost disks, the way the production membership manager does it: once the leader
 *       has not heard from an old incarnation for {@link #REPLACE_AFTER_TICKS} it removes it with a committed
 *       change, then adds the new incarnation as a learner and promotes it once caught up.</li>
 * </ul>
 */
final class SimMembership {

    /** How long the leader must not have heard from an old incarnation before it is replaced. */
    static final int REPLACE_AFTER_TICKS = 30;

    private final Simulation sim;
    long triedAtElection;
    long proposedAtElection;
    long replacementsStarted;
    long replacementsPromoted;

    SimMembership(Simulation sim) {
        this.sim = sim;
    }

    /** Ids in {@code conf} that belong to an earlier incarnation of their server. */
    List<String> staleIds(ConfState conf, Collection<SimNode> nodes) {
        List<String> stale = new ArrayList<>();
        for (SimNode n : nodes) {
            for (String id : conf.voters()) {
                if (SimNode.nameOf(id).equals(n.name) && !id.equals(n.raftId())) {
                    stale.add(id);
                }
            }
            for (String id : conf.learners()) {
                if (SimNode.nameOf(id).equals(n.name) && !id.equals(n.raftId())) {
                    stale.add(id);
                }
            }
        }
        return stale;
    }

    /**
     * A new leader, before anything else: maybe try a random change at once, and keep trying after each of
     * its Readies until the core accepts one (a correct core refuses until an entry of the new term commits).
     */
    void onElected(SimNode leader) {
        if (leader.changeAtFirstChance) {
            retryAfterElection(leader);
        } else if (sim.mix.membership() && !sim.healed() && sim.random.nextInt(3) == 0) {
            triedAtElection++;
            leader.changeAtFirstChance = true;
            retryAfterElection(leader);
        }
    }

    /** Called after every Ready of a leader that still wants its post-election change. */
    void retryAfterElection(SimNode leader) {
        if (!leader.isLeader() || sim.healed()) {
            leader.changeAtFirstChance = false;
            leader.directedChange = null;
        } else if (leader.directedChange != null ? propose(leader, leader.directedChange) : randomChange(leader)) {
            leader.changeAtFirstChance = false;
            leader.directedChange = null;
            proposedAtElection++;
        }
    }

    /** Removes a voter or adds a server that is not a member (as learner, then promoted). */
    boolean randomChange(SimNode leader) {
        if (!leader.isLeader()) {
            return false;
        }
        ConfState conf = leader.core.status().conf();
        boolean replacing = !staleIds(conf, sim.nodes()).isEmpty();
        List<String> outside = new ArrayList<>();
        for (SimNode n : sim.nodes()) {
            if (!conf.contains(n.raftId()) && !n.wantsToJoin) {
                outside.add(n.raftId());
            }
        }
        ConfChange change;
        if (!conf.learners().isEmpty()) {
            change = new ConfChange(ConfChange.Type.ADD_VOTER, conf.learners().iterator().next());
        } else if (!outside.isEmpty() && (conf.voters().size() <= 2 || replacing || sim.random.nextBoolean())) {
            change = new ConfChange(ConfChange.Type.ADD_LEARNER, outside.get(sim.random.nextInt(outside.size())));
        } else if (conf.voters().size() > 2 && !replacing) {
            // No removal while a lost disk's old incarnation still votes: that could leave it a majority.
            List<String> voters = new ArrayList<>(conf.voters());
            change = new ConfChange(ConfChange.Type.REMOVE_NODE, voters.get(sim.random.nextInt(voters.size())));
        } else {
            return false;
        }
        return propose(leader, change);
    }

    /**
     * The leader side of disk replacement, one step per call: remove an old incarnation not heard from for
     * long enough, else add a waiting new incarnation as learner, else promote a caught-up one.
     */
    void replaceLostDisks(SimNode leader) {
        if (!leader.isLeader()) {
            return;
        }
        Status s = leader.core.status();
        ConfState conf = s.conf();
        for (String old : staleIds(conf, sim.nodes())) {
            Status.FollowerStatus f = s.progress().get(old);
            if (f != null && !f.heardWithin(REPLACE_AFTER_TICKS) && propose(leader, new ConfChange(ConfChange.Type.REMOVE_NODE, old))) {
                replacementsStarted++;
                return;
            }
        }
        for (SimNode n : sim.nodes()) {
            if (!n.wantsToJoin || !n.up) {
                continue;
            }
            boolean oldStillMember = conf.voters().stream().anyMatch(id -> SimNode.nameOf(id).equals(n.name) && !id.equals(n.raftId()))
                    || conf.learners().stream().anyMatch(id -> SimNode.nameOf(id).equals(n.name) && !id.equals(n.raftId()));
            if (oldStillMember) {
                continue;
            }
            if (!conf.contains(n.raftId())) {
                propose(leader, new ConfChange(ConfChange.Type.ADD_LEARNER, n.raftId()));
                return;
            }
            Status.FollowerStatus f = s.progress().get(n.raftId());
            if (conf.learners().contains(n.raftId()) && f != null && f.match() >= s.commit()) {
                if (propose(leader, new ConfChange(ConfChange.Type.ADD_VOTER, n.raftId()))) {
                    replacementsPromoted++;
                }
                return;
            }
            if (conf.voters().contains(n.raftId())) {
                n.wantsToJoin = false;
            }
        }
    }

    private boolean propose(SimNode leader, ConfChange change) {
        if (leader.core.role() != Role.LEADER) {
            return false;
        }
        try {
            leader.core.proposeConfChange(change);
            sim.note("propose " + change + " at " + leader.raftId());
            return true;
        } catch (RaftException | IllegalArgumentException ignored) {
            // A change is still pending (or the membership moved on): try again at a later step.
            return false;
        }
    }
}
