package dev.ratchet.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * Log replication (§5.3) and commitment (§5.4.2) with flow control: per-follower probe / replicate /
 * snapshot states, pipelined AppendEntries bounded by inflight count and bytes, and conflict back-off that
 * skips a whole term per round trip. Also the leader's clock: heartbeats and check-quorum.
 */
final class Replication {

    private final RaftCore r;

    Replication(RaftCore r) {
        this.r = r;
    }

    void becomeLeader() {
        if (r.role != Role.CANDIDATE) {
            throw new IllegalStateException("only a candidate can become leader, " + r.id + " is " + r.role);
        }
        r.reset(r.term);
        r.role = Role.LEADER;
        r.leader = r.id;
        r.onConfChanged();
        ensureProgress(r.id, false);
        Progress self = r.progress.get(r.id);
        self.becomeReplicate();
        self.maybeUpdate(r.log.durableIndex());
        self.recentActive = true;
        // Everything in the log may hold an uncommitted change: refuse new ones until it commits.
        r.pendingConfIndex = r.log.lastIndex();
        appendAndBroadcast(EntryType.NOOP, null);
    }

    void ensureProgress(String peer, boolean learner) {
        Progress pr = r.progress.get(peer);
        if (pr == null) {
            pr = new Progress(r.log.lastIndex() + 1, learner, r.cfg.maxInflightMsgs(), r.cfg.maxInflightBytes());
            pr.recentActive = true;
            // Not heard from yet as leader: no lease until it answers.
            pr.ticksSinceContact = r.cfg.electionTicks();
            r.progress.put(peer, pr);
        }
        pr.learner = learner;
    }

    long appendAndBroadcast(EntryType type, byte[] data) {
        Entry e = new Entry(r.log.lastIndex() + 1, r.term, type, data);
        List<Entry> one = List.of(e);
        r.log.truncateAndAppend(one);
        if (r.membership.onAppend(one)) {
            r.onConfChanged();
        }
        if (singleVoterSelf()) {
            // Nothing to wait for but our own disk: commit happens when storage reports the sync.
            return e.index();
        }
        broadcastAppend();
        return e.index();
    }

    private boolean singleVoterSelf() {
        return r.progress.size() == 1;
    }

    void broadcastAppend() {
        for (String peer : r.progress.keySet()) {
            if (!peer.equals(r.id)) {
                sendAppend(peer, true);
            }
        }
    }

    /** Sends the next AppendEntries to {@code to} unless flow control pauses it; true if something was sent. */
    boolean sendAppend(String to, boolean sendIfEmpty) {
        Progress pr = r.progress.get(to);
        if (pr == null || pr.isPaused()) {
            return false;
        }
        long prevIndex = pr.next - 1;
        long prevTerm;
        List<Entry> entries;
        try {
            prevTerm = r.log.term(prevIndex);
            entries = pr.next <= r.log.lastIndex()
                    ? r.log.entries(pr.next, r.log.lastIndex() + 1, r.cfg.maxSizePerMsg()) : List.of();
        } catch (LogCompactedException e) {
            return r.snapshots.startSnapshot(to, pr);
        }
        if (entries.isEmpty() && !sendIfEmpty) {
            return false;
        }
        r.send(new Message.AppendEntries(r.id, to, r.term, prevIndex, prevTerm, entries, r.log.committed()));
        pr.sentCommit = Math.max(pr.sentCommit, r.log.committed());
        if (pr.state == Progress.State.REPLICATE && !entries.isEmpty()) {
            long last = entries.get(entries.size() - 1).index();
            long bytes = entries.stream().mapToLong(Entry::sizeBytes).sum();
            pr.next = last + 1;
            pr.inflights.add(last, bytes);
        } else if (pr.state == Progress.State.PROBE) {
            pr.probeSent = true;
        }
        return true;
    }

    void handleAppendResponse(Message.AppendEntriesResponse m) {
        Progress pr = r.progress.get(m.from());
        if (pr == null) {
            return;
        }
        pr.recentActive = true;
        pr.ticksSinceContact = 0;
        if (!m.success()) {
            long nextProbe = m.rejectHintTerm() > 0
                    ? r.log.findConflictByTerm(m.rejectHintIndex(), m.rejectHintTerm()) : m.rejectHintIndex();
            if (pr.maybeDecrTo(m.index(), nextProbe)) {
                if (pr.state == Progress.State.REPLICATE) {
                    pr.becomeProbe();
                }
                sendAppend(m.from(), true);
            }
            return;
        }
        boolean updated = pr.maybeUpdate(m.index());
        // A probe answered at exactly match (e.g. the empty probe after a snapshot) proves the follower's
        // position as much as a higher index would: leave probing, or it stays paused until a heartbeat.
        boolean probeConfirmed = pr.state == Progress.State.PROBE && m.index() == pr.match;
        if (!updated && !probeConfirmed) {
            return;
        }
        if (pr.state == Progress.State.PROBE) {
            pr.becomeReplicate();
        } else if (pr.state == Progress.State.SNAPSHOT) {
            if (pr.snapshot != null && pr.match >= pr.snapshot.metadata().index()) {
                pr.becomeReplicate();
            }
        } else {
            pr.inflights.freeTo(m.index());
        }
        if (maybeCommit()) {
            broadcastAppend();
        }
        boolean sent = false;
        while (r.role == Role.LEADER && sendAppend(m.from(), false)) {
            // Pipeline until caught up or the inflight window is full.
            sent = true;
        }
        if (!sent && r.role == Role.LEADER && pr.sentCommit < r.log.committed()) {
            sendAppend(m.from(), true);
        }
        if (m.from().equals(r.leadTransferee) && pr.match == r.log.lastIndex()) {
            r.send(new Message.TimeoutNow(r.id, m.from(), r.term));
        }
    }

    /** The leader's own writes through {@code durableIndex} reached disk: they count towards the quorum (§10.2.1). */
    void selfPersisted(long durableIndex) {
        Progress self = r.progress.get(r.id);
        if (self != null && self.maybeUpdate(durableIndex)) {
            if (maybeCommit()) {
                broadcastAppend();
            }
        }
    }

    /** §5.4.2: commit the highest index a quorum of voters stores, but only if it is from the current term. */
    boolean maybeCommit() {
        List<Long> matches = new ArrayList<>();
        for (String voter : r.conf().voters()) {
            Progress pr = r.progress.get(voter);
            matches.add(pr == null ? 0 : pr.match);
        }
        matches.sort((a, b) -> Long.compare(b, a));
        long quorumMatch = matches.get(r.quorum() - 1);
        if (quorumMatch <= r.log.committed() || r.log.termOrZero(quorumMatch) != r.term) {
            return false;
        }
        r.log.commitTo(quorumMatch);
        r.reads.onCommitted();
        if (!r.promotable() && r.log.committed() >= r.membership.lastChangeIndex()) {
            // Thesis §4.2.2: a removed leader steps down once the change that removed it commits.
            r.becomeFollower(r.term, null);
            return false;
        }
        return true;
    }

    void tickLeader() {
        r.heartbeatElapsed++;
        r.electionElapsed++;
        for (var e : r.progress.entrySet()) {
            if (!e.getKey().equals(r.id)) {
                e.getValue().ticksSinceContact++;
            }
        }
        if (r.electionElapsed >= r.cfg.electionTicks()) {
            r.electionElapsed = 0;
            if (r.cfg.checkQuorum() && !quorumActive()) {
                r.becomeFollower(r.term, null);
                return;
            }
            r.progress.forEach((peer, pr) -> pr.recentActive = peer.equals(r.id));
            r.leadTransferee = null;
        }
        r.snapshots.tick();
        if (r.heartbeatElapsed >= r.cfg.heartbeatTicks()) {
            r.heartbeatElapsed = 0;
            r.progress.values().forEach(pr -> pr.resumedThisBeat = false);
            broadcastHeartbeat(r.reads.latestContext());
        }
    }

    private boolean quorumActive() {
        long active = r.conf().voters().stream()
                .filter(v -> v.equals(r.id) || (r.progress.get(v) != null && r.progress.get(v).recentActive))
                .count();
        return active >= r.quorum();
    }

    void broadcastHeartbeat(long readContext) {
        for (var e : r.progress.entrySet()) {
            if (!e.getKey().equals(r.id)) {
                long commit = Math.min(e.getValue().match, r.log.committed());
                r.send(new Message.Heartbeat(r.id, e.getKey(), r.term, commit, readContext));
            }
        }
    }

    void handleHeartbeatResponse(Message.HeartbeatResponse m) {
        Progress pr = r.progress.get(m.from());
        if (pr == null) {
            return;
        }
        pr.recentActive = true;
        pr.ticksSinceContact = 0;
        r.reads.onAck(m.from(), m.readContext());
        if (pr.resumedThisBeat) {
            return; // One resumption per heartbeat tick (see Progress#resumedThisBeat).
        }
        pr.resumedThisBeat = true;
        if (pr.state == Progress.State.REPLICATE && pr.inflights.full()) {
            pr.inflights.freeFirst();
        } else if (pr.state == Progress.State.PROBE) {
            pr.probeSent = false;
        }
        if (pr.match < r.log.lastIndex()) {
            // Even an empty append helps: if everything optimistically sent was lost, the follower's
            // rejection sends this progress back to probing.
            sendAppend(m.from(), true);
        }
    }

    // ---------------------------------------------------------------- follower side

    void handleAppendEntries(Message.AppendEntries m) {
        r.leaderCommitSeen = Math.max(r.leaderCommitSeen, m.leaderCommit());
        long committed = r.log.committed();
        if (m.prevLogIndex() < committed) {
            r.send(new Message.AppendEntriesResponse(r.id, m.from(), r.term, true, committed, 0, 0));
            return;
        }
        if (r.log.matchTerm(m.prevLogIndex(), m.prevLogTerm())) {
            long lastNew = m.prevLogIndex() + m.entries().size();
            long conflict = r.log.findConflict(m.entries());
            if (conflict != 0) {
                if (conflict <= committed) {
                    throw new IllegalStateException("entry " + conflict + " conflicts with the committed log (commit "
                            + committed + ")");
                }
                List<Entry> tail = m.entries().subList((int) (conflict - m.prevLogIndex() - 1), m.entries().size());
                r.log.truncateAndAppend(tail);
                r.membership.onAppend(tail);
            }
            r.log.commitTo(Math.min(m.leaderCommit(), lastNew));
            r.send(new Message.AppendEntriesResponse(r.id, m.from(), r.term, true, lastNew, 0, 0));
        } else {
            long hintIndex = r.log.findConflictByTerm(Math.min(m.prevLogIndex(), r.log.lastIndex()), m.prevLogTerm());
            long hintTerm = r.log.termOrZero(hintIndex);
            r.send(new Message.AppendEntriesResponse(r.id, m.from(), r.term, false, m.prevLogIndex(), hintIndex, hintTerm));
        }
    }

    void handleHeartbeat(Message.Heartbeat m) {
        r.log.commitTo(Math.min(m.commit(), r.log.lastIndex()));
        r.send(new Message.HeartbeatResponse(r.id, m.from(), r.term, m.readContext()));
    }
}
