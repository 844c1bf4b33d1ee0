package dev.ratchet.raft.sim;

import dev.ratchet.raft.Entry;
import dev.ratchet.raft.Ready;
import dev.ratchet.raft.Role;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Raft's safety properties (§5.2 Figure 3), checked as the simulation runs; a violation throws
 * {@link AssertionError} naming the property, which the simulation reports with its seed.
 * <ul>
 *   <li>Election safety: at most one leader per term (after every event).</li>
 *   <li>Log matching: two entries with the same index and term hold the same command and are preceded by
 *       the same term, which by induction makes the logs identical up to there (on every append).</li>
 *   <li>Leader completeness: a new leader's persisted log holds every entry known committed.</li>
 *   <li>State machine safety: every node applies the same entry at an index, reaching the same state, and a
 *       restored snapshot matches the state others reached at its index; an applied entry never changes.</li>
 *   <li>Monotonic commit: within one incarnation a node's commit index never decreases (after every event).</li>
 *   <li>Durable quorum: whenever a leader's commit index moves within its term, the entry there is on the
 *       synced disk of a majority of its voters (after every event; not in runs that lose disks). It is what
 *       every acknowledgement promises, and with pipelined syncs (issue 14) what the leader must not count
 *       itself towards before its own sync.</li>
 *   <li>Vote safety: a Raft id never makes durable two different votes in one term (on every sync). A vote
 *       lost unsynced in a crash never left the node, so it may differ; one lost with a wiped disk must not,
 *       which is why a wiped server must come back under a new id.</li>
 * </ul>
 */
final class InvariantChecker {

    private record LogKey(long index, long term) { }

    private record Seen(Entry entry, long prevTerm) { }

    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    private final Map<LogKey, Seen> entries = new HashMap<>();
    private final Map<Long, Entry> committed = new HashMap<>();
    private final Map<Long, Long> stateAt = new HashMap<>();
    private final Map<String, Long> committedRegistered = new HashMap<>();
    private final Map<String, String> durableVotes = new HashMap<>();
    long checks;
    /** Disks can be lost in this run: a wiped voter legitimately takes a durable copy with it. */
    boolean disksCanBeLost;
    /** Per leader and term, the commit index last checked against the durable images. */
    private final Map<String, Long> durableChecked = new HashMap<>();
    private final Map<String, java.util.Set<String>> votersBefore = new HashMap<>();

    private static void fail(String property, String detail) {
        throw new AssertionError(property + " violated: " + detail);
    }

    void afterEvent(Collection<SimNode> nodes) {
        checks++;
        for (SimNode n : nodes) {
            if (!n.up) {
                continue;
            }
            if (n.core.role() == Role.LEADER) {
                String prior = leaderOfTerm.putIfAbsent(n.core.term(), n.raftId());
                if (prior != null && !prior.equals(n.raftId())) {
                    fail("election safety", "term " + n.core.term() + " has leaders " + prior + " and " + n.raftId());
                }
            }
            long commit = n.core.commitIndex();
            if (!disksCanBeLost && n.core.role() == Role.LEADER) {
                checkDurableQuorum(n, nodes, commit);
            }
            if (commit < n.lastCommit) {
                fail("monotonic commit", n.raftId() + " went from " + n.lastCommit + " to " + commit);
            }
            n.lastCommit = commit;
        }
    }

    private void checkDurableQuorum(SimNode leader, Collection<SimNode> nodes, long commit) {
        String key = leader.raftId() + "@" + leader.core.term();
        java.util.Set<String> voters = leader.core.status().conf().voters();
        Long last = durableChecked.put(key, commit);
        // The commit was computed under the voters in force when the event began or under those of a change
        // the same event appended (one change at a time): a majority of either will do.
        java.util.Set<String> before = votersBefore.put(key, voters);
        if (last == null || last >= commit) {
            return;
        }
        long term = leader.disk.term(commit);
        if (!durableMajority(nodes, voters, commit, term) && !durableMajority(nodes, before, commit, term)) {
            fail("durable quorum", leader.raftId() + " committed " + commit + "@" + term + " but no majority of "
                    + voters + " (nor of " + before + ") has it on disk");
        }
    }

    private static boolean durableMajority(Collection<SimNode> nodes, java.util.Set<String> voters, long index,
                                           long term) {
        int holding = 0;
        for (SimNode n : nodes) {
            if (voters.contains(n.raftId()) && n.disk.durablyHolds(index, term)) {
                holding++;
            }
        }
        return holding > voters.size() / 2;
    }

    /** The server's disk is gone: what it had registered as committed no longer speaks for it. */
    void forget(SimNode n) {
        committedRegistered.remove(n.raftId());
    }

    void onReady(SimNode n, Ready rd) {
        if (rd.hardState() != null && rd.hardState().commit() < n.lastCommit) {
            fail("monotonic commit", n.raftId() + " persists commit " + rd.hardState().commit() + " after " + n.lastCommit);
        }
    }

    /** A hard state just became durable on {@code n} (its sync returned). */
    void onVoteDurable(SimNode n, dev.ratchet.raft.HardState hs) {
        if (hs.votedFor() == null) {
            return;
        }
        String key = n.raftId() + "@" + hs.term();
        String prior = durableVotes.putIfAbsent(key, hs.votedFor());
        if (prior != null && !prior.equals(hs.votedFor())) {
            fail("vote safety", n.raftId() + " voted for " + prior + " and then for " + hs.votedFor() + " in term " + hs.term());
        }
    }

    void onAppended(SimNode n, java.util.List<Entry> appended) {
        for (Entry e : appended) {
            long prevIndex = e.index() - 1;
            long prevTerm = prevIndex >= n.disk.firstIndex() - 1 ? n.disk.term(prevIndex) : -1;
            Seen seen = entries.putIfAbsent(new LogKey(e.index(), e.term()), new Seen(e, prevTerm));
            if (seen != null) {
                if (!seen.entry().equals(e)) {
                    fail("log matching", n.raftId() + " has " + e + " but another node has " + seen.entry());
                }
                if (seen.prevTerm() >= 0 && prevTerm >= 0 && seen.prevTerm() != prevTerm) {
                    fail("log matching", n.raftId() + " has " + e + " after term " + prevTerm + ", another after " + seen.prevTerm());
                }
            }
        }
    }

    /** Registers the entries up to a node's new commit index as committed, checking them against earlier ones. */
    void onCommit(SimNode n, long commit) {
        long from = Math.max(committedRegistered.getOrDefault(n.raftId(), 0L), n.disk.firstIndex() - 1);
        for (long i = from + 1; i <= commit; i++) {
            Entry e = n.disk.entries(i, i + 1, Long.MAX_VALUE).get(0);
            Entry prior = committed.putIfAbsent(i, e);
            if (prior != null && !prior.equals(e)) {
                fail("state machine safety", n.raftId() + " commits " + e + " where " + prior + " was committed");
            }
        }
        committedRegistered.merge(n.raftId(), commit, Math::max);
    }

    void onLeaderPersisted(SimNode n) {
        long first = n.disk.firstIndex();
        long last = n.disk.lastIndex();
        for (Map.Entry<Long, Entry> c : committed.entrySet()) {
            long i = c.getKey();
            if (i < first) {
                continue;
            }
            if (i > last) {
                fail("leader completeness", n.raftId() + " leads term " + n.core.term() + " without committed " + c.getValue());
            }
            Entry mine = n.disk.entries(i, i + 1, Long.MAX_VALUE).get(0);
            if (!mine.equals(c.getValue())) {
                fail("leader completeness", n.raftId() + " leads with " + mine + " instead of committed " + c.getValue());
            }
        }
    }

    void onApply(SimNode n, Entry e, KvStateMachine sm) {
        Entry prior = committed.putIfAbsent(e.index(), e);
        if (prior != null && !prior.equals(e)) {
            fail("state machine safety", n.raftId() + " applies " + e + " where " + prior + " was committed");
        }
        checkState(n, sm);
    }

    void onRestore(SimNode n, KvStateMachine sm) {
        checkState(n, sm);
    }

    private void checkState(SimNode n, KvStateMachine sm) {
        Long prior = stateAt.putIfAbsent(sm.appliedIndex(), sm.stateHash());
        if (prior != null && !Objects.equals(prior, sm.stateHash())) {
            fail("state machine safety", n.raftId() + " reached a different state at index " + sm.appliedIndex());
        }
    }
}
