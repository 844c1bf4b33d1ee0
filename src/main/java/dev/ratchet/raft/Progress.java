package dev.ratchet.raft;

/**
 * The leader's view of one peer: how far its log matches, what to send next and how fast (§5.3 plus
 * etcd-style flow control). PROBE sends one AppendEntries at a time until a match is found; REPLICATE
 * pipelines within the inflight limits; SNAPSHOT streams a snapshot and sends nothing else.
 */
final class Progress {

    enum State { PROBE, REPLICATE, SNAPSHOT }

    long match;
    long next;
    State state = State.PROBE;
    boolean probeSent;
    boolean recentActive;
    long ticksSinceContact;
    /**
     * A heartbeat response already resumed this follower's paused flow since the leader's last heartbeat
     * tick. Heartbeats also go out for every read-index round, and a follower that comes back answers a
     * backlog of them at once: resuming on each answer would send the whole unacknowledged tail once per
     * answer (hundreds of copies in one Ready, which ran a 256 MiB leader out of heap). Once per tick is
     * what probing needs.
     */
    boolean resumedThisBeat;
    boolean learner;
    /** The highest commit index sent to this peer, so a commit advance reaches it without waiting for a heartbeat. */
    long sentCommit;
    final Inflights inflights;

    // Snapshot streaming (state SNAPSHOT only).
    Snapshot snapshot;
    long snapshotOffset;
    long ticksSinceChunk;

    Progress(long next, boolean learner, int maxInflightMsgs, long maxInflightBytes) {
        this.next = next;
        this.learner = learner;
        this.inflights = new Inflights(maxInflightMsgs, maxInflightBytes);
    }

    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    void becomeProbe() {
        next = match + 1;
        resetState(State.PROBE);
    }

    void becomeReplicate() {
        next = match + 1;
        resetState(State.REPLICATE);
    }

    void becomeSnapshot(Snapshot snap) {
        resetState(State.SNAPSHOT);
        snapshot = snap;
        snapshotOffset = 0;
        ticksSinceChunk = 0;
    }

    private void resetState(State s) {
        state = s;
        probeSent = false;
        inflights.reset();
        snapshot = null;
        snapshotOffset = 0;
    }

    /** Records an acknowledged match; false if it is stale. */
    boolean maybeUpdate(long index) {
        boolean updated = false;
        if (match < index) {
            match = index;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /**
     * Handles a rejection of {@code rejected} with a hint from the follower's log; false if the rejection
     * is stale (answers an older AppendEntries).
     */
    boolean maybeDecrTo(long rejected, long nextProbe) {
        if (state == State.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, nextProbe + 1), match + 1);
        probeSent = false;
        return true;
    }

    Status.FollowerStatus status() {
        return new Status.FollowerStatus(match, next, state.name(), ticksSinceContact, recentActive, learner);
    }
}
