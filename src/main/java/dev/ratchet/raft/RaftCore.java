package dev.ratchet.raft;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * One Raft node as a pure, deterministic state machine (Raft paper extended version and Ongaro's thesis).
 * Time enters only through {@link #tick()}, randomness only through the injected generator, and every
 * output is buffered into a {@link Ready} that the driver persists, sends and applies.
 *
 * <p>Usage: create over the node's storage (after {@link #bootstrap} on a founding member's empty storage),
 * then loop: feed {@link #tick()}, {@link #step(Message)} and proposals; while {@link #hasReady()}, take
 * {@link #ready()}, handle it as its Javadoc says, and call {@link #advance(Ready)}. Between
 * {@code ready()} and {@code advance()} every other call throws {@link IllegalStateException}. The
 * application may save a snapshot at its applied index ({@link DurableStorage#saveLocalSnapshot}) whenever
 * no Ready is outstanding.
 *
 * <p>Not thread-safe: one thread (the driver) owns the core and its storage reads. Broken internal
 * invariants throw {@link IllegalStateException}: the node must stop rather than corrupt its state.
 */
public final class RaftCore {

    final RaftConfig cfg;
    final String id;
    final RandomGenerator random;
    final RaftLog log;
    final Membership membership;
    final Elections elections;
    final Replication replication;
    final ReadIndex reads;
    final SnapshotTransfer snapshots;

    long term;
    /** Highest commit index announced by a leader (AppendEntries) or implied by an installed snapshot. */
    long leaderCommitSeen;
    String votedFor;
    String leader;
    Role role = Role.FOLLOWER;
    int electionElapsed;
    int heartbeatElapsed;
    int randomizedElectionTimeout;
    String leadTransferee;
    long pendingConfIndex;
    /** Per-member progress (including this node), only while leading. Ordered for deterministic output. */
    final Map<String, Progress> progress = new TreeMap<>();

    private final List<Message> msgs = new ArrayList<>();
    private final List<Message> msgsAfterPersist = new ArrayList<>();
    final List<ReadState> readStates = new ArrayList<>();
    private SoftState prevSoft;
    private HardState prevHard;
    private Ready outstanding;

    /**
     * Restores a node from its storage.
     *
     * @param random the only source of randomness (election timeouts); inject a seeded one in tests
     */
    public RaftCore(RaftConfig cfg, RaftStorage storage, RandomGenerator random) {
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        this.id = cfg.id();
        this.random = Objects.requireNonNull(random, "random");
        this.log = new RaftLog(storage);
        this.membership = Membership.load(storage);
        this.elections = new Elections(this);
        this.replication = new Replication(this);
        this.reads = new ReadIndex(this);
        this.snapshots = new SnapshotTransfer(this);
        HardState hs = storage.hardState();
        becomeFollower(hs.term(), null);
        this.votedFor = hs.votedFor();
        this.prevHard = new HardState(term, votedFor, log.committed());
        this.prevSoft = new SoftState(null, Role.FOLLOWER);
    }

    /**
     * Writes the initial log of a founding member: one committed ADD_VOTER entry per voter at term 1. Every
     * founding member must be bootstrapped with the same voters; nodes added later start empty.
     *
     * @throws IllegalArgumentException if the storage is not empty or the voter set is empty
     */
    public static void bootstrap(DurableStorage storage, Collection<String> voters) {
        if (storage.lastIndex() != 0 || storage.hardState().term() != 0) {
            throw new IllegalArgumentException("bootstrap needs empty storage, last index is " + storage.lastIndex());
        }
        List<String> sorted = new ArrayList<>(new java.util.TreeSet<>(voters));
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("bootstrap needs at least one voter");
        }
        List<Entry> entries = new ArrayList<>();
        for (String v : sorted) {
            entries.add(new Entry(entries.size() + 1, 1, EntryType.CONF_CHANGE, ConfChange.addVoter(v).encode()));
        }
        storage.append(entries);
        storage.setHardState(new HardState(1, null, entries.size()));
        storage.sync();
    }

    // ---------------------------------------------------------------- inputs

    /** Advances logical time by one tick: election timeouts, heartbeats, check-quorum. */
    public void tick() {
        requireNoOutstandingReady();
        if (role == Role.LEADER) {
            replication.tickLeader();
        } else {
            elections.tickElection();
        }
    }

    /**
     * Handles one message from a peer. Messages with a stale term are answered or dropped per the rules
     * of §5.1 and §9.6; malformed ones (wrong recipient) throw {@link IllegalArgumentException}.
     */
    public void step(Message m) {
        requireNoOutstandingReady();
        if (!id.equals(m.to())) {
            throw new IllegalArgumentException("message for " + m.to() + " delivered to " + id);
        }
        if (m.term() > term) {
            if (elections.ignoreDisruptiveVote(m)) {
                return;
            }
            boolean termUnchanged = m instanceof Message.PreVote
                    || (m instanceof Message.PreVoteResponse r && r.granted());
            if (!termUnchanged) {
                boolean fromLeader = m instanceof Message.AppendEntries || m instanceof Message.Heartbeat
                        || m instanceof Message.InstallSnapshot;
                becomeFollower(m.term(), fromLeader ? m.from() : null);
            }
        } else if (m.term() < term) {
            elections.answerStaleTerm(m);
            return;
        }
        dispatch(m);
    }

    private void dispatch(Message m) {
        if (m instanceof Message.PreVote || m instanceof Message.Vote) {
            elections.handleVoteRequest(m);
        } else if (m instanceof Message.PreVoteResponse || m instanceof Message.VoteResponse) {
            elections.handleVoteResponse(m);
        } else if (m instanceof Message.TimeoutNow t) {
            elections.handleTimeoutNow(t);
        } else if (m instanceof Message.AppendEntries a) {
            followLeader(a);
            replication.handleAppendEntries(a);
        } else if (m instanceof Message.Heartbeat h) {
            followLeader(h);
            replication.handleHeartbeat(h);
        } else if (m instanceof Message.InstallSnapshot s) {
            followLeader(s);
            snapshots.handleInstallSnapshot(s);
        } else if (role == Role.LEADER) {
            if (m instanceof Message.AppendEntriesResponse r) {
                replication.handleAppendResponse(r);
            } else if (m instanceof Message.HeartbeatResponse r) {
                replication.handleHeartbeatResponse(r);
            } else if (m instanceof Message.InstallSnapshotResponse r) {
                snapshots.handleResponse(r);
            }
        }
    }

    /** A message from the current term's leader: there can be only one (§5.2, election safety). */
    private void followLeader(Message m) {
        if (role == Role.LEADER) {
            throw new IllegalStateException("two leaders in term " + term + ": " + id + " and " + m.from());
        }
        if (role != Role.FOLLOWER) {
            becomeFollower(term, m.from());
        }
        leader = m.from();
        electionElapsed = 0;
    }

    /**
     * Proposes a command; returns the log index it was given (it may still be lost if leadership changes).
     *
     * @throws NotLeaderException if this node does not lead
     * @throws ProposalDroppedException during a leadership transfer or when too many entries are uncommitted
     */
    public long propose(byte[] data) {
        requireNoOutstandingReady();
        requireLeader();
        requireAcceptingProposals();
        return replication.appendAndBroadcast(EntryType.COMMAND, data.clone());
    }

    /**
     * Proposes a one-server membership change (thesis §4.1); only one may be uncommitted at a time, and a new
     * leader accepts none before an entry of its own term has committed (its no-op).
     *
     * @throws IllegalArgumentException if the change does not apply to the current membership
     * @throws ProposalDroppedException while another change is uncommitted or the leader's term has no
     *     committed entry yet; both pass, so callers retry
     */
    public long proposeConfChange(ConfChange change) {
        requireNoOutstandingReady();
        requireLeader();
        requireAcceptingProposals();
        // Changes take effect on append. Without this rule a new leader could append one while a change of
        // an earlier term is still unknown to it, and two disjoint majorities could then commit (Ongaro's
        // raft-dev post of July 2015; hashicorp/raft applies the same rule).
        if (log.termOrZero(log.committed()) != term && !cfg.plantedEarlyConfChangeBug()) {
            throw new ProposalDroppedException("no entry of term " + term + " has committed yet (commit index "
                    + log.committed() + "); a new leader accepts membership changes only after its no-op commits");
        }
        if (pendingConfIndex > log.committed()) {
            throw new ProposalDroppedException("membership change at " + pendingConfIndex + " is not committed yet");
        }
        change.applyTo(membership.current());
        long index = replication.appendAndBroadcast(EntryType.CONF_CHANGE, change.encode());
        pendingConfIndex = index;
        return index;
    }

    /**
     * Starts a linearizable read (thesis §6.4): a {@link ReadState} with this id appears in a later Ready
     * once leadership is confirmed. Reads are dropped silently if leadership is lost; callers time out.
     *
     * @throws NotLeaderException if this node does not lead
     */
    public void readIndex(long requestId) {
        requireNoOutstandingReady();
        requireLeader();
        reads.request(requestId);
    }

    /**
     * Hands leadership to {@code target} (thesis §3.10): catches it up, then sends TimeoutNow. Proposals are
     * refused meanwhile; the transfer is abandoned after an election timeout.
     */
    public void transferLeadership(String target) {
        requireNoOutstandingReady();
        requireLeader();
        elections.transferLeadership(target);
    }

    // ---------------------------------------------------------------- outputs

    public boolean hasReady() {
        requireNoOutstandingReady();
        return !softState().equals(prevSoft) || !hardState().equals(prevHard) || log.hasUnstable()
                || !msgs.isEmpty() || !msgsAfterPersist.isEmpty() || !readStates.isEmpty() || log.hasEntriesToApply();
    }

    /** Collects the pending work; the caller must handle it and then call {@link #advance(Ready)}. */
    public Ready ready() {
        requireNoOutstandingReady();
        SoftState soft = softState();
        HardState hard = hardState();
        Ready rd = new Ready(soft.equals(prevSoft) ? null : soft, hard.equals(prevHard) ? null : hard,
                log.unstableSnapshot(), log.unstableEntries(), msgs, msgsAfterPersist,
                log.entriesToApply(cfg.maxApplyBytes()), readStates);
        prevSoft = soft;
        prevHard = hard;
        msgs.clear();
        msgsAfterPersist.clear();
        readStates.clear();
        outstanding = rd;
        return rd;
    }

    /**
     * The driver finished {@code rd} and its writes are durable (synced): the same as
     * {@link #advanceWritten(Ready)} followed by {@link #persisted} for its last entry.
     */
    public void advance(Ready rd) {
        finish(rd);
        if (rd.snapshot() != null) {
            long index = rd.snapshot().metadata().index();
            log.persistedTo(index, rd.snapshot().metadata().term());
        }
        if (!rd.entries().isEmpty()) {
            Entry last = rd.entries().get(rd.entries().size() - 1);
            persistedInternal(last.index(), last.term());
        }
    }

    /**
     * The driver handed {@code rd}'s writes to storage (visible to reads) and applied its committed entries,
     * but the writes may not be synced yet: {@link #persisted} reports when they are. Until then the leader
     * does not count its own copy of the new entries towards a quorum, so a quorum of followers can commit
     * them first (thesis §10.2.1). A Ready carrying a snapshot must be advanced with {@link #advance}.
     *
     * @throws IllegalStateException if {@code rd} is not the outstanding Ready or carries a snapshot
     */
    public void advanceWritten(Ready rd) {
        if (rd.snapshot() != null) {
            throw new IllegalStateException("a Ready with a snapshot must be synced before it is advanced");
        }
        finish(rd);
    }

    /**
     * Storage synced every write up to and including the entry {@code index}@{@code term}. A report about an
     * entry that a later append replaced, or below what is known durable already, changes nothing.
     */
    public void persisted(long index, long term) {
        requireNoOutstandingReady();
        persistedInternal(index, term);
    }

    private void persistedInternal(long index, long term) {
        log.persistedTo(index, term);
        if (role == Role.LEADER) {
            replication.selfPersisted(log.durableIndex());
        }
    }

    private void finish(Ready rd) {
        if (rd != outstanding) {
            throw new IllegalStateException("advance with a Ready that is not the outstanding one");
        }
        outstanding = null;
        if (rd.snapshot() != null) {
            log.stableSnapshotTo(rd.snapshot().metadata().index());
            log.appliedTo(Math.max(log.applied(), rd.snapshot().metadata().index()));
        }
        if (!rd.entries().isEmpty()) {
            Entry last = rd.entries().get(rd.entries().size() - 1);
            log.stableTo(last.index(), last.term());
        }
        if (!rd.committedEntries().isEmpty()) {
            log.appliedTo(rd.committedEntries().get(rd.committedEntries().size() - 1).index());
        }
        membership.compactTo(log.committed());
    }

    public Status status() {
        Map<String, Status.FollowerStatus> prs = new LinkedHashMap<>();
        if (role == Role.LEADER) {
            progress.forEach((peer, pr) -> {
                if (!peer.equals(id)) {
                    prs.put(peer, pr.status());
                }
            });
        }
        return new Status(id, role, term, leader, log.committed(), log.applied(), log.lastIndex(), membership.current(),
                leadTransferee, prs, Math.max(leaderCommitSeen, log.committed()), snapshotIndex());
    }

    public String id() {
        return id;
    }

    private long snapshotIndex() {
        Snapshot pending = log.unstableSnapshot();
        return (pending != null ? pending.metadata() : log.storage().snapshotMetadata()).index();
    }

    /** The current term; cheaper than {@link #status()} for a driver's hot path. */
    public long term() {
        return term;
    }

    public Role role() {
        return role;
    }

    /** The leader this node knows in its term, or null. */
    public String leader() {
        return leader;
    }

    public long commitIndex() {
        return log.committed();
    }

    public long appliedIndex() {
        return log.applied();
    }

    // ---------------------------------------------------------------- shared by the concerns

    SoftState softState() {
        return new SoftState(leader, role);
    }

    HardState hardState() {
        return new HardState(term, votedFor, log.committed());
    }

    void send(Message m) {
        boolean replication = m instanceof Message.AppendEntries || m instanceof Message.Heartbeat
                || m instanceof Message.InstallSnapshot || m instanceof Message.TimeoutNow;
        if (role == Role.LEADER && replication) {
            msgs.add(m);
        } else {
            msgsAfterPersist.add(m);
        }
    }

    ConfState conf() {
        return membership.current();
    }

    boolean promotable() {
        return conf().voters().contains(id);
    }

    int quorum() {
        return conf().voters().size() / 2 + 1;
    }

    void reset(long newTerm) {
        if (newTerm < term) {
            throw new IllegalStateException("term would go back from " + term + " to " + newTerm);
        }
        if (newTerm != term) {
            term = newTerm;
            votedFor = null;
        }
        leader = null;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = cfg.electionTicks() + random.nextInt(cfg.electionTicks());
        leadTransferee = null;
        progress.clear();
        elections.clearVotes();
        reads.reset();
    }

    void becomeFollower(long newTerm, String newLeader) {
        reset(newTerm);
        role = Role.FOLLOWER;
        leader = newLeader;
    }

    /** Mirrors conf changes into the leader's progress map. */
    void onConfChanged() {
        if (role != Role.LEADER) {
            return;
        }
        ConfState conf = conf();
        progress.keySet().removeIf(peer -> !peer.equals(id) && !conf.contains(peer));
        for (String peer : conf.voters()) {
            replication.ensureProgress(peer, false);
        }
        for (String peer : conf.learners()) {
            replication.ensureProgress(peer, true);
        }
    }

    private void requireLeader() {
        if (role != Role.LEADER) {
            throw new NotLeaderException(id, leader);
        }
    }

    private void requireAcceptingProposals() {
        if (leadTransferee != null) {
            throw new ProposalDroppedException("leadership is being transferred to " + leadTransferee);
        }
        if (!promotable()) {
            throw new ProposalDroppedException(id + " is being removed from the cluster");
        }
        if (log.lastIndex() - log.committed() >= cfg.maxUncommittedEntries()) {
            throw new ProposalDroppedException("too many uncommitted entries: " + (log.lastIndex() - log.committed()));
        }
    }

    private void requireNoOutstandingReady() {
        if (outstanding != null) {
            throw new IllegalStateException("advance() the outstanding Ready first");
        }
    }
}
