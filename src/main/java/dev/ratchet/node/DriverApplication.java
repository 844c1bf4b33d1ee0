package dev.ratchet.node;

import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.ReadState;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SoftState;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.CommandCodec;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.Proposal;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link RaftDriver}'s {@link ReadyHandler} applies to: the cluster state, plus the bookkeeping of
 * this node's callers (proposals, reads, transfers) and the applied index it publishes. It logs under
 * {@link RaftDriver}'s logger, where these lines always were (tests and operators filter on it).
 *
 * <p>The handler calls it from the driver thread, and once from the thread constructing the driver while
 * it restores this node's own snapshot (before {@link #started}). {@link #appliedIndex()} may be read
 * from any thread.
 */
final class DriverApplication implements ReadyHandler.Application {

    private static final Logger log = LoggerFactory.getLogger(RaftDriver.class);

    private final String nodeId;
    private final RaftCore core;
    private final ClusterState state;
    private final DriverStats stats;
    private final PendingProposals proposals;
    private final ReadIndexBatcher reads;
    private final LeadershipTransfers transfers;

    /** False only while the handler restores this node's own snapshot at start; later ones came from a leader. */
    private boolean started;
    private volatile long applied;

    DriverApplication(String nodeId, RaftCore core, ClusterState state, DriverStats stats, PendingProposals proposals,
            ReadIndexBatcher reads, LeadershipTransfers transfers) {
        this.nodeId = nodeId;
        this.core = core;
        this.state = state;
        this.stats = stats;
        this.proposals = proposals;
        this.reads = reads;
        this.transfers = transfers;
    }

    /** The handler is built: from now on a restored snapshot came from a leader. Publishes {@code applied}. */
    void started(long appliedIndex) {
        started = true;
        applied = appliedIndex;
    }

    /** The index of the last entry applied here; safe from any thread. */
    long appliedIndex() {
        return applied;
    }

    @Override
    public void restore(Snapshot snapshot) {
        long index = snapshot.metadata().index();
        state.restore(snapshot.data());
        applied = index;
        proposals.foldedIntoSnapshot(index);
        if (started) {
            log.info("{} installed a snapshot from the leader at index {}", nodeId, index);
        } else {
            log.info("{} restored its state from its own snapshot at index {}", nodeId, index);
        }
    }

    @Override
    public void apply(Entry e) {
        CommandResult result;
        if (e.type() == EntryType.COMMAND) {
            Proposal p = CommandCodec.decode(e.data());
            result = state.apply(e.index(), p.command());
        } else {
            state.advanceTo(e.index());
            result = new CommandResult.Done(e.index());
            if (e.type() == EntryType.CONF_CHANGE) {
                // Every node logs every membership change (join, promotion, removal, replacement) once.
                logMembershipChange(e);
            }
        }
        applied = e.index();
        stats.applied.increment();
        proposals.applied(e, result);
    }

    /** The core skips a payload that does not decode (membership unchanged), and so does the log line. */
    private void logMembershipChange(Entry e) {
        try {
            ConfChange change = ConfChange.decode(e.data());
            log.info("{} applied membership change at index {}: {} {}", nodeId, e.index(),
                    change.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), change.nodeId());
        } catch (IllegalArgumentException undecodable) {
            log.warn("{} skipped an undecodable membership change at index {}: {}", nodeId, e.index(),
                    undecodable.getMessage());
        }
    }

    @Override
    public Supplier<byte[]> captureState() {
        return state.capture()::encode;
    }

    @Override
    public void readStates(List<ReadState> readStates) {
        reads.confirmed(readStates);
    }

    @Override
    public void softState(SoftState softState) {
        Role role = softState.role();
        String leader = softState.leader();
        if (role != Role.LEADER) {
            reads.leadershipLost(leader);
        }
        transfers.leaderKnown(leader);
        stats.leaderChanges.increment();
        if (role == Role.CANDIDATE) {
            stats.elections.increment();
        }
        log.info("{} is now {} (leader: {}, term {})", nodeId, role, leader, core.term());
    }
}
