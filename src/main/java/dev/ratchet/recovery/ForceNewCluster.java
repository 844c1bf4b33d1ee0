package dev.ratchet.recovery;

import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.HardState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandCodec;
import dev.ratchet.state.Proposal;
import dev.ratchet.storage.FileRaftStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Makes one surviving node's data directory the only voter of its cluster, after a majority of the
 * voters is lost for good (etcd's {@code --force-new-cluster}, Consul's {@code peers.json}).
 *
 * <p>What it writes, through the storage API and with one sync: after the kept log, in a term above
 * every term the node knows, one {@link ConfChange.Type#REMOVE_NODE} entry per other voter or learner,
 * (every other incarnation of this node id included),
 * then one {@link Command.RemoveMember} per other member of the replicated member list, and a hard state
 * that votes for this node in that term and declares the whole log committed. Membership changes take
 * effect when appended, so at its next start the node is the only voter, elects itself and serves;
 * new nodes join it with the join token as usual. Trust roots, documents and artifacts are untouched.
 *
 * <p>Entries the node has but does not know to be committed are <b>kept</b> by default, unlike etcd
 * (which cuts the log at its commit index). A follower learns the commit index from the leader's next
 * message, so its last entries may have been committed and acknowledged to clients by a leader whose
 * disk is now gone; cutting them could lose acknowledged writes, keeping them can only make a write
 * whose client saw no answer (outcome unknown) take effect. {@code discardUncommitted} chooses etcd's
 * behaviour instead.
 *
 * <p>Safe to run twice: a directory where this node is already the only voter and member is left as
 * it is. A run cut short by a crash leaves a prefix of its entries; running again finishes it.
 *
 * <p>Stateless; blocks on disk I/O. The node must be stopped (the directory lock is checked).
 */
final class ForceNewCluster {

    /** What the run found and did; {@code raftId} is the survivor's Raft id (node id and incarnation). */
    record Result(String raftId, long keptThrough, long previousCommit, long discarded, List<String> removedVoters,
            List<String> removedMembers, long term, long lastIndex, boolean changed) {
    }

    private ForceNewCluster() {
    }

    /**
     * @param nodeId the surviving node's {@code ratchet.node-id}, or null for the one in the directory's
     *     identity file; its incarnation in this directory must be a voter
     * @throws RecoveryException if the directory is refused, or the node is not a voter there; nothing is
     *     written then
     */
    static Result run(Path dataDir, String nodeId, boolean discardUncommitted) {
        try (StoppedDataDirectory dir = StoppedDataDirectory.open(dataDir)) {
            nodeId = dir.nodeId(nodeId);
            FileRaftStorage storage = dir.storage();
            HardState hard = storage.hardState();
            long snapshotIndex = storage.snapshotMetadata().index();
            long commit = Math.max(hard.commit(), snapshotIndex);
            long keep = discardUncommitted ? commit : storage.lastIndex();
            StateRebuilder.Rebuilt rebuilt = StateRebuilder.rebuild(storage, keep);
            ConfState conf = rebuilt.conf();
            String raftId = dir.raftId(nodeId, conf.voters());
            if (!conf.voters().contains(raftId)) {
                throw new RecoveryException("'" + raftId + "' is not a voter in " + dataDir + " (voters "
                        + new TreeSet<>(conf.voters()) + ", learners " + new TreeSet<>(conf.learners())
                        + "): give the node id this directory belongs to, of a node that was a voter");
            }
            List<String> otherNodes = new ArrayList<>(new TreeSet<>(conf.voters()));
            otherNodes.addAll(new TreeSet<>(conf.learners()));
            otherNodes.remove(raftId);
            List<String> otherMembers = new ArrayList<>(new TreeSet<>(rebuilt.state().members().keySet()));
            otherMembers.remove(nodeId);
            long discarded = storage.lastIndex() - keep;
            if (otherNodes.isEmpty() && otherMembers.isEmpty() && discarded == 0 && hard.commit() >= keep) {
                return new Result(raftId, keep, hard.commit(), 0, List.of(), List.of(), hard.term(), keep, false);
            }

            long term = Math.max(hard.term(), storage.term(keep)) + 1;
            List<Entry> entries = new ArrayList<>();
            long index = keep;
            for (String id : otherNodes) {
                entries.add(new Entry(++index, term, EntryType.CONF_CHANGE,
                        new ConfChange(ConfChange.Type.REMOVE_NODE, id).encode()));
            }
            for (String id : otherMembers) {
                entries.add(new Entry(++index, term, EntryType.COMMAND,
                        CommandCodec.encode(new Proposal(raftId, 0, new Command.RemoveMember(id)))));
            }
            if (entries.isEmpty()) {
                // Only uncommitted entries to drop or a commit index to raise: one no-op marks the new term.
                entries.add(new Entry(++index, term, EntryType.NOOP, new byte[0]));
            }
            // A discarded tail is overwritten by these entries (append truncates from their first index).
            storage.append(entries);
            storage.setHardState(new HardState(term, raftId, index));
            storage.sync();
            return new Result(raftId, keep, hard.commit(), discarded, otherNodes, otherMembers, term, index, true);
        }
    }
}
