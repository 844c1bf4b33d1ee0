package dev.ratchet.raft;

import java.util.Arrays;

/**
 * Snapshot shipping (§7): a leader whose log no longer holds what a follower needs streams its latest
 * snapshot in chunks of {@code snapshotChunkBytes}, one chunk in flight at a time, re-sending a chunk that
 * goes unanswered. The follower assembles the chunks (bounded by {@code maxSnapshotBytes}) and installs the
 * snapshot in its log when the last one arrives; the driver persists and restores it from the next Ready.
 */
final class SnapshotTransfer {

    private final RaftCore r;
    private SnapshotMetadata receiving;
    private ReceivedChunks received;

    SnapshotTransfer(RaftCore r) {
        this.r = r;
    }

    // ---------------------------------------------------------------- leader side

    boolean startSnapshot(String to, Progress pr) {
        if (r.log.storage().snapshotMetadata().index() == 0) {
            throw new IllegalStateException("log is compacted below " + pr.next + " but storage holds no snapshot");
        }
        // The transfer holds the data until it ends; the storage may have to read it back from its file first
        // (blocking this thread for the read). If that fails, the follower stays in probe and the next probe
        // retries: a leader that cannot read its snapshot once must not stop replicating to everyone else.
        Snapshot snap;
        try {
            snap = r.log.storage().snapshot();
        } catch (StorageException e) {
            return false;
        }
        pr.becomeSnapshot(snap);
        sendChunk(to, pr);
        return true;
    }

    private void sendChunk(String to, Progress pr) {
        byte[] data = pr.snapshot.data();
        int offset = (int) pr.snapshotOffset;
        int len = Math.min(r.cfg.snapshotChunkBytes(), data.length - offset);
        byte[] chunk = Arrays.copyOfRange(data, offset, offset + len);
        r.send(new Message.InstallSnapshot(r.id, to, r.term, pr.snapshot.metadata(), offset, chunk,
                offset + len == data.length));
        pr.ticksSinceChunk = 0;
    }

    /** Re-sends a chunk that went unanswered for two heartbeats. */
    void tick() {
        for (var e : r.progress.entrySet()) {
            Progress pr = e.getValue();
            if (pr.state == Progress.State.SNAPSHOT && pr.snapshot != null
                    && ++pr.ticksSinceChunk >= 2L * r.cfg.heartbeatTicks()) {
                sendChunk(e.getKey(), pr);
            }
        }
    }

    void handleResponse(Message.InstallSnapshotResponse m) {
        Progress pr = r.progress.get(m.from());
        if (pr == null) {
            return;
        }
        pr.recentActive = true;
        pr.ticksSinceContact = 0;
        if (pr.state != Progress.State.SNAPSHOT || pr.snapshot == null
                || pr.snapshot.metadata().index() != m.snapshotIndex()) {
            return;
        }
        if (m.installed()) {
            pr.maybeUpdate(m.matchIndex());
            pr.becomeProbe();
            if (r.replication.maybeCommit()) {
                r.replication.broadcastAppend();
            } else {
                r.replication.sendAppend(m.from(), true);
            }
            return;
        }
        if (m.nextOffset() < 0 || m.nextOffset() > pr.snapshot.data().length) {
            return;
        }
        pr.snapshotOffset = m.nextOffset();
        sendChunk(m.from(), pr);
    }

    // ---------------------------------------------------------------- follower side

    void handleInstallSnapshot(Message.InstallSnapshot m) {
        r.leaderCommitSeen = Math.max(r.leaderCommitSeen, m.metadata().index());
        SnapshotMetadata meta = m.metadata();
        if (meta.index() <= r.log.committed()) {
            receiving = null;
            received = null;
            reply(m, 0, true, r.log.committed());
            return;
        }
        if (!meta.equals(receiving)) {
            if (m.offset() != 0) {
                reply(m, 0, false, 0);
                return;
            }
            receiving = meta;
            received = new ReceivedChunks();
        }
        if (m.offset() != received.size()) {
            reply(m, received.size(), false, 0);
            return;
        }
        if (received.size() + (long) m.chunk().length > r.cfg.maxSnapshotBytes()) {
            receiving = null;
            received = null;
            throw new IllegalArgumentException("snapshot at " + meta.index() + " exceeds maxSnapshotBytes "
                    + r.cfg.maxSnapshotBytes());
        }
        received.add(m.chunk());
        if (!m.done()) {
            reply(m, received.size(), false, 0);
            return;
        }
        Snapshot snap = new Snapshot(meta, received.join());
        receiving = null;
        received = null;
        if (r.log.matchTerm(meta.index(), meta.term())) {
            // Our log already holds the snapshot's last entry: only the commit index moves (§7).
            r.log.commitTo(meta.index());
        } else {
            r.log.restore(snap);
            r.membership.onRestore(meta);
        }
        reply(m, 0, true, meta.index());
    }

    private void reply(Message.InstallSnapshot m, long nextOffset, boolean installed, long matchIndex) {
        r.send(new Message.InstallSnapshotResponse(r.id, m.from(), r.term, m.metadata().index(), nextOffset,
                installed, matchIndex));
    }
}
