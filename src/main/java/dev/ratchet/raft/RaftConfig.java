package dev.ratchet.raft;

import java.util.Objects;

/**
 * Tuning of one Raft node. Times are in ticks: the driver calls {@link RaftCore#tick()} at a fixed rate.
 *
 * @param id                   this node's id
 * @param electionTicks        base election timeout; the real one is random in {@code [e, 2e)}
 * @param heartbeatTicks       leader heartbeat interval; must be below {@code electionTicks}
 * @param maxSizePerMsg        soft byte limit of entries per AppendEntries
 * @param maxInflightMsgs      unacknowledged AppendEntries per follower in the replicate state
 * @param maxInflightBytes     unacknowledged entry bytes per follower
 * @param maxApplyBytes        byte limit of committed entries handed out per {@link Ready}
 * @param maxUncommittedEntries limit of entries the leader holds uncommitted before refusing proposals
 * @param preVote              run a pre-vote round before raising the term (thesis §9.6)
 * @param checkQuorum          leaders step down without a quorum; followers ignore votes while they hear a leader
 * @param leaseRead            serve reads from the leader lease instead of a heartbeat round (needs checkQuorum)
 * @param snapshotChunkBytes   bytes per InstallSnapshot chunk
 * @param maxSnapshotBytes     largest snapshot a follower assembles
 * @param plantedEarlyConfChangeBug test only: see {@link #withPlantedEarlyConfChangeBug(boolean)}
 */
public record RaftConfig(String id, int electionTicks, int heartbeatTicks, long maxSizePerMsg, int maxInflightMsgs,
                         long maxInflightBytes, long maxApplyBytes, int maxUncommittedEntries, boolean preVote,
                         boolean checkQuorum, boolean leaseRead, int snapshotChunkBytes, long maxSnapshotBytes,
                         boolean plantedEarlyConfChangeBug) {

    /** The largest snapshot one Java array can hold. */
    public static final long MAX_SNAPSHOT_BYTES = Integer.MAX_VALUE - 8;

    public RaftConfig {
        Objects.requireNonNull(id, "id");
        ConfChange.validateNodeId(id);
        require(heartbeatTicks >= 1, "heartbeatTicks must be >= 1, was " + heartbeatTicks);
        require(electionTicks > heartbeatTicks,
                "electionTicks (" + electionTicks + ") must be greater than heartbeatTicks (" + heartbeatTicks + ")");
        require(electionTicks <= 1_000_000, "electionTicks must be <= 1000000, was " + electionTicks);
        require(maxSizePerMsg >= 1 && maxSizePerMsg <= MessageCodec.MAX_MESSAGE_BYTES / 2,
                "maxSizePerMsg must be in [1, " + MessageCodec.MAX_MESSAGE_BYTES / 2 + "], was " + maxSizePerMsg);
        require(maxInflightMsgs >= 1 && maxInflightMsgs <= 10_000, "maxInflightMsgs must be in [1, 10000], was " + maxInflightMsgs);
        require(maxInflightBytes >= maxSizePerMsg,
                "maxInflightBytes (" + maxInflightBytes + ") must be >= maxSizePerMsg (" + maxSizePerMsg + ")");
        require(maxApplyBytes >= 1, "maxApplyBytes must be >= 1, was " + maxApplyBytes);
        require(maxUncommittedEntries >= 1, "maxUncommittedEntries must be >= 1, was " + maxUncommittedEntries);
        require(!leaseRead || checkQuorum, "leaseRead requires checkQuorum");
        require(snapshotChunkBytes >= 1 && snapshotChunkBytes <= MessageCodec.MAX_MESSAGE_BYTES / 2,
                "snapshotChunkBytes must be in [1, " + MessageCodec.MAX_MESSAGE_BYTES / 2 + "], was " + snapshotChunkBytes);
        // A follower joins the received chunks into one array (ReceivedChunks), so no more than one array holds.
        require(maxSnapshotBytes >= 1 && maxSnapshotBytes <= MAX_SNAPSHOT_BYTES,
                "maxSnapshotBytes must be in [1, " + MAX_SNAPSHOT_BYTES + "], was " + maxSnapshotBytes);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Sensible defaults: election 10 ticks, heartbeat 1, pre-vote and check-quorum on, lease reads off. */
    public static RaftConfig defaults(String id) {
        return new RaftConfig(id, 10, 1, 1 << 20, 256, 16L << 20, 4L << 20, 10_000, true, true, false, 1 << 20, 1L << 30,
                false);
    }

    public RaftConfig withElectionTicks(int election, int heartbeat) {
        return new RaftConfig(id, election, heartbeat, maxSizePerMsg, maxInflightMsgs, maxInflightBytes, maxApplyBytes,
                maxUncommittedEntries, preVote, checkQuorum, leaseRead, snapshotChunkBytes, maxSnapshotBytes,
                plantedEarlyConfChangeBug);
    }

    public RaftConfig withFlowControl(long sizePerMsg, int inflightMsgs, long inflightBytes) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, sizePerMsg, inflightMsgs, inflightBytes, maxApplyBytes,
                maxUncommittedEntries, preVote, checkQuorum, leaseRead, snapshotChunkBytes, maxSnapshotBytes,
                plantedEarlyConfChangeBug);
    }

    public RaftConfig withFeatures(boolean preVote, boolean checkQuorum, boolean leaseRead) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs, maxInflightBytes,
                maxApplyBytes, maxUncommittedEntries, preVote, checkQuorum, leaseRead, snapshotChunkBytes, maxSnapshotBytes,
                plantedEarlyConfChangeBug);
    }

    public RaftConfig withSnapshotChunkBytes(int chunkBytes) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs, maxInflightBytes,
                maxApplyBytes, maxUncommittedEntries, preVote, checkQuorum, leaseRead, chunkBytes, maxSnapshotBytes,
                plantedEarlyConfChangeBug);
    }

    /**
     * Re-creates the bug for the simulation's planted-bug test only; no property binds it; never set in
     * production. When on, a new leader accepts a membership change before an entry of its own term has
     * committed (the single-server change bug of Ongaro's 2015 raft-dev post), as Ratchet did before
     * issue 12. The simulation must catch it, which proves it can.
     */
    public RaftConfig withPlantedEarlyConfChangeBug(boolean on) {
        return new RaftConfig(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs, maxInflightBytes,
                maxApplyBytes, maxUncommittedEntries, preVote, checkQuorum, leaseRead, snapshotChunkBytes, maxSnapshotBytes,
                on);
    }
}
